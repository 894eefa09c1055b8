using System.Net;
using System.Text;

namespace PluginHub.Connectors.Sdk.Text;

/// <summary>
/// HTML ↔ plain text for the common subset (paragraphs, line breaks, bold/italic, links, lists, simple tables).
/// A small single-pass scanner rather than an HTML parser: it never throws on bad markup and runs in linear time.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> ParagraphTags =
        ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "section", "article", "header", "footer", "hr"];

    private static readonly HashSet<string> SkippedTags = ["script", "style", "head", "title", "template"];

    /// <summary>The text a reader sees, in the plain-text conventions (blank line between paragraphs, <c>- </c> bullets, <c>text (url)</c> links).</summary>
    public static string ToText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var output = new StringBuilder(html.Length);
        var lists = new Stack<(bool Ordered, int Next)>();
        var links = new Stack<(int Start, string? Href)>();
        var pendingBreak = 0;
        var pre = 0;
        var firstCell = true;
        var unterminated = false;
        var itemStart = -1;
        var i = 0;
        while (i < html.Length)
        {
            if (html[i] == '<')
            {
                if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
                {
                    var close = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                    i = close < 0 ? html.Length : close + 3;
                    continue;
                }

                // Once a '<' has no closing '>', no later one has: treating the rest as text keeps this linear.
                var end = unterminated ? -1 : TagEnd(html, i);
                unterminated = end < 0;
                if (end < 0 || i + 1 >= html.Length || !(char.IsAsciiLetter(html[i + 1]) || html[i + 1] is '/' or '!' or '?'))
                {
                    Append(html[i..(i + 1)]);
                    i++;
                    continue;
                }

                var tag = html[(i + 1)..end];
                i = end + 1;
                var closing = tag.StartsWith('/');
                var name = TagName(closing ? tag[1..] : tag);
                if (name.Length == 0)
                {
                    continue; // <!doctype>, <?xml?>
                }

                if (!closing && SkippedTags.Contains(name))
                {
                    var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                    i = close < 0 ? html.Length : Math.Max(i, TagEnd(html, close) + 1);
                    continue;
                }

                switch (name)
                {
                    case "br":
                        // A second <br> in a row is a visible blank line.
                        pendingBreak = pendingBreak >= 1 ? 2 : 1;
                        break;
                    case "li" when !closing:
                        pendingBreak = Math.Max(pendingBreak, 1);
                        var (ordered, next) = lists.Count > 0 ? lists.Pop() : (false, 1);
                        lists.Push((ordered, next + 1));
                        Break();
                        output.Append(' ', 2 * Math.Max(0, lists.Count - 1)).Append(ordered ? $"{next}. " : "- ");
                        itemStart = output.Length;
                        break;
                    case "li":
                        pendingBreak = Math.Max(pendingBreak, 1);
                        break;
                    case "ul" or "ol":
                        if (closing)
                        {
                            if (lists.Count > 0)
                            {
                                lists.Pop();
                            }
                        }
                        else
                        {
                            lists.Push((name == "ol", 1));
                        }

                        pendingBreak = lists.Count > (closing ? 0 : 1) ? Math.Max(pendingBreak, 1) : 2;
                        break;
                    case "tr":
                        pendingBreak = Math.Max(pendingBreak, 1);
                        firstCell = true;
                        break;
                    case "td" or "th" when !closing:
                        if (!firstCell)
                        {
                            output.Append(" | ");
                        }

                        firstCell = false;
                        break;
                    case "a" when !closing:
                        Break();
                        links.Push((output.Length, Attribute(tag, "href")));
                        break;
                    case "a":
                        if (links.Count > 0)
                        {
                            var (start, href) = links.Pop();
                            if (href is { Length: > 0 })
                            {
                                var text = output.ToString(start, output.Length - start);
                                output.Length = start;
                                output.Append(PlainBlocks.LinkText(text, href));
                            }
                        }

                        break;
                    case "img" when Attribute(tag, "alt") is { Length: > 0 } alt:
                        Append(alt);
                        break;
                    default:
                        if (ParagraphTags.Contains(name))
                        {
                            // Inside a list item a paragraph is a line, not a blank-line block.
                            pendingBreak = lists.Count > 0 && name is not ("ul" or "ol") ? Math.Max(pendingBreak, 1) : 2;
                            pre += name == "pre" ? (closing ? -1 : 1) : 0;
                            pre = Math.Max(0, pre);
                        }

                        break;
                }

                continue;
            }

            var next2 = html.IndexOf('<', i);
            var segment = next2 < 0 ? html[i..] : html[i..next2];
            i = next2 < 0 ? html.Length : next2;
            Append(WebUtility.HtmlDecode(segment));
        }

        return PlainBlocks.Tidy(output.Replace('\u00A0', ' '));

        void Break()
        {
            if (pendingBreak == 0)
            {
                return;
            }

            if (output.Length == itemStart)
            {
                // Right after "- ": the item's first paragraph starts on the same line.
                pendingBreak = 0;
                return;
            }

            if (output.Length > 0)
            {
                while (output.Length > 0 && output[^1] == ' ')
                {
                    output.Length--;
                }

                output.Append(pendingBreak >= 2 ? "\n\n" : "\n");
            }

            pendingBreak = 0;
        }

        void Append(string text)
        {
            foreach (var c in text)
            {
                if (pre == 0 && c is ' ' or '\t' or '\n' or '\r' or '\f')
                {
                    if (output.Length > 0 && output[^1] is not (' ' or '\n') && pendingBreak == 0)
                    {
                        output.Append(' ');
                    }

                    continue;
                }

                Break();
                output.Append(c);
            }
        }
    }

    /// <summary>HTML for plain text: paragraphs, <c>&lt;br&gt;</c> line breaks, lists from <c>- </c>/<c>1. </c> lines, linked URLs; everything else encoded.</summary>
    public static string FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var html = new StringBuilder(text.Length + 32);
        foreach (var block in PlainBlocks.Split(text))
        {
            switch (block.Kind)
            {
                case PlainBlocks.BlockKind.Paragraph:
                    html.Append("<p>");
                    for (var line = 0; line < block.Lines.Count; line++)
                    {
                        html.Append(line > 0 ? "<br>" : "");
                        Inline(html, block.Lines[line]);
                    }

                    html.Append("</p>");
                    break;
                default:
                    var tag = block.Kind == PlainBlocks.BlockKind.Bullets ? "ul" : "ol";
                    html.Append('<').Append(tag).Append('>');
                    foreach (var item in block.Lines)
                    {
                        html.Append("<li>");
                        Inline(html, item);
                        html.Append("</li>");
                    }

                    html.Append("</").Append(tag).Append('>');
                    break;
            }
        }

        return html.ToString();
    }

    private static void Inline(StringBuilder html, string line)
    {
        foreach (var (part, isUrl) in PlainBlocks.Links(line))
        {
            var encoded = WebUtility.HtmlEncode(part);
            if (isUrl)
            {
                html.Append("<a href=\"").Append(encoded).Append("\">").Append(encoded).Append("</a>");
            }
            else
            {
                html.Append(encoded);
            }
        }
    }

    private static int TagEnd(string html, int start)
    {
        char quote = '\0';
        for (var i = start + 1; i < html.Length; i++)
        {
            var c = html[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i;
            }
        }

        return -1;
    }

    private static string TagName(string tag)
    {
        var length = 0;
        while (length < tag.Length && (char.IsAsciiLetterOrDigit(tag[length]) || tag[length] == '-'))
        {
            length++;
        }

        return tag[..length].ToLowerInvariant();
    }

    private static string? Attribute(string tag, string name)
    {
        var i = 0;
        while ((i = tag.IndexOf(name, i, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var before = i == 0 ? ' ' : tag[i - 1];
            var j = i + name.Length;
            i = j;
            if (!char.IsWhiteSpace(before))
            {
                continue;
            }

            while (j < tag.Length && char.IsWhiteSpace(tag[j]))
            {
                j++;
            }

            if (j >= tag.Length || tag[j] != '=')
            {
                continue;
            }

            j++;
            while (j < tag.Length && char.IsWhiteSpace(tag[j]))
            {
                j++;
            }

            if (j >= tag.Length)
            {
                return null;
            }

            var quote = tag[j];
            var value = quote is '"' or '\''
                ? tag[(j + 1)..(tag.IndexOf(quote, j + 1) is var close and >= 0 ? close : tag.Length)]
                : new string(tag[j..].TakeWhile(c => !char.IsWhiteSpace(c) && c != '/').ToArray());
            return WebUtility.HtmlDecode(value);
        }

        return null;
    }
}
