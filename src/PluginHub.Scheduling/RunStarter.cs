using PluginHub.Core.Runs;
using Quartz;

namespace PluginHub.Scheduling;

/// <summary>Starts a run of an integration now, through the same Quartz job, so that it never overlaps a scheduled run.</summary>
public sealed class RunStarter(ISchedulerFactory schedulers)
{
    public async Task StartNowAsync(Guid integrationId, RunTrigger trigger, CancellationToken cancellationToken)
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

        await scheduler.TriggerJob(key, new JobDataMap { [SyncJob.TriggerKey] = trigger.ToString() }, cancellationToken);
    }
}
