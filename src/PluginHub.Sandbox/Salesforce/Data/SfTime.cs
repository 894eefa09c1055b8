using System.Globalization;
using System.Text.RegularExpressions;

namespace PluginHub.Sandbox.Salesforce.Data;

/// <summary>Salesforce's wire formats for dates and datetimes.</summary>
internal static partial class SfTime
{
    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Salesforce keeps whole seconds (".000").</summary>
    public static DateTime Truncate(DateTimeOffset now) => new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    /// <summary>ISO-8601 <c>yyyy-MM-ddTHH:mm:ss</c>, optional fraction, then <c>Z</c>, <c>±HH:mm</c>, <c>±HHmm</c> or nothing (UTC).</summary>
    public static bool TryParseDateTime(string? text, out DateTime utc)
    {
        utc = default;
        if (text is null)
        {
            return false;
        }

        var m = DateTimePattern().Match(text.Trim());
        if (!m.Success)
        {
            return false;
        }

        var core = m.Groups[1].Value + (m.Groups[2].Success ? m.Groups[2].Value.PadRight(8, '0')[..8] : ".0000000");
        if (!DateTime.TryParseExact(core, "yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        var offset = TimeSpan.Zero;
        var zone = m.Groups[3].Value;
        if (zone.Length > 1)
        {
            var sign = zone[0] == '-' ? -1 : 1;
            var digits = zone[1..].Replace(":", string.Empty, StringComparison.Ordinal);
            offset = sign * new TimeSpan(int.Parse(digits[..2], CultureInfo.InvariantCulture), int.Parse(digits[2..], CultureInfo.InvariantCulture), 0);
        }

        utc = DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
        return true;
    }

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();
}
