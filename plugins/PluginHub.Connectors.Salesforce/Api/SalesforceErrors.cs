using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Http;

namespace PluginHub.Connectors.Salesforce.Api;

/// <summary>Salesforce's error codes mapped onto the contract's failure kinds (reference §8).</summary>
internal static class SalesforceErrors
{
    /// <summary>The first <c>{errorCode|statusCode, message}</c> of an error array (or object); nulls when the body is not one.</summary>
    public static (string? Code, string? Message) Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var first = doc.RootElement.ValueKind switch
            {
                JsonValueKind.Array when doc.RootElement.GetArrayLength() > 0 => doc.RootElement[0],
                JsonValueKind.Object => doc.RootElement,
                _ => default,
            };
            if (first.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var code = Str(first, "errorCode") ?? Str(first, "statusCode") ?? Str(first, "error");
            return (code, Str(first, "message") ?? Str(first, "error_description"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>The kind of a failure: limits and locks are Transient, access problems Configuration, unknown things NotFound.</summary>
    public static FailureKind Classify(int? status, string? code) => code switch
    {
        "REQUEST_LIMIT_EXCEEDED" or "UNABLE_TO_LOCK_ROW" or "SERVER_UNAVAILABLE" or "QUERY_TIMEOUT" or "INVALID_QUERY_LOCATOR" => FailureKind.Transient,
        "API_DISABLED_FOR_ORG" or "API_CURRENTLY_DISABLED" or "INSUFFICIENT_ACCESS" or "INSUFFICIENT_ACCESS_OR_READONLY" or "INVALID_SESSION_ID"
            or "INVALID_FIELD" or "MALFORMED_QUERY" or "INVALID_QUERY_FILTER_OPERATOR" or "INVALID_OPERATION" => FailureKind.Configuration,
        "INVALID_TYPE" or "NOT_FOUND" or "ENTITY_IS_DELETED" => FailureKind.NotFound,
        _ => HttpFailures.Classify(status),
    };

    /// <summary>Errors the SDK retries with back-off although their status alone is not transient: row locks and concurrency limits.</summary>
    public static async ValueTask<bool> IsTransientAsync(HttpResponseMessage response)
    {
        if ((int)response.StatusCode is not (400 or 403))
        {
            return false;
        }

        var body = await response.Content.ReadAsStringAsync();
        return body.Contains("UNABLE_TO_LOCK_ROW", StringComparison.Ordinal)
            || body.Contains("ConcurrentRequests", StringComparison.Ordinal)
            || body.Contains("ConcurrentPerOrgLongTxn", StringComparison.Ordinal);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
