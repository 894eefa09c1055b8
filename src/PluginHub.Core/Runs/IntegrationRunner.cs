using Microsoft.Extensions.Logging;
using PluginHub.Core.Integrations;

namespace PluginHub.Core.Runs;

/// <summary>
/// Records every run of an integration. The sync pipeline itself is not part of this build yet, so a run is recorded
/// and ends Failed with that reason, which keeps the scheduling path (Quartz → runner → run history) real and visible.
/// </summary>
public sealed class IntegrationRunner(IIntegrationStore integrations, IRunStore runs, ILogger<IntegrationRunner> logger) : IIntegrationRunner
{
    public const string NoPipelineMessage = "No sync pipeline is installed in this build; the run did nothing.";

    public async Task<Run?> RunAsync(Guid integrationId, RunTrigger trigger, Guid? queuedRunId, CancellationToken cancellationToken)
    {
        var integration = await integrations.GetAsync(integrationId, cancellationToken);
        if (integration is null || (!integration.Enabled && trigger != RunTrigger.Manual))
        {
            logger.LogDebug("Integration {IntegrationId} is missing or disabled; {Trigger} run skipped", integrationId, trigger);
            if (queuedRunId is { } skipped)
            {
                await runs.FinishAsync(skipped, RunStatus.Failed, RunCounts.Zero, "The integration was deleted or disabled before the run started.", [], cancellationToken);
            }

            return null;
        }

        var run = queuedRunId is { } queued
            ? await runs.MarkRunningAsync(queued, cancellationToken) ?? await runs.StartAsync(integrationId, trigger, cancellationToken)
            : await runs.StartAsync(integrationId, trigger, cancellationToken);
        logger.LogInformation("Run {RunId} of integration {IntegrationName} ({Trigger}) started", run.Id, integration.Name, trigger);
        await runs.FinishAsync(run.Id, RunStatus.Failed, RunCounts.Zero, NoPipelineMessage, [], cancellationToken);
        logger.LogWarning("Run {RunId} of integration {IntegrationName} failed: {Message}", run.Id, integration.Name, NoPipelineMessage);
        return await runs.GetAsync(run.Id, cancellationToken);
    }
}
