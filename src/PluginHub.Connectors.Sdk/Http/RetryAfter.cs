using System.Globalization;
using System.Net.Http.Headers;

namespace PluginHub.Connectors.Sdk.Http;

/// <summary>Reads how long a remote system asked us to wait.</summary>
public static class RetryAfter
{
    /// <summary>
    /// The wait from <c>Retry-After</c> (seconds or an HTTP date), else from <c>X-RateLimit-Reset</c> (an ISO-8601 instant, as Jira
    /// Cloud's gateway sends without Retry-After); null when the response says nothing. Never negative.
    /// </summary>
    public static TimeSpan? From(HttpResponseMessage response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        if (response.Headers.RetryAfter is RetryConditionHeaderValue header)
        {
            var wait = header.Delta ?? (header.Date is { } date ? date - now : null);
            if (wait is { } w)
            {
                return w < TimeSpan.Zero ? TimeSpan.Zero : w;
            }
        }

        if (response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
            && DateTimeOffset.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var reset))
        {
            var wait = reset - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
