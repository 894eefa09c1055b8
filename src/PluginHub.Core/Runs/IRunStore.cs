namespace PluginHub.Core.Runs;

/// <summary>Stores run metadata and per-record errors (ids and reasons only).</summary>
public interface IRunStore
{
    Task<Run> StartAsync(Guid integrationId, RunTrigger trigger, CancellationToken cancellationToken);

    /// <summary>Records a run that was asked for and will start when the integration is free.</summary>
    Task<Run> QueueAsync(Guid integrationId, RunTrigger trigger, CancellationToken cancellationToken);

    /// <summary>Marks a queued run as started; null when there is no such queued run.</summary>
    Task<Run?> MarkRunningAsync(Guid runId, CancellationToken cancellationToken);

    Task FinishAsync(Guid runId, RunStatus status, RunCounts counts, string? message, IReadOnlyList<RecordError> errors, CancellationToken cancellationToken);

    /// <summary>The newest runs of an integration first.</summary>
    Task<IReadOnlyList<Run>> ListAsync(Guid integrationId, int limit, CancellationToken cancellationToken);

    /// <summary>The run with its errors, or null.</summary>
    Task<Run?> GetAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>Ends every run still Queued or Running as Failed with <paramref name="message"/>; returns how many. For a host
    /// that is the only one on its database, at start-up: such runs belonged to a process that stopped.</summary>
    Task<int> CloseUnfinishedAsync(string message, CancellationToken cancellationToken);
}
