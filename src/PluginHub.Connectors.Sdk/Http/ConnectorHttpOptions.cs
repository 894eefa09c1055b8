namespace PluginHub.Connectors.Sdk.Http;

/// <summary>How a connector's HTTP client behaves. One client (and so one retry budget) per remote system and connection.</summary>
public sealed record ConnectorHttpOptions
{
    /// <summary>The remote system's base URL; request paths are appended to it (a base URL with a path is kept).</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first back-off delay; doubled per attempt, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>No back-off is longer than this.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A Retry-After longer than this is not waited for: the call fails as Transient with the wait in <c>RetryAfter</c>,
    /// so the host can end the run politely instead of blocking a thread for minutes.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Extra responses to retry, e.g. Salesforce's 400 <c>UNABLE_TO_LOCK_ROW</c>. Reads the body only when it needs to.</summary>
    public Func<HttpResponseMessage, ValueTask<bool>>? IsTransient { get; init; }

    /// <summary>Sent as the User-Agent header.</summary>
    public string UserAgent { get; init; } = "PluginHub";

    /// <summary>The clock for back-off delays; tests may pass a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
