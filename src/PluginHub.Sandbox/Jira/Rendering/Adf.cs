using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PluginHub.Sandbox.Jira.Rendering;

/// <summary>
/// Atlassian Document Format: validation of v3 input and the conversions Cloud performs server-side between ADF and
/// wiki markup (v2), plus the HTML of <c>renderedFields</c>. Covers the common nodes and marks; unknown nodes are kept
/// by recursing into their content.
/// </summary>
internal static partial class Adf
{
    public const string NotAnAdfDocument = "Operation value must be an Atlassian Document (see the Atlassian Document Format)";

    /// <summary>Null when <paramref name="node"/> is a valid document, else the Jira error message.</summary>
    public static string? Validate(JsonNode? node)
    {
        if (node is not JsonObject doc || (string?)doc["type"] != "doc" || doc["content"] is not JsonArray)
        {
            return NotAnAdfDocument;
        }

        if (doc["version"] is not JsonValue version || !version.TryGetValue<int>(out var v) || v != 1)
        {
            return NotAnAdfDocument;
        }

        return ValidateContent(doc["content"]!.AsArray());
    }

    private static string? ValidateContent(JsonArray content)
    {
        foreach (var child in content)
        {
            if (child is not JsonObject o || o["type"] is not JsonValue t || !t.TryGetValue<string>(out var type))
            {
                return NotAnAdfDocument;
            }

            if (type == "text" && string.IsNullOrEmpty((string?)o["text"]))
            {
                // Jira refuses empty text nodes: the document would not round-trip.
                return "INVALID_INPUT: text nodes must not be empty (see the Atlassian Document Format)";
            }

            if (o["content"] is JsonArray inner && ValidateContent(inner) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>Wiki markup → ADF, the way Cloud answers a v3 read of text written through v2.</summary>
    public static JsonObject FromWiki(string wiki)
    {
        var blocks = new JsonArray();
        var text = wiki.Replace("\r\n", "\n", StringComparison.Ordinal);
        var lines = text.Split('\n');
        var paragraph = new List<string>();
        JsonArray? list = null;

        void FlushParagraph()
        {
            if (paragraph.Count > 0)
            {
                blocks.Add(new JsonObject { ["type"] = "paragraph", ["content"] = InlineLines(paragraph) });
                paragraph.Clear();
            }
        }

        void FlushList()
        {
            if (list is not null)
            {
                blocks.Add(new JsonObject { ["type"] = "bulletList", ["content"] = list });
                list = null;
            }
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("{code", StringComparison.Ordinal))
            {
                FlushParagraph();
                FlushList();
                var code = new List<string>();
                for (i++; i < lines.Length && !lines[i].StartsWith("{code", StringComparison.Ordinal); i++)
                {
                    code.Add(lines[i]);
                }

                var block = new JsonObject { ["type"] = "codeBlock", ["content"] = new JsonArray() };
                if (code.Count > 0)
                {
                    block["content"]!.AsArray().Add(TextNode(string.Join('\n', code)));
                }

                blocks.Add(block);
            }
            else if (HeadingRegex().Match(line) is { Success: true } heading)
            {
                FlushParagraph();
                FlushList();
                blocks.Add(new JsonObject
                {
                    ["type"] = "heading",
                    ["attrs"] = new JsonObject { ["level"] = int.Parse(heading.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) },
                    ["content"] = Inline(heading.Groups[2].Value),
                });
            }
            else if (line.StartsWith("* ", StringComparison.Ordinal))
            {
                FlushParagraph();
                list ??= [];
                list.Add(new JsonObject
                {
                    ["type"] = "listItem",
                    ["content"] = new JsonArray(new JsonObject { ["type"] = "paragraph", ["content"] = Inline(line[2..]) }),
                });
            }
            else if (line.Length == 0)
            {
                FlushParagraph();
                FlushList();
            }
            else
            {
                FlushList();
                paragraph.Add(line);
            }
        }

        FlushParagraph();
        FlushList();
        return new JsonObject { ["type"] = "doc", ["version"] = 1, ["content"] = blocks };
    }

    private static JsonArray InlineLines(List<string> lines)
    {
        var nodes = new JsonArray();
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                nodes.Add(new JsonObject { ["type"] = "hardBreak" });
            }

            foreach (var node in Inline(lines[i]).ToList())
            {
                nodes.Add(node!.DeepClone());
            }
        }

        return nodes;
    }

    /// <summary>Inline wiki: *strong*, _em_, {{code}}, [text|url].</summary>
    private static JsonArray Inline(string text)
    {
        var nodes = new JsonArray();
        var last = 0;
        foreach (Match m in InlineRegex().Matches(text))
        {
            if (m.Index > last)
            {
                nodes.Add(TextNode(text[last..m.Index]));
            }

            if (m.Groups["strong"].Success)
            {
                nodes.Add(TextNode(m.Groups["strong"].Value, new JsonObject { ["type"] = "strong" }));
            }
            else if (m.Groups["em"].Success)
            {
                nodes.Add(TextNode(m.Groups["em"].Value, new JsonObject { ["type"] = "em" }));
            }
            else if (m.Groups["code"].Success)
            {
                nodes.Add(TextNode(m.Groups["code"].Value, new JsonObject { ["type"] = "code" }));
            }
            else
            {
                var href = m.Groups["href"].Value;
                var label = m.Groups["label"].Success ? m.Groups["label"].Value : href;
                nodes.Add(TextNode(label, new JsonObject { ["type"] = "link", ["attrs"] = new JsonObject { ["href"] = href } }));
            }

            last = m.Index + m.Length;
        }

        if (last < text.Length)
        {
            nodes.Add(TextNode(text[last..]));
        }

        return nodes;
    }

