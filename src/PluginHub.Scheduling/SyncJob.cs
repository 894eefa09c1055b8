using Microsoft.Extensions.Logging;
using PluginHub.Core.Runs;
using Quartz;

namespace PluginHub.Scheduling;

/// <summary>
/// Runs one integration. One durable job per integration (key = its id); <see cref="DisallowConcurrentExecutionAttribute"/>
/// makes Quartz serialise the runs of one integration, across hosts too when clustered, while different integrations run in parallel.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class SyncJob(IIntegrationRunner runner, ILogger<SyncJob> logger) : IJob
{
    public const string IntegrationIdKey = "integrationId";
    public const string TriggerKey = "trigger";
    public const string RevisionKey = "revision";
    public const string RunIdKey = "runId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var data = context.MergedJobDataMap;
        if (!Guid.TryParse(data.GetString(IntegrationIdKey), out var integrationId))
        {
            logger.LogError("Job {JobKey} has no valid integration id; it is ignored", context.JobDetail.Key);
            return;
        }

        var trigger = Enum.TryParse<RunTrigger>(data.GetString(TriggerKey), out var t) ? t : RunTrigger.Schedule;
        Guid? queuedRunId = Guid.TryParse(data.GetString(RunIdKey), out var runId) ? runId : null;
        try
        {
            await runner.RunAsync(integrationId, trigger, queuedRunId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Run of integration {IntegrationId} stopped by shutdown", integrationId);
        }
        catch (Exception ex)
        {
            // A run that blows up must not put the trigger into Quartz's error state: the next tick retries.
            logger.LogError(ex, "Run of integration {IntegrationId} failed unexpectedly", integrationId);
        }
    }

    public static JobKey KeyFor(Guid integrationId) => new(integrationId.ToString(), "integrations");
}
