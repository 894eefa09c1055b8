using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHub.Core.Integrations;
using Quartz;

namespace PluginHub.Scheduling;

/// <summary>
/// Keeps Quartz in line with the integrations table, which is the source of truth: a job with a trigger for every enabled
/// integration, none for the others. Runs at start, when <see cref="Signal"/> says something changed, and every
/// <see cref="SchedulingOptions.ReconcileInterval"/> in case another host changed the table.
/// </summary>
public sealed class ScheduleReconciler(
    IIntegrationStore integrations,
    ISchedulerFactory schedulers,
    SchedulingOptions options,
    TimeProvider time,
    ILogger<ScheduleReconciler> logger) : BackgroundService
{
    private const string Group = "integrations";
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Asks for a reconcile soon (after an integration was added, changed, enabled, disabled or deleted).</summary>
    public void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another signal got there first; one pending reconcile covers both.
            }
        }
    }

    /// <summary>Reconciles now and returns when Quartz matches the table.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            var all = await integrations.ListAsync(cancellationToken);
            var wanted = all.Where(i => i.Enabled).ToDictionary(i => SyncJob.KeyFor(i.Id));
            var known = all.Select(i => SyncJob.KeyFor(i.Id)).ToHashSet();
            var existing = await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group), cancellationToken);

            foreach (var key in existing.Where(k => !wanted.ContainsKey(k)))
            {
                // Only the poll trigger is the reconciler's: a pending "run now" of a disabled integration keeps its job and trigger.
                if (await scheduler.UnscheduleJob(new TriggerKey(key.Name, Group), cancellationToken))
                {
                    logger.LogInformation("Polling of integration {IntegrationId} stopped", key.Name);
                }

                // The job itself goes with its integration, once nothing is waiting to run on it.
                if (!known.Contains(key) && (await scheduler.GetTriggersOfJob(key, cancellationToken)).Count == 0)
                {
                    await scheduler.DeleteJob(key, cancellationToken);
                }
            }

            foreach (var (key, integration) in wanted)
            {
                var job = await scheduler.GetJobDetail(key, cancellationToken);
                if (job is not null && job.JobDataMap.GetString(SyncJob.RevisionKey) == Revision(integration))
                {
                    continue;
                }

                await ScheduleAsync(scheduler, integration, cancellationToken);
                logger.LogInformation("Integration {IntegrationName} ({IntegrationId}) polls {Schedule}", integration.Name, integration.Id, integration.Schedule);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ScheduleAsync(IScheduler scheduler, Integration integration, CancellationToken cancellationToken)
    {
        var key = SyncJob.KeyFor(integration.Id);
        var job = JobBuilder.Create<SyncJob>()
            .WithIdentity(key)
            .UsingJobData(SyncJob.IntegrationIdKey, integration.Id.ToString())
            .UsingJobData(SyncJob.RevisionKey, Revision(integration))
            .StoreDurably()
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity(key.Name, Group).ForJob(key);
        trigger = integration.Schedule.Cron is { } cron
            ? trigger.WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            : trigger.StartAt(time.GetUtcNow())
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(Math.Max(1, integration.Schedule.PollSeconds ?? IntegrationSchedule.DefaultPollSeconds)))
                    .RepeatForever()
                    .MeasureIntervalFromCompletion(true) // a slow run is followed by a full interval, not a burst of catch-up runs
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
        await scheduler.ScheduleJob(job, [trigger.Build()], ScheduleJobOptions.Replacing, cancellationToken);
    }

    private static string Revision(Integration integration) => integration.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be briefly unavailable; the next round tries again.
                logger.LogError(ex, "Reconciling schedules failed; retrying in {Interval}", options.ReconcileInterval);
            }

            try
            {
                await _signal.WaitAsync(options.ReconcileInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _signal.Dispose();
        _gate.Dispose();
        base.Dispose();
    }
}
