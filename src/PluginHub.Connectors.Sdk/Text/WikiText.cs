using System.Text;
using System.Text.RegularExpressions;

namespace PluginHub.Connectors.Sdk.Text;

/// <summary>
/// Jira wiki markup ↔ plain text for the common subset: paragraphs, <c>\\</c> breaks, headings, <c>*bold*</c>, <c>_italic_</c>
/// and the other inline effects, <c>[text|url]</c> links, <c>*</c>/<c>#</c> lists, tables, <c>{code}</c>/<c>{noformat}</c>/<c>{quote}</c>.
/// </summary>
public static partial class WikiText
{
    /// <summary>The text a reader sees, in the plain-text conventions.</summary>
    public static string ToText(string wiki)
    {
        ArgumentNullException.ThrowIfNull(wiki);
        var output = new StringBuilder(wiki.Length);
        var counters = new int[8];
        string? verbatim = null;
        foreach (var raw in wiki.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimEnd();
            if (verbatim is not null)
            {
                var close = line.IndexOf("{" + verbatim + "}", StringComparison.Ordinal);
                output.Append(close < 0 ? line : line[..close]).Append('\n');
                if (close >= 0)
                {
                    verbatim = null;
                    output.Append('\n');
                }

                continue;
            }

            if (CodeStart().Match(line) is { Success: true } code)
            {
                var rest = line[code.Length..];
                var close = rest.IndexOf("{" + code.Groups[1].Value + "}", StringComparison.Ordinal);
                output.Append('\n').Append(close < 0 ? rest : rest[..close]);
                output.Append(close < 0 && rest.Length > 0 ? "\n" : "");
                verbatim = close < 0 ? code.Groups[1].Value : null;
                output.Append(close >= 0 ? "\n\n" : "");
                continue;
            }

            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith("----", StringComparison.Ordinal) && trimmed.All(c => c == '-'))
            {
                output.Append('\n');
                Array.Clear(counters);
                continue;
            }

            if (Heading().Match(trimmed) is { Success: true } heading)
            {
                output.Append('\n').Append(Inline(trimmed[heading.Length..])).Append("\n\n");
                continue;
            }

            if (trimmed.StartsWith("bq. ", StringComparison.Ordinal))
            {
                trimmed = trimmed[4..];
            }

            if (ListItem().Match(trimmed) is { Success: true } item)
            {
                var markers = item.Groups[1].Value;
                var depth = Math.Min(markers.Length, counters.Length) - 1;
                Array.Clear(counters, depth + 1, counters.Length - depth - 1);
                var prefix = markers[^1] == '#' ? $"{++counters[depth]}. " : "- ";
                output.Append(' ', 2 * depth).Append(prefix).Append(Inline(trimmed[item.Length..])).Append('\n');
                continue;
            }

            Array.Clear(counters);
            if (trimmed.StartsWith('|'))
            {
                var cells = trimmed.Trim('|').Split('|', StringSplitOptions.RemoveEmptyEntries).Select(cell => Inline(cell.Trim()));
                output.Append(string.Join(" | ", cells)).Append('\n');
                continue;
            }

            output.Append(Inline(line)).Append('\n');
        }

        return PlainBlocks.Tidy(output);
    }

    /// <summary>Wiki markup for plain text: special characters escaped, URLs linked, <c>- </c>/<c>1. </c> lines as lists.</summary>
    public static string FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var wiki = new StringBuilder(text.Length + 16);
        foreach (var block in PlainBlocks.Split(text))
        {
            if (wiki.Length > 0)
            {
                wiki.Append("\n\n");
            }

            for (var i = 0; i < block.Lines.Count; i++)
            {
                wiki.Append(i > 0 ? "\n" : "");
                wiki.Append(block.Kind switch
                {
                    PlainBlocks.BlockKind.Bullets => "* ",
                    PlainBlocks.BlockKind.Numbers => "# ",
                    _ => "",
                });
                foreach (var (part, isUrl) in PlainBlocks.Links(block.Lines[i]))
                {
                    if (isUrl)
                    {
                        wiki.Append('[').Append(part).Append(']');
                    }
                    else
                    {
                        Escape(wiki, part);
                    }
                }
            }
        }

        return wiki.ToString();
    }

    private static void Escape(StringBuilder wiki, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            // A leading "-" or "#" would start a list, and the others are effects or macros anywhere.
            if (c is '\\' or '*' or '_' or '+' or '^' or '~' or '{' or '}' or '[' or ']' or '|' or '!'
                || (c is '-' or '#' && wiki.Length > 0 && wiki[^1] == '\n')
                || (c == '-' && (i == 0 || i + 1 == text.Length || char.IsWhiteSpace(text[i - 1]) || char.IsWhiteSpace(text[i + 1])))
                || (c == '?' && ((i + 1 < text.Length && text[i + 1] == '?') || (i > 0 && text[i - 1] == '?'))))
            {
                wiki.Append('\\');
            }

            wiki.Append(c);
        }
    }

    private static string Inline(string text)
    {
        text = Link().Replace(text, match =>
        {
            var parts = match.Groups[1].Value.Split('|');
            return parts.Length == 1
                ? parts[0].TrimStart('~', '#', '^')
                : PlainBlocks.LinkText(parts[0], parts[1].Trim());
        });
        text = Image().Replace(text, "");
        text = Macro().Replace(text, "");
        text = text.Replace("\\\\", "\n", StringComparison.Ordinal);
        text = Monospace().Replace(text, "$1");
        text = Effect().Replace(text, "$2");
        text = Citation().Replace(text, "$1");
        return Escaped().Replace(text, "$1");
    }

    [GeneratedRegex(@"^\s*\{(code|noformat)(?::[^}]*)?\}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CodeStart();

    [GeneratedRegex(@"^h[1-6]\.\s+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^([*#-]{1,8})\s+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"(?<!\\)\[([^\[\]\n]+)\]", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Link();

    [GeneratedRegex(@"(?<!\\)![^!\s][^!\n]*!", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Image();

    [GeneratedRegex(@"(?<!\\)\{(?:quote|panel|color|noformat|code|anchor)(?::[^}]*)?\}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Macro();

    [GeneratedRegex(@"\{\{(.+?)\}\}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Monospace();

    [GeneratedRegex(@"(?<![\w\\])([*_+^~-])(?=\S)(.+?)(?<=\S)\1(?!\w)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Effect();

    [GeneratedRegex(@"\?\?(.+?)\?\?", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Citation();

    [GeneratedRegex(@"\\([\\*_+^~{}\[\]|!#?-])", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Escaped();
}
