using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PluginHub.Connectors.Salesforce.Read;

/// <summary>SOQL literals and the wire formats of dates, written once so that no value ever reaches a query unescaped.</summary>
internal static partial class Soql
{
    /// <summary>Ids per <c>IN (…)</c>: 200 quoted 18-character ids keep the URL near 5 KB, far below the 16 KB limit.</summary>
    public const int InChunk = 200;

    /// <summary>A quoted string literal with backslash escapes.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '\'' => "\\'",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return sb.Append('\'').ToString();
    }

    /// <summary><c>('a','b')</c>.</summary>
    public static string InList(IEnumerable<string> values) => "(" + string.Join(",", values.Select(Quote)) + ")";

    /// <summary>An unquoted dateTime literal in UTC with milliseconds.</summary>
    public static string DateTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>True for a syntactically valid 15- or 18-character record id (anything else would make the whole query fail).</summary>
    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>Parses Salesforce's datetime output (<c>2024-01-01T12:00:00.000+0000</c>) and ISO-8601 input forms.</summary>
    public static DateTimeOffset ParseDateTime(string text)
    {
        var normalized = OffsetWithoutColon().Replace(text, "$1:$2");
        return DateTimeOffset.Parse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();
    }

    public static IEnumerable<string[]> Chunks(IEnumerable<string> values, int size = InChunk) => values.Distinct(StringComparer.Ordinal).Chunk(size);

    [GeneratedRegex("^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"([+-]\d{2})(\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetWithoutColon();
}
