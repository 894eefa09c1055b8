namespace PluginHub.Core.Runs;

/// <summary>Runs one integration once. The scheduler guarantees that one integration never runs twice at the same time.</summary>
public interface IIntegrationRunner
{
    /// <summary>Runs the integration and returns the finished run; null when it does not exist or is disabled (for scheduled and event runs).</summary>
    /// <param name="integrationId">The integration.</param>
    /// <param name="trigger">What started it; manual runs also run disabled integrations.</param>
    /// <param name="cancellationToken">Stops the run at the next safe point; what was checkpointed stays.</param>
    Task<Run?> RunAsync(Guid integrationId, RunTrigger trigger, CancellationToken cancellationToken) =>
        RunAsync(integrationId, trigger, queuedRunId: null, cancellationToken);

    /// <summary>As <see cref="RunAsync(Guid, RunTrigger, CancellationToken)"/>, continuing a run recorded as queued (by "run now").</summary>
    /// <param name="integrationId">The integration.</param>
    /// <param name="trigger">What started it.</param>
    /// <param name="queuedRunId">The queued run to continue; null to record a new run.</param>
    /// <param name="cancellationToken">Stops the run at the next safe point.</param>
    Task<Run?> RunAsync(Guid integrationId, RunTrigger trigger, Guid? queuedRunId, CancellationToken cancellationToken);
}
