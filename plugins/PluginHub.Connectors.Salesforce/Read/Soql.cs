using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PluginHub.Connectors.Salesforce.Read;

/// <summary>SOQL literals and the wire formats of dates, written once so that no value ever reaches a query unescaped.</summary>
internal static partial class Soql
{
    /// <summary>Ids per <c>IN (…)</c>: 200 quoted 18-character ids keep the URL near 5 KB, far below the 16 KB limit.</summary>
    public const int InChunk = 200;

    /// <summary>
    /// Most bytes of the encoded <c>q</c> parameter of a GET /query built by <see cref="PackIds"/>. Salesforce refuses a URI over
    /// 16,384 bytes (414), and a URI plus headers over 16,384 bytes (431): 12,000 leaves room for the path and ~4 KB of headers.
    /// </summary>
    public const int MaxEncodedQuery = 12_000;

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

    /// <summary><c>('001…','500…')</c> with the ids' 15-character forms, as <see cref="PackIds"/> writes them.</summary>
    public static string IdList(IEnumerable<string> ids) => InList(ids.Select(id => id[..15]));

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

    /// <summary>
    /// As many record ids per <c>IN (…)</c> as fit the URI limit: yields each query (<paramref name="soql"/> given the list) with the
    /// ids it names. Ids are written in their 15-character form (Salesforce accepts both and answers with 18) to fit more; values
    /// that are not ids are left out, as they would fail the whole query.
    /// </summary>
    public static IEnumerable<(string Soql, string[] Ids)> PackIds(IEnumerable<string> ids, Func<string, string> soql, int maxEncoded = MaxEncodedQuery)
    {
        var fixedCost = Uri.EscapeDataString(soql("()")).Length;
        var batch = new List<string>();
        var cost = fixedCost;
        foreach (var value in ids.Where(IsId).Distinct(StringComparer.Ordinal))
        {
            var extra = Uri.EscapeDataString(Quote(value[..15])).Length + (batch.Count > 0 ? 3 : 0); // ", " is not written: "," costs %2C
            if (batch.Count > 0 && cost + extra > maxEncoded)
            {
                yield return (soql(IdList(batch)), [.. batch]);
                batch.Clear();
                cost = fixedCost;
                extra -= 3;
            }

            batch.Add(value);
            cost += extra;
        }

        if (batch.Count > 0)
        {
            yield return (soql(IdList(batch)), [.. batch]);
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"([+-]\d{2})(\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetWithoutColon();
}
