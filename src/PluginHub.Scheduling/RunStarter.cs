using PluginHub.Core.Runs;
using Quartz;

namespace PluginHub.Scheduling;

/// <summary>Starts a run of an integration now, through the same Quartz job, so that it never overlaps a scheduled run.</summary>
public sealed class RunStarter(ISchedulerFactory schedulers)
{
    public Task StartNowAsync(Guid integrationId, RunTrigger trigger, CancellationToken cancellationToken) =>
        StartNowAsync(integrationId, trigger, queuedRunId: null, cancellationToken);

    /// <summary>Starts a run now; with <paramref name="queuedRunId"/> the run continues that queued run record.</summary>
    public async Task StartNowAsync(Guid integrationId, RunTrigger trigger, Guid? queuedRunId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = SyncJob.KeyFor(integrationId);
        if (!await scheduler.Exists(key, cancellationToken))
        {
            // A disabled integration has no job; a durable one without a trigger lets it run once on demand.
            var job = JobBuilder.Create<SyncJob>().WithIdentity(key)
                .UsingJobData(SyncJob.IntegrationIdKey, integrationId.ToString())
                .UsingJobData(SyncJob.RevisionKey, "on-demand")
                .StoreDurably().Build();
            await scheduler.AddJob(job, AddJobOptions.Replacing, cancellationToken);
        }

        var data = new JobDataMap { [SyncJob.TriggerKey] = trigger.ToString() };
        if (queuedRunId is { } runId)
        {
            data[SyncJob.RunIdKey] = runId.ToString();
        }

        await scheduler.TriggerJob(key, data, cancellationToken);
    }
}
