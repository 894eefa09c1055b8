namespace PluginHub.Connectors.Abstractions;

/// <summary>What kind of failure a connector reports; it decides what the host does next.</summary>
public enum FailureKind
{
    /// <summary>The settings or the remote configuration are wrong (bad credentials, API disabled, missing permission).
    /// Retrying without a change by an admin will not help, so the host stops and reports it.</summary>
    Configuration = 1,

    /// <summary>The remote system is temporarily unavailable or rate limited. The host retries later, after
    /// <see cref="ConnectorException.RetryAfter"/> when it is given.</summary>
    Transient = 2,

    /// <summary>The record or resource does not exist (any more). Not retried for that record.</summary>
    NotFound = 3,

    /// <summary>Anything else, including bugs in the connector. Reported with the message; never retried in a tight loop.</summary>
    Internal = 4,
}
