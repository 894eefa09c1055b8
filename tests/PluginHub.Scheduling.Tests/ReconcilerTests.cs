using PluginHub.Core.Integrations;
using PluginHub.Testing;
using Quartz;
using Xunit.Abstractions;

namespace PluginHub.Scheduling.Tests;

/// <summary>The reconciler keeps Quartz in line with the integrations table: a job with one trigger per enabled integration, none otherwise.</summary>
public sealed class ReconcilerTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Long enough that the first (immediate) fire is the only one during a test.
    private static readonly IntegrationSchedule Hourly = new(3600, null);

    private SchedulingHost? _host;

    private SchedulingHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _host = await SchedulingHost.StartAsync(output);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Schedules_a_job_for_each_enabled_integration_and_none_for_disabled_ones()
    {
        var first = await Host.AddIntegrationAsync("first", Hourly, enabled: true);
        var second = await Host.AddIntegrationAsync("second", new IntegrationSchedule(null, "0 0/5 * * * ?"), enabled: true);
        var disabled = await Host.AddIntegrationAsync("disabled", Hourly, enabled: false);

        await Host.Reconciler.ReconcileAsync(CancellationToken.None);

        Assert.Equal(new[] { first.Id, second.Id }.Order(), await Host.ScheduledIntegrationsAsync());
        Assert.Empty(await Host.TriggersOfAsync(disabled.Id));
        var simple = Assert.IsType<ISimpleTrigger>(Assert.Single(await Host.TriggersOfAsync(first.Id)), exactMatch: false);
        Assert.Equal(TimeSpan.FromSeconds(3600), simple.RepeatInterval);
        var cron = Assert.IsType<ICronTrigger>(Assert.Single(await Host.TriggersOfAsync(second.Id)), exactMatch: false);
        Assert.Equal("0 0/5 * * * ?", cron.CronExpressionString);
        Assert.Equal(TimeZoneInfo.Utc, cron.TimeZone);
    }

    [Fact]
    public async Task Reconciling_twice_without_a_change_keeps_the_trigger()
    {
        var integration = await Host.AddIntegrationAsync("steady", new IntegrationSchedule(null, "0 0 3 * * ?"), enabled: true);
        await Host.Reconciler.ReconcileAsync(CancellationToken.None);
        var before = Assert.Single(await Host.TriggersOfAsync(integration.Id));

        await Host.Reconciler.ReconcileAsync(CancellationToken.None);

        var after = Assert.Single(await Host.TriggersOfAsync(integration.Id));
        Assert.Equal(before.Key, after.Key);
        Assert.Equal(before.StartTimeUtc, after.StartTimeUtc);
    }

    [Fact]
    public async Task Disabling_an_integration_removes_its_poll_trigger()
    {
        var integration = await Host.AddIntegrationAsync("toggled", Hourly, enabled: true);
        var other = await Host.AddIntegrationAsync("other", Hourly, enabled: true);
        await Host.Reconciler.ReconcileAsync(CancellationToken.None);
        Assert.Contains(integration.Id, await Host.ScheduledIntegrationsAsync());

        await Host.Integrations.SetEnabledAsync(integration.Id, false, CancellationToken.None);
        await Host.Reconciler.ReconcileAsync(CancellationToken.None);

        Assert.Equal([other.Id], await Host.ScheduledIntegrationsAsync());
        Assert.Empty(await Host.TriggersOfAsync(integration.Id));
    }

    [Fact]
    public async Task Editing_the_schedule_replaces_the_trigger()
    {
        var integration = await Host.AddIntegrationAsync("edited", Hourly, enabled: true);
        await Host.Reconciler.ReconcileAsync(CancellationToken.None);
        var simple = Assert.IsType<ISimpleTrigger>(Assert.Single(await Host.TriggersOfAsync(integration.Id)), exactMatch: false);
        Assert.Equal(TimeSpan.FromHours(1), simple.RepeatInterval);

        var twoHours = await Host.Integrations.UpdateAsync(integration.Id, integration.Name, "{}", new IntegrationSchedule(7200, null), CancellationToken.None);
        await Host.Reconciler.ReconcileAsync(CancellationToken.None);

        simple = Assert.IsType<ISimpleTrigger>(Assert.Single(await Host.TriggersOfAsync(integration.Id)), exactMatch: false);
        Assert.Equal(TimeSpan.FromHours(2), simple.RepeatInterval);
        var job = await (await Host.GetSchedulerAsync()).GetJobDetail(SyncJob.KeyFor(integration.Id));
        Assert.NotNull(job);
        Assert.Equal(twoHours!.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), job.JobDataMap.GetString(SyncJob.RevisionKey));

        await Host.Integrations.UpdateAsync(integration.Id, integration.Name, "{}", new IntegrationSchedule(null, "0 15 10 * * ?"), CancellationToken.None);
        await Host.Reconciler.ReconcileAsync(CancellationToken.None);

        var cron = Assert.IsType<ICronTrigger>(Assert.Single(await Host.TriggersOfAsync(integration.Id)), exactMatch: false);
        Assert.Equal("0 15 10 * * ?", cron.CronExpressionString);
    }

    [Fact]
    public async Task Deleting_an_integration_removes_its_job()
    {
        var integration = await Host.AddIntegrationAsync("deleted", Hourly, enabled: true);
        await Host.Reconciler.ReconcileAsync(CancellationToken.None);
        Assert.Equal([integration.Id], await Host.ScheduledIntegrationsAsync());

        Assert.True(await Host.Integrations.DeleteAsync(integration.Id, CancellationToken.None));
        await Host.Reconciler.ReconcileAsync(CancellationToken.None);

        Assert.Empty(await Host.ScheduledIntegrationsAsync());
        Assert.False(await (await Host.GetSchedulerAsync()).Exists(SyncJob.KeyFor(integration.Id)));
    }

    [Fact]
    public async Task Signal_makes_the_running_reconciler_catch_up_in_the_background()
    {
        var integration = await Host.AddIntegrationAsync("signalled", Hourly, enabled: true);

        Host.Reconciler.Signal();
        await Poll.UntilAsync(async () => (await Host.ScheduledIntegrationsAsync()).Contains(integration.Id), "the signalled reconciler schedules the new integration");

        await Host.Integrations.SetEnabledAsync(integration.Id, false, CancellationToken.None);
        Host.Reconciler.Signal();
        await Poll.UntilAsync(async () => (await Host.ScheduledIntegrationsAsync()).Count == 0, "the signalled reconciler stops polling the disabled integration");
    }

    [Fact]
    public async Task A_restarted_host_schedules_the_integrations_already_enabled()
    {
        var enabled = await Host.AddIntegrationAsync("enabled before the restart", Hourly, enabled: true);
        await Host.AddIntegrationAsync("disabled before the restart", Hourly, enabled: false);

        // The RAM store forgets every job; the reconciler's first round at start brings them back from the table.
        _host = await Host.RestartAsync(output);

        await Poll.UntilAsync(
            async () => (await Host.ScheduledIntegrationsAsync()).SequenceEqual([enabled.Id]),
            "the reconciler schedules the enabled integration at start");
        Assert.Single(await Host.TriggersOfAsync(enabled.Id));
    }
}
