using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Sdk.Text;

/// <summary>Rich text in any of the contract's formats, as plain text.</summary>
public static class PlainText
{
    /// <summary>The text of <paramref name="value"/> with its markup removed.</summary>
    /// <param name="value">The rich text.</param>
    public static string Of(RichTextValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Format switch
        {
            RichTextFormat.Html => HtmlText.ToText(value.Content),
            RichTextFormat.JiraWiki => WikiText.ToText(value.Content),
            RichTextFormat.Adf => AdfText.ToText(value.Content),
            _ => value.Content,
        };
    }
}
