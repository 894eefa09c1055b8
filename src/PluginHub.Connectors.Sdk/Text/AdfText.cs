using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PluginHub.Connectors.Sdk.Text;

/// <summary>
/// Atlassian Document Format (JSON text) ↔ plain text: paragraphs, hard breaks, headings, marks (bold/italic/links), lists,
/// code blocks, quotes, mentions, emoji, cards and tables. Unknown nodes contribute their text content.
/// </summary>
public static class AdfText
{
    private const int MaxDepth = 64;

    /// <summary>The text of an ADF document given as JSON text.</summary>
    /// <exception cref="FormatException">The text is not a JSON object.</exception>
    public static string ToText(string adf)
    {
        ArgumentNullException.ThrowIfNull(adf);
        if (adf.Trim().Length == 0)
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(adf, new JsonDocumentOptions { MaxDepth = 256 });
            return ToText(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FormatException("ADF must be a JSON document.", ex);
        }
    }

    /// <summary>The text of an ADF document.</summary>
    public static string ToText(JsonElement adf)
    {
        var output = new StringBuilder();
        Block(output, adf, 0, 0);
        return PlainBlocks.Tidy(output);
    }

    /// <summary>An ADF document (JSON text) for plain text: paragraphs, hard breaks, bullet/ordered lists and linked URLs.</summary>
    public static string FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = new ArrayBufferWriter<byte>(text.Length * 2 + 64);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "doc");
            json.WriteNumber("version", 1);
            json.WriteStartArray("content");
            foreach (var block in PlainBlocks.Split(text))
            {
                if (block.Kind == PlainBlocks.BlockKind.Paragraph)
                {
                    Paragraph(json, block.Lines);
                    continue;
                }

                json.WriteStartObject();
                json.WriteString("type", block.Kind == PlainBlocks.BlockKind.Bullets ? "bulletList" : "orderedList");
                json.WriteStartArray("content");
                foreach (var item in block.Lines)
                {
                    json.WriteStartObject();
                    json.WriteString("type", "listItem");
                    json.WriteStartArray("content");
                    Paragraph(json, [item]);
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Paragraph(Utf8JsonWriter json, IReadOnlyList<string> lines)
    {
        json.WriteStartObject();
        json.WriteString("type", "paragraph");
        json.WriteStartArray("content");
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                json.WriteStartObject();
                json.WriteString("type", "hardBreak");
                json.WriteEndObject();
            }

            foreach (var (part, isUrl) in PlainBlocks.Links(lines[i]))
            {
                json.WriteStartObject();
                json.WriteString("type", "text");
                json.WriteString("text", part);
                if (isUrl)
                {
                    json.WriteStartArray("marks");
                    json.WriteStartObject();
                    json.WriteString("type", "link");
                    json.WriteStartObject("attrs");
                    json.WriteString("href", part);
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Block(StringBuilder output, JsonElement node, int listDepth, int depth)
    {
        if (node.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            return;
        }

        switch (Type(node))
        {
            case "bulletList" or "orderedList":
                var ordered = Type(node) == "orderedList";
                var number = node.TryGetProperty("attrs", out var attrs) && attrs.TryGetProperty("order", out var order) && order.TryGetInt32(out var o) ? o : 1;
                output.Append(listDepth == 0 ? "\n\n" : "\n");
                foreach (var item in Children(node))
                {
                    output.Append(' ', 2 * listDepth).Append(ordered ? $"{number++}. " : "- ");
                    var first = true;
                    foreach (var child in Children(item))
                    {
                        if (Type(child) is "bulletList" or "orderedList")
                        {
                            Block(output, child, listDepth + 1, depth + 1);
                        }
                        else
                        {
                            output.Append(first ? "" : "\n" + new string(' ', 2 * listDepth + 2));
                            Inline(output, child, depth + 1);
                            first = false;
                        }
                    }

                    output.Append('\n');
                }

                output.Append(listDepth == 0 ? "\n" : "");
                break;
            case "table":
                output.Append("\n\n");
                foreach (var row in Children(node))
                {
                    var cells = Children(row).Select(cell =>
                    {
                        var text = new StringBuilder();
                        foreach (var child in Children(cell))
                        {
                            Inline(text, child, depth + 1);
                        }

                        return text.ToString().Trim();
                    });
                    output.Append(string.Join(" | ", cells)).Append('\n');
                }

                output.Append('\n');
                break;
            case "doc" or "blockquote" or "panel" or "expand" or "nestedExpand" or "layoutSection" or "layoutColumn":
                foreach (var child in Children(node))
                {
                    Block(output, child, listDepth, depth + 1);
                }

                break;
            case "rule":
                output.Append("\n\n");
                break;
            default:
                output.Append("\n\n");
                Inline(output, node, depth + 1);
                output.Append("\n\n");
                break;
        }
    }

    private static void Inline(StringBuilder output, JsonElement node, int depth)
    {
        if (node.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            return;
        }

        switch (Type(node))
        {
            case "text":
                var text = node.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
                output.Append(Href(node) is { } href ? PlainBlocks.LinkText(text, href) : text);
                return;
            case "hardBreak":
                output.Append('\n');
                return;
            case "mention" or "emoji" or "status" or "date":
                output.Append(Attr(node, "text") ?? Attr(node, "shortName") ?? "");
                return;
            case "inlineCard" or "blockCard" or "embedCard":
                output.Append(Attr(node, "url") ?? "");
                return;
            default:
                var first = true;
                foreach (var child in Children(node))
                {
                    // Paragraphs inside an inline context (list items, cells) are separate lines.
                    if (!first && Type(child) is "paragraph" or "heading" or "codeBlock")
                    {
                        output.Append('\n');
                    }

                    Inline(output, child, depth + 1);
                    first = false;
                }

                return;
        }
    }

    private static string? Type(JsonElement node) =>
        node.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    private static string? Attr(JsonElement node, string name) =>
        node.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object
        && attrs.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? Href(JsonElement node)
    {
        if (!node.TryGetProperty("marks", out var marks) || marks.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var mark in marks.EnumerateArray())
        {
            if (Type(mark) == "link" && Attr(mark, "href") is { } href)
            {
                return href;
            }
        }

        return null;
    }

    private static IEnumerable<JsonElement> Children(JsonElement node) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
            ? content.EnumerateArray()
            : [];
}
