using System.Globalization;
using System.Text.RegularExpressions;

namespace PluginHub.Sandbox.Jira.Jql;

/// <summary>
/// JQL date operands. Quoted literals carry no zone and minute precision: they are read in the searching user's
/// time zone (reference §2.4). An unquoted integer is epoch milliseconds; <c>-5m</c>, <c>2h</c>, <c>-1w 2d</c> are
/// relative to now.
/// </summary>
internal static partial class JqlDates
{
    private static readonly string[] LiteralFormats = ["yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy/MM/dd", "yyyy-MM-dd"];

    public static string InvalidMessage(string value, string field) =>
        $"Date value '{value}' for field '{field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

    public static bool TryParse(string text, bool quoted, TimeZoneInfo zone, DateTimeOffset now, out long epochMs)
    {
        epochMs = 0;
        var value = text.Trim();
        if (!quoted && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out epochMs))
        {
            return true;
        }

        if (DateTime.TryParseExact(value, LiteralFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var offset = zone.GetUtcOffset(local);
            epochMs = new DateTimeOffset(local, offset).ToUnixTimeMilliseconds();
            return true;
        }

        var match = PeriodRegex().Match(value);
        if (match.Success && match.Groups["part"].Captures.Count > 0)
        {
            var negative = match.Groups["sign"].Value == "-";
            var total = TimeSpan.Zero;
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var n = int.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
                total += char.ToLowerInvariant(part.Value[^1]) switch
                {
                    'w' => TimeSpan.FromDays(7 * n),
                    'd' => TimeSpan.FromDays(n),
                    'h' => TimeSpan.FromHours(n),
                    _ => TimeSpan.FromMinutes(n),
                };
            }

            epochMs = (negative ? now - total : now + total).ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }

    /// <summary>The date functions: <c>now()</c>, <c>startOfDay()</c>, <c>endOfDay()</c>, <c>startOfWeek()</c>, <c>startOfMonth()</c>, <c>startOfYear()</c> (optional "-1d"-style increment).</summary>
    public static bool TryFunction(string name, IReadOnlyList<string> args, TimeZoneInfo zone, DateTimeOffset now, out long epochMs)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var day = new DateTimeOffset(local.Date, local.Offset);
        DateTimeOffset? result = name.ToLowerInvariant() switch
        {
            "now" => now,
            "startofday" => day,
            "endofday" => day.AddDays(1).AddMilliseconds(-1),
            "startofweek" => day.AddDays(-(int)local.DayOfWeek),
            "endofweek" => day.AddDays(7 - (int)local.DayOfWeek).AddMilliseconds(-1),
            "startofmonth" => new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, local.Offset),
            "endofmonth" => new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, local.Offset).AddMonths(1).AddMilliseconds(-1),
            "startofyear" => new DateTimeOffset(local.Year, 1, 1, 0, 0, 0, local.Offset),
            _ => null,
        };
        epochMs = 0;
        if (result is null)
        {
            return false;
        }

        if (args.Count == 1 && TryParse(args[0], false, zone, result.Value, out var shifted) && !long.TryParse(args[0], CultureInfo.InvariantCulture, out _))
        {
            epochMs = shifted;
            return true;
        }

        epochMs = result.Value.ToUnixTimeMilliseconds();
        return true;
    }

    /// <summary>Parses Jira's <c>yyyy-MM-ddTHH:mm:ss.SSS+hhmm</c> (and ISO forms with a colon).</summary>
    public static bool TryParseJiraTimestamp(string? text, out long epochMs)
    {
        epochMs = 0;
        if (text is null)
        {
            return false;
        }

        var normalised = TimestampRegex().Replace(text, "$1:$2");
        if (DateTimeOffset.TryParse(normalised, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            epochMs = value.ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"^(?<sign>[-+]?)\s*(?:(?<part>\d+[wdhmWDHM])\s*)+$")]
    private static partial Regex PeriodRegex();

    [GeneratedRegex(@"([+-]\d{2})(\d{2})$")]
    private static partial Regex TimestampRegex();
}
