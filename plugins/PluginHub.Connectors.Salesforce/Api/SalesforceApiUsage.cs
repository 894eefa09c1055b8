using System.Globalization;
using System.Text.RegularExpressions;

namespace PluginHub.Connectors.Salesforce;

/// <summary>The org's rolling 24-hour API usage, as the last response's <c>Sforce-Limit-Info</c> header said.</summary>
/// <param name="Used">Calls made.</param>
/// <param name="Max">The allocation.</param>
public sealed partial record SalesforceApiUsage(long Used, long Max)
{
    /// <summary>Parses <c>api-usage=used/max</c> (other entries such as <c>per-app-api-usage</c> are ignored); null when absent.</summary>
    public static SalesforceApiUsage? Parse(string? header)
    {
        var m = header is null ? null : Pattern().Match(header);
        return m is { Success: true }
            ? new SalesforceApiUsage(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    [GeneratedRegex(@"(?:^|[;\s])api-usage=(\d+)/(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
