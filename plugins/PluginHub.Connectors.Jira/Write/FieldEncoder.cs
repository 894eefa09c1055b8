using System.Globalization;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Describe;
using PluginHub.Connectors.Sdk.Text;

namespace PluginHub.Connectors.Jira.Write;

/// <summary>A field's JSON for a create or edit, or why it cannot be written.</summary>
internal sealed record EncodedField(JsonNode? Json, string? Rejection = null)
{
    public static EncodedField Rejected(string reason) => new(null, reason);
}

/// <summary>Turns the contract's typed values into the JSON each Jira field type takes (reference §3.1, read → write).</summary>
internal sealed class FieldEncoder(JiraApi api, UserDirectory users)
{
    public async Task<EncodedField> EncodeAsync(JiraField field, FieldValue value, CancellationToken cancellationToken)
    {
        if (value is NullValue)
        {
            return new EncodedField(field.Type == "array" ? new JsonArray() : null);
        }

        if (value is JsonFieldValue raw)
        {
            return new EncodedField(JsonNode.Parse(raw.Value.GetRawText()));
        }

        if (field.IsRichText)
        {
            return value is RichTextValue or TextValue
                ? new EncodedField(RichTextConverter.ToJira(value, api.Settings.UsesAdf))
                : Unsupported(field, value);
        }

        switch (field.Type)
        {
            case "string":
                return Text(value) is { } text ? new EncodedField(JsonValue.Create(text)) : Unsupported(field, value);
            case "number":
                return value switch
                {
                    IntegerValue i => new EncodedField(JsonValue.Create(i.Value)),
                    DecimalValue d => new EncodedField(JsonValue.Create(d.Value)),
                    TextValue t when decimal.TryParse(t.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) => new EncodedField(JsonValue.Create(n)),
                    _ => Unsupported(field, value),
                };
            case "date":
                return value switch
                {
                    DateValue d => new EncodedField(JsonValue.Create(d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
                    DateTimeValue dt => new EncodedField(JsonValue.Create(dt.Value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
                    _ => Unsupported(field, value),
                };
            case "datetime":
                return value switch
                {
                    DateTimeValue dt => new EncodedField(JsonValue.Create(JiraTime.Format(dt.Value))),
                    DateValue d => new EncodedField(JsonValue.Create(JiraTime.Format(new DateTimeOffset(d.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)))),
                    _ => Unsupported(field, value),
                };
            case "priority" or "resolution" or "securitylevel":
                return Key(value) is { } name ? new EncodedField(new JsonObject { ["name"] = name }) : Unsupported(field, value);
            case "option":
                return Key(value) is { } option ? new EncodedField(new JsonObject { ["value"] = option }) : Unsupported(field, value);
            case "user":
                return value is UserValue user ? await UserAsync(user.User, cancellationToken) : Unsupported(field, value);
            case "array" when field.Items == "string":
                var labels = Keys(value);
                return labels is null ? Unsupported(field, value)
                    : labels.Any(l => l.Any(char.IsWhiteSpace)) ? EncodedField.Rejected("Jira labels cannot contain spaces.")
                    : new EncodedField(new JsonArray([.. labels.Select(l => (JsonNode)JsonValue.Create(l))]));
            case "array" when field.Items is "option" or "component" or "version":
                var property = field.Items == "option" ? "value" : "name";
                return Keys(value) is { } keys
                    ? new EncodedField(new JsonArray([.. keys.Select(k => (JsonNode)new JsonObject { [property] = k })]))
                    : Unsupported(field, value);
            default:
                return EncodedField.Rejected($"The connector cannot write fields of Jira type '{field.Type}'; send a JSON value.");
        }
    }

    private async Task<EncodedField> UserAsync(UserRef user, CancellationToken cancellationToken) =>
        await users.ReferenceAsync(user, cancellationToken) is { } reference
            ? new EncodedField(reference)
            : EncodedField.Rejected("No active Jira user has the user's e-mail address.");

    private static EncodedField Unsupported(JiraField field, FieldValue value) =>
        EncodedField.Rejected($"A {value.GetType().Name.Replace("Value", "", StringComparison.Ordinal).ToLowerInvariant()} value cannot be written to a Jira '{field.Type}' field.");

    private static string? Text(FieldValue value) => value switch
    {
        TextValue t => t.Value,
        RichTextValue r => PlainText.Of(r),
        ChoiceValue c => c.Key,
        IntegerValue i => i.Value.ToString(CultureInfo.InvariantCulture),
        DecimalValue d => d.Value.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string? Key(FieldValue value) => value switch
    {
        ChoiceValue c => c.Key.Length > 0 ? c.Key : c.Label,
        TextValue t => t.Value,
        _ => null,
    };

    private static List<string>? Keys(FieldValue value) => value switch
    {
        MultiChoiceValue m => [.. m.Values.Select(v => v.Key)],
        ListValue l => l.Items.Select(Key).ToList() is var keys && keys.TrueForAll(k => k is not null) ? [.. keys.OfType<string>()] : null,
        ChoiceValue or TextValue => [Key(value)!],
        _ => null,
    };
}
