using Microsoft.Extensions.Logging;
using PluginHub.Core.Integrations;
using PluginHub.Core.Runs;

namespace PluginHub.Scheduling.Tests;

/// <summary>
/// The scheduling tests' runner: records each run the way the sync engine does and ends it Failed with <see cref="Message"/>,
/// so that these tests exercise Quartz → runner → run history without any connector.
/// </summary>
internal sealed class RecordingRunner(IIntegrationStore integrations, IRunStore runs, ILogger<RecordingRunner> logger) : IIntegrationRunner
{
    public const string Message = "Recorded by the scheduling tests; nothing was synced.";

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
        await runs.FinishAsync(run.Id, RunStatus.Failed, RunCounts.Zero, Message, [], cancellationToken);
        logger.LogWarning("Run {RunId} of integration {IntegrationName} failed: {Message}", run.Id, integration.Name, Message);
        return await runs.GetAsync(run.Id, cancellationToken);
    }
}
