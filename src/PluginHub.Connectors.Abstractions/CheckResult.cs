namespace PluginHub.Connectors.Abstractions;

/// <summary>The outcome of <see cref="IConnector.CheckAsync"/>.</summary>
public sealed record CheckResult
{
    /// <summary>True when the connection works with the given settings.</summary>
    public required bool Healthy { get; init; }

    /// <summary>Why it does not work; null when <see cref="Healthy"/>.</summary>
    public FailureKind? FailureKind { get; init; }

    /// <summary>A readable summary for admins (for example the user the credentials act as, or the reason of the failure). Never contains secrets.</summary>
    public string? Message { get; init; }

    /// <summary>A healthy result.</summary>
    /// <param name="message">Optional detail such as the authenticated user.</param>
    public static CheckResult Ok(string? message = null) => new() { Healthy = true, Message = message };

    /// <summary>A failed result.</summary>
    /// <param name="kind">The kind of failure.</param>
    /// <param name="message">A readable reason without secrets.</param>
    public static CheckResult Failed(FailureKind kind, string message) => new() { Healthy = false, FailureKind = kind, Message = message };
}
