using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Text;

namespace PluginHub.Connectors.Jira.Write;

/// <summary>
/// Rich text in any format into what the target needs: an ADF document on REST v3, wiki markup on v2. Same-format content
/// passes through untouched; other formats go through plain text, so that nothing a person typed is read as markup.
/// </summary>
internal static class RichTextConverter
{
    /// <summary>Jira's limit for text fields and comment bodies.</summary>
    public const int MaxLength = 32_767;

    private const string TruncationNote = "\n\n[Truncated by PluginHub: the original was longer than Jira allows.]";

    public static JsonNode ToJira(RichTextValue value, bool adf)
    {
        var converted = Convert(value, adf);
        if (converted.Length <= MaxLength)
        {
            return adf ? JsonNode.Parse(converted)! : JsonValue.Create(converted);
        }

        // Too long: cut the readable text (markup would break if cut) and say so in the text itself.
        var plain = PlainText.Of(value);
        var budget = Math.Min(MaxLength - TruncationNote.Length, plain.Length);
        while (true)
        {
            var text = plain[..budget] + TruncationNote;
            converted = adf ? AdfText.FromText(text) : WikiText.FromText(text);
            if (converted.Length <= MaxLength || budget == 0)
            {
                return adf ? JsonNode.Parse(converted)! : JsonValue.Create(converted);
            }

            // Markup grows with the text (ADF several times over): shrink in proportion, with a margin, and try again.
            budget = (int)(budget * (MaxLength * 0.95 / converted.Length));
        }
    }

    public static JsonNode ToJira(FieldValue value, bool adf) => value switch
    {
        RichTextValue rich => ToJira(rich, adf),
        TextValue text => ToJira(new RichTextValue(RichTextFormat.Plain, text.Value), adf),
        _ => throw new ArgumentException("Not a text value.", nameof(value)),
    };

    private static string Convert(RichTextValue value, bool adf)
    {
        if (adf)
        {
            return value.Format == RichTextFormat.Adf && IsJsonObject(value.Content) ? value.Content : AdfText.FromText(PlainText.Of(value));
        }

        return value.Format == RichTextFormat.JiraWiki ? value.Content : WikiText.FromText(PlainText.Of(value));
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
