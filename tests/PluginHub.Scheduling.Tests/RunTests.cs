using Microsoft.Extensions.DependencyInjection;
using PluginHub.Core.Integrations;
using PluginHub.Core.Runs;
using PluginHub.Testing;
using Xunit.Abstractions;

namespace PluginHub.Scheduling.Tests;

/// <summary>Runs go through Quartz to the real runner and land in the run history.</summary>
public sealed class RunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_one_second_poll_interval_records_scheduled_runs_that_fail_for_want_of_a_pipeline()
    {
        await using var host = await SchedulingHost.StartAsync(output);
        var integration = await host.AddIntegrationAsync("every second", new IntegrationSchedule(1, null), enabled: true);

        await host.Reconciler.ReconcileAsync(CancellationToken.None);
        var runs = await host.WaitForRunsAsync(integration.Id, 2, r => r.Trigger == RunTrigger.Schedule, "two scheduled runs are recorded");

        var finished = runs.Where(r => r.FinishedAt is not null).ToList();
        Assert.All(finished, run =>
        {
            Assert.Equal(integration.Id, run.IntegrationId);
            Assert.Equal(RunTrigger.Schedule, run.Trigger);
            Assert.Equal(RunStatus.Failed, run.Status);
            Assert.Equal(RecordingRunner.Message, run.Message);
            Assert.Equal(RunCounts.Zero, run.Counts);
            Assert.True(run.FinishedAt >= run.StartedAt);
        });

        // Runs are spaced by the interval, measured from the previous run's completion (with a little slack for the clock's resolution).
        var ordered = finished.OrderBy(r => r.StartedAt).ToList();
        Assert.True(ordered[1].StartedAt - ordered[0].FinishedAt!.Value >= TimeSpan.FromMilliseconds(900), $"runs at {ordered[0].FinishedAt:O} and {ordered[1].StartedAt:O} are closer than the interval");
    }

    [Fact]
    public async Task Disabled_integrations_are_not_polled()
    {
        await using var host = await SchedulingHost.StartAsync(output);
        var disabled = await host.AddIntegrationAsync("disabled", new IntegrationSchedule(1, null), enabled: false);
        var enabled = await host.AddIntegrationAsync("enabled", new IntegrationSchedule(1, null), enabled: true);

        await host.Reconciler.ReconcileAsync(CancellationToken.None);

        // Two runs of the enabled one mean the scheduler has been polling for more than a second.
        await host.WaitForRunsAsync(enabled.Id, 2, _ => true, "the enabled integration runs twice");
        Assert.Empty(await host.Runs.ListAsync(disabled.Id, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Run_now_runs_a_disabled_integration_once()
    {
        await using var host = await SchedulingHost.StartAsync(output);
        var integration = await host.AddIntegrationAsync("manual only", IntegrationSchedule.Default, enabled: false);

        await host.Starter.StartNowAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);

        var runs = await host.WaitForRunsAsync(integration.Id, 1, r => r.Trigger == RunTrigger.Manual, "the manual run is recorded");
        var run = Assert.Single(runs);
        Assert.Equal(RunTrigger.Manual, run.Trigger);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(RecordingRunner.Message, run.Message);

        // Once: the on-demand job has no trigger left that could run it again, and the integration stays disabled.
        await Poll.UntilAsync(async () => (await host.TriggersOfAsync(integration.Id)).Count == 0, "the one-off trigger is used up");
        Assert.False((await host.Integrations.GetAsync(integration.Id, CancellationToken.None))!.Enabled);
        Assert.Single(await host.Runs.ListAsync(integration.Id, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_reconcile_does_not_drop_a_pending_run_now_of_a_disabled_integration()
    {
        await using var host = await SchedulingHost.StartAsync(output, sp => new ObservingRunner(sp.GetRequiredService<RecordingRunner>()));
        var integration = await host.AddIntegrationAsync("manual while busy", IntegrationSchedule.Default, enabled: false);

        // The first run holds the job; the second waits behind it (one integration never runs twice at once) while a reconcile happens.
        await host.Starter.StartNowAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);
        var queued = await host.Runs.QueueAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);
        await host.Starter.StartNowAsync(integration.Id, RunTrigger.Manual, queued.Id, CancellationToken.None);
        await host.Reconciler.ReconcileAsync(CancellationToken.None);

        await Poll.UntilAsync(async () => (await host.Runs.GetAsync(queued.Id, CancellationToken.None))!.Status == RunStatus.Failed, "the queued run ran");
        var runs = await host.Runs.ListAsync(integration.Id, 10, CancellationToken.None);
        Assert.Equal(2, runs.Count);
        Assert.Equal(RecordingRunner.Message, (await host.Runs.GetAsync(queued.Id, CancellationToken.None))!.Message);
    }

    [Fact]
    public async Task Run_now_runs_an_enabled_integration_besides_its_schedule()
    {
        await using var host = await SchedulingHost.StartAsync(output);
        var integration = await host.AddIntegrationAsync("scheduled", new IntegrationSchedule(3600, null), enabled: true);
        await host.Reconciler.ReconcileAsync(CancellationToken.None);

        // The first scheduled run fires at once; then an hour passes before the next.
        await host.WaitForRunsAsync(integration.Id, 1, r => r.Trigger == RunTrigger.Schedule, "the first scheduled run is recorded");
        await host.Starter.StartNowAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);

        var runs = await host.WaitForRunsAsync(integration.Id, 1, r => r.Trigger == RunTrigger.Manual, "the manual run is recorded");
        var manual = Assert.Single(runs, r => r.Trigger == RunTrigger.Manual);
        Assert.Equal(RunStatus.Failed, manual.Status);
        Assert.Equal(RecordingRunner.Message, manual.Message);

        // The one-off trigger goes once its job completes; the schedule's trigger stays.
        await Poll.UntilAsync(async () => (await host.TriggersOfAsync(integration.Id)).Count == 1, "only the schedule's trigger is left");
    }

    [Fact]
    public async Task One_integration_never_runs_twice_at_once()
    {
        await using var host = await SchedulingHost.StartAsync(output, sp => new ObservingRunner(sp.GetRequiredService<RecordingRunner>()));
        var runner = (ObservingRunner)host.Services.GetRequiredService<IIntegrationRunner>();
        var integration = await host.AddIntegrationAsync("busy", new IntegrationSchedule(1, null), enabled: true);
        await host.Reconciler.ReconcileAsync(CancellationToken.None);

        // Several run-now requests on top of the schedule, each asking while the previous run may still be going.
        for (var i = 0; i < 5; i++)
        {
            await host.Starter.StartNowAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);
        }

        var runs = await host.WaitForRunsAsync(integration.Id, 5, r => r.Trigger == RunTrigger.Manual, "the five manual runs are recorded");

        Assert.Equal(1, runner.MaxConcurrencyOf(integration.Id));
        var finished = runs.Where(r => r.FinishedAt is not null).OrderBy(r => r.StartedAt).ToList();
        Assert.True(finished.Count >= 5);
        for (var i = 1; i < finished.Count; i++)
        {
            Assert.True(finished[i].StartedAt >= finished[i - 1].FinishedAt, $"run {finished[i].Id} started at {finished[i].StartedAt:O}, before run {finished[i - 1].Id} finished at {finished[i - 1].FinishedAt:O}");
        }
    }

    [Fact]
    public async Task Different_integrations_run_in_parallel()
    {
        await using var host = await SchedulingHost.StartAsync(output, sp => new ObservingRunner(sp.GetRequiredService<RecordingRunner>()));
        var runner = (ObservingRunner)host.Services.GetRequiredService<IIntegrationRunner>();
        var first = await host.AddIntegrationAsync("first", IntegrationSchedule.Default, enabled: false);
        var second = await host.AddIntegrationAsync("second", IntegrationSchedule.Default, enabled: false);

        await host.Starter.StartNowAsync(first.Id, RunTrigger.Manual, CancellationToken.None);
        await host.Starter.StartNowAsync(second.Id, RunTrigger.Manual, CancellationToken.None);
        await host.WaitForRunsAsync(first.Id, 1, _ => true, "the first integration's run is recorded");
        await host.WaitForRunsAsync(second.Id, 1, _ => true, "the second integration's run is recorded");

        // The control for the test above: the observer does see overlapping runs when they are allowed.
        Assert.Equal(2, runner.MaxTotal);
    }
}
