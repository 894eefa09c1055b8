using System.Text;

namespace PluginHub.Connectors.Sdk.Text;

/// <summary>
/// The plain-text conventions every converter shares: paragraphs are separated by a blank line, a single newline is a line
/// break, <c>- item</c> is a bullet, <c>1. item</c> a numbered item, and a link is its text followed by <c>(url)</c>.
/// </summary>
internal static class PlainBlocks
{
    internal enum BlockKind
    {
        Paragraph,
        Bullets,
        Numbers,
    }

    /// <summary>One paragraph or list: its lines with the list markers removed.</summary>
    internal sealed record Block(BlockKind Kind, IReadOnlyList<string> Lines);

    public static List<Block> Split(string text)
    {
        var blocks = new List<Block>();
        var lines = new List<string>();
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n'))
        {
            if (raw.Trim().Length == 0)
            {
                Flush(blocks, lines);
            }
            else
            {
                lines.Add(raw.TrimEnd());
            }
        }

        Flush(blocks, lines);
        return blocks;
    }

    /// <summary>Splits text into plain runs and URLs (http, https, mailto), so that markup writers can link the URLs.</summary>
    public static IEnumerable<(string Text, bool IsUrl)> Links(string line)
    {
        var start = 0;
        var i = 0;
        while (i < line.Length)
        {
            if ((i == 0 || !char.IsLetterOrDigit(line[i - 1])) && StartsUrl(line, i))
            {
                var end = i;
                while (end < line.Length && !char.IsWhiteSpace(line[end]) && line[end] is not ('<' or '>' or '"' or '|' or '[' or ']'))
                {
                    end++;
                }

                // Trailing punctuation usually ends the sentence, not the URL.
                while (end > i && line[end - 1] is '.' or ',' or ';' or ':' or '!' or '?' or ')' or '\'')
                {
                    end--;
                }

                if (start < i)
                {
                    yield return (line[start..i], false);
                }

                yield return (line[i..end], true);
                start = i = end;
                continue;
            }

            i++;
        }

        if (start < line.Length)
        {
            yield return (line[start..], false);
        }
    }

    /// <summary>Collapses runs of blank lines and trims, the last step of every <c>…ToText</c>.</summary>
    public static string Tidy(StringBuilder output)
    {
        var lines = output.ToString().Split('\n').Select(line => line.TrimEnd());
        var result = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (result.Length > 0)
            {
                result.Append(blank > 0 ? "\n\n" : "\n");
            }

            blank = 0;
            result.Append(line);
        }

        return result.ToString();
    }

    public static string LinkText(string text, string url)
    {
        text = text.Trim();
        if (text.Length == 0 || text == url || "mailto:" + text == url)
        {
            return url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && text.Length > 0 ? text : url;
        }

        return $"{text} ({url})";
    }

    private static bool StartsUrl(string line, int i) =>
        string.CompareOrdinal(line, i, "https://", 0, 8) == 0
        || string.CompareOrdinal(line, i, "http://", 0, 7) == 0
        || string.CompareOrdinal(line, i, "mailto:", 0, 7) == 0;

    private static void Flush(List<Block> blocks, List<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        if (lines.All(IsBullet))
        {
            blocks.Add(new Block(BlockKind.Bullets, lines.Select(line => line.TrimStart()[2..].Trim()).ToList()));
        }
        else if (lines.All(line => NumberPrefix(line) > 0))
        {
            blocks.Add(new Block(BlockKind.Numbers, lines.Select(line => line.TrimStart()[NumberPrefix(line)..].Trim()).ToList()));
        }
        else
        {
            blocks.Add(new Block(BlockKind.Paragraph, lines.ToList()));
        }

        lines.Clear();
    }

    private static bool IsBullet(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length > 2 && trimmed[0] is '-' or '*' && trimmed[1] == ' ';
    }

    /// <summary>The length of a <c>12. </c> or <c>12) </c> prefix, 0 when there is none.</summary>
    private static int NumberPrefix(string line)
    {
        var trimmed = line.TrimStart();
        var digits = 0;
        while (digits < trimmed.Length && digits < 9 && char.IsAsciiDigit(trimmed[digits]))
        {
            digits++;
        }

        return digits > 0 && digits + 2 < trimmed.Length && trimmed[digits] is '.' or ')' && trimmed[digits + 1] == ' ' ? digits + 2 : 0;
    }
}
