using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHub.Core.Integrations;
using PluginHub.Core.Runs;
using PluginHub.Persistence;
using PluginHub.Testing;
using Quartz;
using Xunit.Abstractions;

namespace PluginHub.Scheduling.Tests;

/// <summary>
/// A host with what PluginHub's host registers for scheduling: the SQLite store in a temp folder, the real Quartz RAM
/// scheduler, the reconciler and the real <see cref="RecordingRunner"/>. Started like the host starts it.
/// </summary>
internal sealed class SchedulingHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TempDirectory _temp;

    private SchedulingHost(IHost host, TempDirectory temp)
    {
        _host = host;
        _temp = temp;
    }

    public IServiceProvider Services => _host.Services;

    public IIntegrationStore Integrations => Services.GetRequiredService<IIntegrationStore>();

    public IRunStore Runs => Services.GetRequiredService<IRunStore>();

    public ScheduleReconciler Reconciler => Services.GetRequiredService<ScheduleReconciler>();

    public RunStarter Starter => Services.GetRequiredService<RunStarter>();

    /// <param name="output">Receives the host's log.</param>
    /// <param name="runner">Replaces the runner registration (to observe runs); the real <see cref="RecordingRunner"/> when null.</param>
    public static Task<SchedulingHost> StartAsync(ITestOutputHelper output, Func<IServiceProvider, IIntegrationRunner>? runner = null) =>
        StartAsync(output, runner, new TempDirectory());

    /// <summary>Stops this host and starts a new one on the same data folder, as a restart of the process would.</summary>
    public async Task<SchedulingHost> RestartAsync(ITestOutputHelper output)
    {
        await _host.StopAsync();
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        return await StartAsync(output, null, _temp);
    }

    private static async Task<SchedulingHost> StartAsync(ITestOutputHelper output, Func<IServiceProvider, IIntegrationRunner>? runner, TempDirectory temp)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddTestOutput(output);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddPluginHubPersistence(new StorageOptions(), temp.Path);

        // A long interval: in these tests the reconciler works when asked (ReconcileAsync, Signal) and at start only.
        builder.Services.AddPluginHubScheduling(new SchedulingOptions { ReconcileInterval = TimeSpan.FromHours(1) });
        if (runner is null)
        {
            builder.Services.AddSingleton<IIntegrationRunner, RecordingRunner>();
        }
        else
        {
            builder.Services.AddSingleton<RecordingRunner>();
            builder.Services.AddSingleton(runner);
        }

        var host = builder.Build();
        try
        {
            await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            temp.Dispose();
            throw;
        }

        var started = new SchedulingHost(host, temp);
        await Poll.UntilAsync(async () => (await started.GetSchedulerAsync()).Status == SchedulerStatus.Running, "the Quartz scheduler is running");
        return started;
    }

    public async Task<IScheduler> GetSchedulerAsync() =>
        await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

    /// <summary>The integrations that have a Quartz job, by id.</summary>
    public async Task<IReadOnlyList<Guid>> ScheduledIntegrationsAsync()
    {
        var scheduler = await GetSchedulerAsync();
        // Polled = has the reconciler's trigger; a disabled integration may keep a trigger-less job for "run now".
        var keys = await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals("integrations"));
        return [.. keys.Select(k => Guid.Parse(k.Name)).Order()];
    }

    public async Task<IReadOnlyList<ITrigger>> TriggersOfAsync(Guid integrationId)
    {
        var scheduler = await GetSchedulerAsync();
        return [.. await scheduler.GetTriggersOfJob(SyncJob.KeyFor(integrationId))];
    }

    public async Task<Integration> AddIntegrationAsync(string name, IntegrationSchedule schedule, bool enabled)
    {
        var integration = await Integrations.AddAsync(name, "{}", schedule, CancellationToken.None);
        return enabled ? (await Integrations.SetEnabledAsync(integration.Id, true, CancellationToken.None))! : integration;
    }

    /// <summary>Waits until the integration has at least <paramref name="count"/> finished runs that match, and returns all its runs.</summary>
    public Task<IReadOnlyList<Run>> WaitForRunsAsync(Guid integrationId, int count, Func<Run, bool> match, string what) =>
        Poll.UntilAsync(
            () => Runs.ListAsync(integrationId, 1000, CancellationToken.None),
            runs => runs.Count(r => r.FinishedAt is not null && match(r)) >= count,
            what);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
            SqliteConnection.ClearAllPools();
            _temp.Dispose();
        }
    }
}
