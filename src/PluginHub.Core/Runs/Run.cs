namespace PluginHub.Core.Runs;

public enum RunStatus
{
    /// <summary>Asked for (run now, event) and waiting for the integration's previous run to finish.</summary>
    Queued,
    Running,
    Succeeded,
    PartiallyFailed,
    Failed,
}

/// <summary>What started a run.</summary>
public enum RunTrigger
{
    Schedule,
    Manual,
    Event,
}

/// <summary>Counts of a run; records only, never their contents.</summary>
public sealed record RunCounts(int Read, int Created, int Updated, int Skipped, int Failed)
{
    public static RunCounts Zero { get; } = new(0, 0, 0, 0, 0);
}

/// <summary>The metadata of one run of an integration.</summary>
public sealed record Run
{
    public required Guid Id { get; init; }

    public required Guid IntegrationId { get; init; }

    public required RunTrigger Trigger { get; init; }

    public required RunStatus Status { get; init; }

    public required DateTime StartedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    public required RunCounts Counts { get; init; }

    /// <summary>Why the run failed as a whole; null otherwise. Never contains field values.</summary>
    public string? Message { get; init; }

    public IReadOnlyList<RecordError> Errors { get; init; } = [];
}

/// <summary>A record that failed in a run: its id and a readable reason, no payload.</summary>
public sealed record RecordError(string RecordId, string Message);
