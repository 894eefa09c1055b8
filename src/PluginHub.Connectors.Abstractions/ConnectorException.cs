namespace PluginHub.Connectors.Abstractions;

/// <summary>
/// The only exception a connector should let escape. Any other exception is treated as <see cref="FailureKind.Internal"/>.
/// The <see cref="Exception.Message"/> is shown to admins and written to logs, so it must never contain secrets,
/// tokens or record field values.
/// </summary>
public class ConnectorException : Exception
{
    /// <summary>Creates an exception of the given kind.</summary>
    /// <param name="kind">What the host should do about it.</param>
    /// <param name="message">A readable reason without secrets or field values.</param>
    /// <param name="innerException">The cause, if any; it may be logged, so it too must be free of secrets.</param>
    public ConnectorException(FailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What the host should do about the failure.</summary>
    public FailureKind Kind { get; }

    /// <summary>For <see cref="FailureKind.Transient"/>: how long the remote system asked us to wait; null when it did not say.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The remote system's own error code (for example <c>INVALID_SESSION_ID</c>), or null.</summary>
    public string? RemoteCode { get; init; }
}