    private static JsonObject TextNode(string text, JsonObject? mark = null)
    {
        var node = new JsonObject { ["type"] = "text", ["text"] = text };
        if (mark is not null)
        {
            node["marks"] = new JsonArray(mark);
        }

        return node;
    }

    /// <summary>ADF → wiki markup, the way Cloud answers a v2 read of text written through v3.</summary>
    public static string ToWiki(JsonNode doc)
    {
        var blocks = new List<string>();
        foreach (var block in doc["content"]?.AsArray() ?? [])
        {
            blocks.Add(BlockToWiki(block!));
        }

        return string.Join("\n\n", blocks);
    }

    private static string BlockToWiki(JsonNode block)
    {
        var type = (string?)block["type"];
        var content = block["content"]?.AsArray() ?? [];
        switch (type)
        {
            case "heading":
                return $"h{(int?)block["attrs"]?["level"] ?? 1}. {InlineToWiki(content)}";
            case "bulletList":
            case "orderedList":
                var bullet = type == "bulletList" ? "* " : "# ";
                return string.Join('\n', content.Select(item => bullet + string.Join(' ', (item?["content"]?.AsArray() ?? []).Select(p => InlineToWiki(p?["content"]?.AsArray() ?? [])))));
            case "codeBlock":
                return "{code}\n" + string.Concat(content.Select(t => (string?)t?["text"])) + "\n{code}";
            case "blockquote":
                return "{quote}" + string.Join("\n", content.Select(c => BlockToWiki(c!))) + "{quote}";
            case "rule":
                return "----";
            case "paragraph":
                return InlineToWiki(content);
            default:
                return content.Any(c => c?["content"] is JsonArray) ? string.Join("\n", content.Select(c => BlockToWiki(c!))) : InlineToWiki(content);
        }
    }

    private static string InlineToWiki(JsonArray nodes)
    {
        var sb = new StringBuilder();
        foreach (var node in nodes)
        {
            switch ((string?)node?["type"])
            {
                case "text":
                    var text = (string?)node["text"] ?? "";
                    foreach (var mark in node["marks"]?.AsArray() ?? [])
                    {
                        text = (string?)mark?["type"] switch
                        {
                            "strong" => $"*{text}*",
                            "em" => $"_{text}_",
                            "code" => $"{{{{{text}}}}}",
                            "strike" => $"-{text}-",
                            "underline" => $"+{text}+",
                            "link" => $"[{text}|{(string?)mark["attrs"]?["href"]}]",
                            _ => text,
                        };
                    }

                    sb.Append(text);
                    break;
                case "hardBreak":
                    sb.Append('\n');
                    break;
                case "mention":
                    sb.Append("[~accountid:").Append((string?)node["attrs"]?["id"]).Append(']');
                    break;
                case "emoji":
                    sb.Append((string?)node["attrs"]?["text"] ?? (string?)node["attrs"]?["shortName"]);
                    break;
                case "inlineCard":
                    sb.Append('[').Append((string?)node["attrs"]?["url"]).Append(']');
                    break;
                default:
                    sb.Append(InlineToWiki(node?["content"]?.AsArray() ?? []));
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Wiki markup → the HTML of <c>expand=renderedFields</c>.</summary>
    public static string WikiToHtml(string wiki)
    {
        var sb = new StringBuilder();
        foreach (var block in FromWiki(wiki)["content"]!.AsArray())
        {
            var content = block!["content"]?.AsArray() ?? [];
            switch ((string?)block["type"])
            {
                case "heading":
                    var level = (int?)block["attrs"]?["level"] ?? 1;
                    sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"<h{level}>{InlineHtml(content)}</h{level}>");
                    break;
                case "bulletList":
                    sb.Append("<ul>");
                    foreach (var item in content)
                    {
                        sb.Append("<li>").Append(InlineHtml(item!["content"]![0]!["content"]!.AsArray())).Append("</li>");
                    }

                    sb.Append("</ul>");
                    break;
                case "codeBlock":
                    sb.Append("<div class=\"code panel\"><div class=\"codeContent panelContent\"><pre class=\"code-java\">")
                        .Append(WebUtility.HtmlEncode(string.Concat(content.Select(t => (string?)t?["text"]))))
                        .Append("</pre></div></div>");
                    break;
                default:
                    sb.Append("<p>").Append(InlineHtml(content)).Append("</p>");
                    break;
            }
        }

        return sb.ToString();
    }

    private static string InlineHtml(JsonArray nodes)
    {
        var sb = new StringBuilder();
        foreach (var node in nodes)
        {
            if ((string?)node?["type"] == "hardBreak")
            {
                sb.Append("<br/>\n");
                continue;
            }

            var html = WebUtility.HtmlEncode((string?)node?["text"] ?? "");
            foreach (var mark in node?["marks"]?.AsArray() ?? [])
            {
                html = (string?)mark?["type"] switch
                {
                    "strong" => $"<b>{html}</b>",
                    "em" => $"<em>{html}</em>",
                    "code" => $"<tt>{html}</tt>",
                    "link" => $"<a href=\"{WebUtility.HtmlEncode((string?)mark["attrs"]?["href"])}\" class=\"external-link\" rel=\"nofollow\">{html}</a>",
                    _ => html,
                };
            }

            sb.Append(html);
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"^h([1-6])\.\s+(.*)$")]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"\*(?<strong>[^*\n]+)\*|(?<![\w])_(?<em>[^_\n]+)_(?![\w])|\{\{(?<code>[^}]+)\}\}|\[(?:(?<label>[^|\]]+)\|)?(?<href>(?:https?|mailto):[^\]]+)\]")]
    private static partial Regex InlineRegex();
}
