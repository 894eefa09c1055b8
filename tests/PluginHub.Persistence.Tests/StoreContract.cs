using Microsoft.EntityFrameworkCore;
using PluginHub.Core.Integrations;
using PluginHub.Core.Runs;
using PluginHub.Persistence.Entities;
using PluginHub.Testing;
using Sync = PluginHub.Core.Sync;
using Xunit.Abstractions;

namespace PluginHub.Persistence.Tests;

/// <summary>
/// What every storage provider must do: migrate at start and keep integrations and runs. Each provider's test class
/// derives from this one and gets all of these tests, against a real database of its own per test.
/// </summary>
public abstract class StoreContract(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Tables = ["connections", "integrations", "links", "watermarks", "runs", "record_errors"];

    private Storage? _storage;

    protected ITestOutputHelper Output { get; } = output;

    protected TempDirectory Temp { get; } = new();

    /// <summary>The data folder handed to <c>AddPluginHubPersistence</c>; created by the initializer.</summary>
    protected string DataDir => Temp.Combine("data");

    protected StorageOptions Options { get; private set; } = new();

    private Storage Storage => _storage ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>The options that point at a fresh, empty database of the provider.</summary>
    protected abstract Task<StorageOptions> CreateOptionsAsync();

    /// <summary>The names of the tables in the database, as the provider lists them (a column named <c>Value</c>).</summary>
    protected abstract string TableNamesSql { get; }

    public async Task InitializeAsync()
    {
        Options = await CreateOptionsAsync();
        _storage = new Storage(Options, DataDir, Output);
        await _storage.Initializer.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }

        await DisposeDatabaseAsync();
        Temp.Dispose();
    }

    protected virtual Task DisposeDatabaseAsync() => Task.CompletedTask;

    internal Storage OpenAnotherStorage() => new(Options, DataDir, Output);

    [Fact]
    public async Task Initialize_applies_every_migration_of_the_provider()
    {
        await using var db = await Storage.CreateDbContextAsync();
        var known = db.Database.GetMigrations().ToList();
        var applied = await Storage.QueryStringsAsync("SELECT \"MigrationId\" AS \"Value\" FROM \"__EFMigrationsHistory\"");

        Assert.Contains(known, id => id.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Equal(known.Order(StringComparer.Ordinal), applied.Order(StringComparer.Ordinal));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.True(await Storage.Initializer.CanConnectAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Initialize_creates_the_tables()
    {
        var tables = await Storage.QueryStringsAsync(TableNamesSql);

        foreach (var table in Tables)
        {
            Assert.Contains(table, tables);
        }
    }

    [Fact]
    public async Task Initialize_again_on_an_existing_database_changes_nothing()
    {
        var kept = await Storage.Integrations.AddAsync("kept", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var history = await Storage.QueryStringsAsync("SELECT \"MigrationId\" AS \"Value\" FROM \"__EFMigrationsHistory\"");

        await using (var second = OpenAnotherStorage())
        {
            await second.Initializer.InitializeAsync(CancellationToken.None);
            await second.Initializer.InitializeAsync(CancellationToken.None);

            Assert.Equal(history, await second.QueryStringsAsync("SELECT \"MigrationId\" AS \"Value\" FROM \"__EFMigrationsHistory\""));
            Assert.Equal(kept, await second.Integrations.GetAsync(kept.Id, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Add_integration_starts_disabled_at_revision_1_with_the_clock_s_utc_time()
    {
        var added = await Storage.Integrations.AddAsync("Accounts to issues", "{\"a\":1}", new IntegrationSchedule(30, null), CancellationToken.None);

        Assert.False(added.Enabled);
        Assert.Equal(1, added.Revision);
        Assert.Equal(7, added.Id.Version);
        AssertUtc(Storage.Start, added.CreatedAt);
        AssertUtc(Storage.Start, added.UpdatedAt);

        var read = await Storage.Integrations.GetAsync(added.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(added, read);
        Assert.Equal("Accounts to issues", read.Name);
        Assert.Equal("{\"a\":1}", read.Definition);
        Assert.Equal(new IntegrationSchedule(30, null), read.Schedule);
        AssertUtc(Storage.Start, read.CreatedAt);
        AssertUtc(Storage.Start, read.UpdatedAt);
    }

    [Fact]
    public async Task Get_unknown_integration_returns_null()
    {
        Assert.Null(await Storage.Integrations.GetAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task List_integrations_orders_by_name()
    {
        foreach (var name in new[] { "charlie", "alpha", "bravo" })
        {
            await Storage.Integrations.AddAsync(name, "{}", IntegrationSchedule.Default, CancellationToken.None);
        }

        var listed = await Storage.Integrations.ListAsync(CancellationToken.None);

        Assert.Equal(["alpha", "bravo", "charlie"], listed.Select(i => i.Name));
    }

    [Fact]
    public async Task Update_integration_changes_it_and_bumps_revision_and_updated_at()
    {
        var added = await Storage.Integrations.AddAsync("before", "{}", IntegrationSchedule.Default, CancellationToken.None);
        Storage.Time.Advance(TimeSpan.FromMinutes(5));

        var updated = await Storage.Integrations.UpdateAsync(added.Id, "after", "{\"b\":2}", new IntegrationSchedule(null, "0 0/5 * * * ?"), CancellationToken.None);

        Assert.NotNull(updated);
        Assert.Equal(2, updated.Revision);
        var read = await Storage.Integrations.GetAsync(added.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(updated, read);
        Assert.Equal("after", read.Name);
        Assert.Equal("{\"b\":2}", read.Definition);
        Assert.Equal(new IntegrationSchedule(null, "0 0/5 * * * ?"), read.Schedule);
        Assert.False(read.Enabled);
        AssertUtc(Storage.Start, read.CreatedAt);
        AssertUtc(Storage.Start.AddMinutes(5), read.UpdatedAt);
    }

    [Fact]
    public async Task Update_or_enable_unknown_integration_returns_null()
    {
        Assert.Null(await Storage.Integrations.UpdateAsync(Guid.NewGuid(), "x", "{}", IntegrationSchedule.Default, CancellationToken.None));
        Assert.Null(await Storage.Integrations.SetEnabledAsync(Guid.NewGuid(), true, CancellationToken.None));
    }

    [Fact]
    public async Task SetEnabled_turns_polling_on_and_off_and_bumps_revision()
    {
        var added = await Storage.Integrations.AddAsync("toggle", "{}", IntegrationSchedule.Default, CancellationToken.None);
        Storage.Time.Advance(TimeSpan.FromSeconds(1));

        var enabled = await Storage.Integrations.SetEnabledAsync(added.Id, true, CancellationToken.None);
        Assert.NotNull(enabled);
        Assert.True(enabled.Enabled);
        Assert.Equal(2, enabled.Revision);
        Assert.True((await Storage.Integrations.GetAsync(added.Id, CancellationToken.None))!.Enabled);

        Storage.Time.Advance(TimeSpan.FromSeconds(1));
        var disabled = await Storage.Integrations.SetEnabledAsync(added.Id, false, CancellationToken.None);
        Assert.NotNull(disabled);
        Assert.False(disabled.Enabled);
        Assert.Equal(3, disabled.Revision);

        var read = await Storage.Integrations.GetAsync(added.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.False(read.Enabled);
        Assert.Equal(3, read.Revision);
        AssertUtc(Storage.Start.AddSeconds(2), read.UpdatedAt);
    }

    [Fact]
    public async Task Integration_names_are_unique()
    {
        await Storage.Integrations.AddAsync("same", "{}", IntegrationSchedule.Default, CancellationToken.None);

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => Storage.Integrations.AddAsync("same", "{}", IntegrationSchedule.Default, CancellationToken.None));
        Assert.Single(await Storage.Integrations.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Delete_integration_removes_its_runs_record_errors_links_and_watermarks_only()
    {
        var doomed = await Storage.Integrations.AddAsync("doomed", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var other = await Storage.Integrations.AddAsync("other", "{}", IntegrationSchedule.Default, CancellationToken.None);
        foreach (var integration in new[] { doomed, other })
        {
            var run = await Storage.Runs.StartAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);
            await Storage.Runs.FinishAsync(run.Id, RunStatus.PartiallyFailed, new RunCounts(2, 1, 0, 0, 1), null, [new RecordError("001", "bad")], CancellationToken.None);
            await using var db = await Storage.CreateDbContextAsync();
            db.Links.Add(new LinkEntity { IntegrationId = integration.Id, Kind = LinkKind.Record, SourceId = "001", TargetId = "PROJ-1" });
            db.Watermarks.Add(new WatermarkEntity { IntegrationId = integration.Id, Direction = "toTarget", Value = "2026-03-14T09:26:53Z" });
            await db.SaveChangesAsync();
        }

        Assert.True(await Storage.Integrations.DeleteAsync(doomed.Id, CancellationToken.None));

        Assert.Null(await Storage.Integrations.GetAsync(doomed.Id, CancellationToken.None));
        Assert.Equal((0, 0, 0, 0), await CountRowsAsync(doomed.Id));
        Assert.Equal((1, 1, 1, 1), await CountRowsAsync(other.Id));
        Assert.False(await Storage.Integrations.DeleteAsync(doomed.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Start_run_records_it_as_running()
    {
        var integration = await Storage.Integrations.AddAsync("runs", "{}", IntegrationSchedule.Default, CancellationToken.None);

        var run = await Storage.Runs.StartAsync(integration.Id, RunTrigger.Schedule, CancellationToken.None);

        var read = await Storage.Runs.GetAsync(run.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(integration.Id, read.IntegrationId);
        Assert.Equal(RunTrigger.Schedule, read.Trigger);
        Assert.Equal(RunStatus.Running, read.Status);
        AssertUtc(Storage.Start, read.StartedAt);
        Assert.Null(read.FinishedAt);
        Assert.Equal(RunCounts.Zero, read.Counts);
        Assert.Null(read.Message);
        Assert.Empty(read.Errors);
    }

    [Fact]
    public async Task Finish_run_records_status_counts_message_and_record_errors()
    {
        var integration = await Storage.Integrations.AddAsync("runs", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var run = await Storage.Runs.StartAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);
        Storage.Time.Advance(TimeSpan.FromSeconds(42));

        await Storage.Runs.FinishAsync(
            run.Id,
            RunStatus.PartiallyFailed,
            new RunCounts(10, 3, 4, 1, 2),
            "2 records failed",
            [new RecordError("0015g00000ABC", "Jira refused the priority"), new RecordError("0015g00000XYZ", "Field too long")],
            CancellationToken.None);

        var read = await Storage.Runs.GetAsync(run.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(RunStatus.PartiallyFailed, read.Status);
        Assert.Equal(RunTrigger.Manual, read.Trigger);
        Assert.Equal(new RunCounts(10, 3, 4, 1, 2), read.Counts);
        Assert.Equal("2 records failed", read.Message);
        Assert.Equal([new RecordError("0015g00000ABC", "Jira refused the priority"), new RecordError("0015g00000XYZ", "Field too long")], read.Errors);
        AssertUtc(Storage.Start, read.StartedAt);
        Assert.NotNull(read.FinishedAt);
        AssertUtc(Storage.Start.AddSeconds(42), read.FinishedAt.Value);
    }

    [Fact]
    public async Task List_runs_returns_the_newest_first_up_to_the_limit_for_that_integration()
    {
        var integration = await Storage.Integrations.AddAsync("runs", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var other = await Storage.Integrations.AddAsync("other", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var started = new List<Run>();
        for (var i = 0; i < 5; i++)
        {
            started.Add(await Storage.Runs.StartAsync(integration.Id, RunTrigger.Schedule, CancellationToken.None));
            await Storage.Runs.StartAsync(other.Id, RunTrigger.Schedule, CancellationToken.None);
            Storage.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var listed = await Storage.Runs.ListAsync(integration.Id, 3, CancellationToken.None);

        Assert.Equal([started[4].Id, started[3].Id, started[2].Id], listed.Select(r => r.Id));
        Assert.All(listed, r => Assert.Equal(integration.Id, r.IntegrationId));
        AssertUtc(Storage.Start.AddMinutes(4), listed[0].StartedAt);
        Assert.Equal(5, (await Storage.Runs.ListAsync(integration.Id, 100, CancellationToken.None)).Count);
        Assert.Empty(await Storage.Runs.ListAsync(Guid.NewGuid(), 10, CancellationToken.None));
    }

    [Fact]
    public async Task Long_run_and_record_error_messages_are_truncated_to_the_column_size()
    {
        var integration = await Storage.Integrations.AddAsync("runs", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var run = await Storage.Runs.StartAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);
        var exact = new string('e', 2000);

        await Storage.Runs.FinishAsync(run.Id, RunStatus.Failed, RunCounts.Zero, new string('m', 5000), [new RecordError("1", new string('r', 2001)), new RecordError("2", exact)], CancellationToken.None);

        var read = await Storage.Runs.GetAsync(run.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(new string('m', 1997) + "...", read.Message);
        Assert.Equal(new string('r', 1997) + "...", read.Errors[0].Message);
        Assert.Equal(exact, read.Errors[1].Message);
    }

    [Fact]
    public async Task Truncating_a_message_never_splits_a_surrogate_pair()
    {
        var integration = await Storage.Integrations.AddAsync("emoji", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var run = await Storage.Runs.StartAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);
        var message = new string('a', 1996) + "\U0001F600" + new string('b', 100);

        await Storage.Runs.FinishAsync(run.Id, RunStatus.Failed, RunCounts.Zero, message, [new RecordError("1", message)], CancellationToken.None);

        var read = await Storage.Runs.GetAsync(run.Id, CancellationToken.None);
        Assert.Equal(RunStatus.Failed, read!.Status);
        Assert.Equal(new string('a', 1996) + "...", read.Message);
        Assert.Equal(read.Message, read.Errors[0].Message);
    }

    [Fact]
    public async Task Close_unfinished_fails_queued_and_running_runs_and_leaves_finished_ones()
    {
        var integration = await Storage.Integrations.AddAsync("crashed", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var running = await Storage.Runs.StartAsync(integration.Id, RunTrigger.Schedule, CancellationToken.None);
        var queued = await Storage.Runs.QueueAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);
        var done = await Storage.Runs.StartAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);
        await Storage.Runs.FinishAsync(done.Id, RunStatus.Succeeded, RunCounts.Zero, null, [], CancellationToken.None);

        Assert.Equal(2, await Storage.Runs.CloseUnfinishedAsync("The host stopped.", CancellationToken.None));

        foreach (var id in new[] { running.Id, queued.Id })
        {
            var run = (await Storage.Runs.GetAsync(id, CancellationToken.None))!;
            Assert.Equal((RunStatus.Failed, "The host stopped."), (run.Status, run.Message));
            Assert.NotNull(run.FinishedAt);
        }

        Assert.Equal(RunStatus.Succeeded, (await Storage.Runs.GetAsync(done.Id, CancellationToken.None))!.Status);
        Assert.Equal(0, await Storage.Runs.CloseUnfinishedAsync("again", CancellationToken.None));
    }

    [Fact]
    public async Task Get_unknown_run_returns_null()
    {
        Assert.Null(await Storage.Runs.GetAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task Links_are_saved_found_from_either_side_and_replaced_on_the_source_id()
    {
        var integration = await Storage.Integrations.AddAsync("links", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var other = await Storage.Integrations.AddAsync("other", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var state = new Sync.SideState("2026-03-14T09:26:53.000+0000", new Dictionary<string, string> { ["Subject"] = "0123456789abcdef", ["Status"] = "fedcba9876543210" });
        var links = Enumerable.Range(0, 1200).Select(i => new Sync.Link(Sync.LinkKind.Record, $"500{i:D15}", $"{10000 + i}") { CorrelationId = $"0000{i}" }).ToList();
        links[0] = links[0] with { Source = state };

        await Storage.SyncState.SaveLinksAsync(integration.Id, links, CancellationToken.None);
        await Storage.SyncState.SaveLinksAsync(other.Id, [new Sync.Link(Sync.LinkKind.Record, links[1].SourceId, "OTHER-1")], CancellationToken.None);
        await Storage.SyncState.SaveLinksAsync(integration.Id, [links[1] with { TargetId = "10001", Target = state }, new Sync.Link(Sync.LinkKind.Comment, links[1].SourceId, "c-1")], CancellationToken.None);

        var bySource = await Storage.SyncState.FindLinksAsync(integration.Id, Sync.LinkKind.Record, Sync.Side.Source, [.. links.Select(l => l.SourceId), "missing"], CancellationToken.None);
        Assert.Equal(1200, bySource.Count);
        var first = Assert.Single(bySource, l => l.SourceId == links[0].SourceId);
        Assert.Equal(state.Version, first.Source.Version);
        Assert.Equal(state.Fields, first.Source.Fields);
        Assert.Equal(Sync.SideState.Empty.Fields, first.Target.Fields);
        Assert.Equal("00000", first.CorrelationId);
        var byTarget = Assert.Single(await Storage.SyncState.FindLinksAsync(integration.Id, Sync.LinkKind.Record, Sync.Side.Target, ["10001"], CancellationToken.None));
        Assert.Equal(links[1].SourceId, byTarget.SourceId);
        Assert.Equal(state.Fields, byTarget.Target.Fields);
        Assert.Equal("00001", byTarget.CorrelationId);
        Assert.Equal(1200, (await Storage.SyncState.ListLinkedIdsAsync(integration.Id, Sync.LinkKind.Record, Sync.Side.Target, CancellationToken.None)).Count);
        Assert.Equal(["c-1"], await Storage.SyncState.ListLinkedIdsAsync(integration.Id, Sync.LinkKind.Comment, Sync.Side.Target, CancellationToken.None));
    }

    [Fact]
    public async Task Records_linked_by_other_integrations_are_found_on_either_side()
    {
        var mine = await Storage.Integrations.AddAsync("mine", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var theirs = await Storage.Integrations.AddAsync("theirs", "{}", IntegrationSchedule.Default, CancellationToken.None);
        await Storage.SyncState.SaveLinksAsync(theirs.Id, [new Sync.Link(Sync.LinkKind.Record, "500A", "10001"), new Sync.Link(Sync.LinkKind.Comment, "00aC", "20001")], CancellationToken.None);
        await Storage.SyncState.SaveLinksAsync(mine.Id, [new Sync.Link(Sync.LinkKind.Record, "500B", "10002")], CancellationToken.None);

        var elsewhere = await Storage.SyncState.FindLinkedElsewhereAsync(mine.Id, ["500A", "10001", "500B", "10002", "00aC", "500Z"], CancellationToken.None);

        Assert.Equal(["10001", "500A"], elsewhere.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Watermarks_are_kept_per_integration_and_key_and_replaced()
    {
        var integration = await Storage.Integrations.AddAsync("marks", "{}", IntegrationSchedule.Default, CancellationToken.None);
        var checkpoint = new string('x', 1500);

        Assert.Null(await Storage.SyncState.GetWatermarkAsync(integration.Id, "toTarget", CancellationToken.None));
        await Storage.SyncState.SaveWatermarkAsync(integration.Id, "toTarget", "first", CancellationToken.None);
        await Storage.SyncState.SaveWatermarkAsync(integration.Id, "toTarget", checkpoint, CancellationToken.None);
        await Storage.SyncState.SaveWatermarkAsync(integration.Id, "toSource:activity", "2026-03-14T09:26:53.0000000+00:00", CancellationToken.None);

        Assert.Equal(checkpoint, await Storage.SyncState.GetWatermarkAsync(integration.Id, "toTarget", CancellationToken.None));
        Assert.Equal("2026-03-14T09:26:53.0000000+00:00", await Storage.SyncState.GetWatermarkAsync(integration.Id, "toSource:activity", CancellationToken.None));
        Assert.Null(await Storage.SyncState.GetWatermarkAsync(Guid.NewGuid(), "toTarget", CancellationToken.None));
    }

    /// <summary>A time read back from the store: the same instant as the fake clock's, and of kind UTC.</summary>
    internal static void AssertUtc(DateTimeOffset expected, DateTime actual)
    {
        Assert.Equal(DateTimeKind.Utc, actual.Kind);
        Assert.Equal(expected.UtcDateTime, actual);
    }

    private async Task<(int Runs, int Errors, int Links, int Watermarks)> CountRowsAsync(Guid integrationId)
    {
        await using var db = await Storage.CreateDbContextAsync();
        return (
            await db.Runs.CountAsync(r => r.IntegrationId == integrationId),
            await db.RecordErrors.CountAsync(e => e.IntegrationId == integrationId),
            await db.Links.CountAsync(l => l.IntegrationId == integrationId),
            await db.Watermarks.CountAsync(w => w.IntegrationId == integrationId));
    }
}
