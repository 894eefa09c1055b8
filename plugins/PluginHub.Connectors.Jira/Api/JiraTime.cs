using System.Globalization;
using System.Text.Json.Nodes;

namespace PluginHub.Connectors.Jira.Api;

/// <summary>Jira's timestamps (<c>2024-01-01T12:00:00.000+0000</c>, an offset without colon that System.Text.Json refuses).</summary>
internal static class JiraTime
{
    public static DateTimeOffset Parse(string text)
    {
        // "+0000" → "+00:00"; anything else is left to the invariant parser.
        if (text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit))
        {
            text = string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();
    }

    public static DateTimeOffset? Parse(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? Parse(s) : null;

    /// <summary>The format Jira accepts for date-time fields.</summary>
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
}
