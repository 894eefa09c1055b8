using System.Net;
using Flurl.Http;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Sdk.Http;

/// <summary>Maps HTTP failures onto the contract's failure kinds, so every connector reports them the same way.</summary>
public static class HttpFailures
{
    /// <summary>
    /// The kind of an HTTP status: 401/403 Configuration (credentials, permissions), 404 NotFound, 408/429/5xx Transient,
    /// no status at all (connection refused, timeout) Transient, anything else Internal (a request the remote system refuses
    /// is a bug or bad data, which retrying does not fix).
    /// </summary>
    public static FailureKind Classify(int? status) => status switch
    {
        null => FailureKind.Transient,
        (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden => FailureKind.Configuration,
        (int)HttpStatusCode.NotFound => FailureKind.NotFound,
        (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500 => FailureKind.Transient,
        _ => FailureKind.Internal,
    };

    /// <summary>Turns a Flurl failure into a <see cref="ConnectorException"/> with the kind, the remote code and the wait asked for.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="message">What was attempted and what went wrong, readable, without secrets or field values.</param>
    /// <param name="remoteCode">The remote error code parsed from the body by the connector, if any.</param>
    /// <param name="time">The clock, to turn an HTTP-date Retry-After into a wait.</param>
    public static ConnectorException ToConnectorException(FlurlHttpException exception, string message, string? remoteCode = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var response = exception.Call?.Response?.ResponseMessage;
        var kind = exception is FlurlHttpTimeoutException ? FailureKind.Transient : Classify(exception.StatusCode);
        return new ConnectorException(kind, message, exception)
        {
            RemoteCode = remoteCode,
            RetryAfter = response is null ? null : RetryAfter.From(response, time ?? TimeProvider.System),
        };
    }
}
