using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PluginHub.Core.Integrations;
using PluginHub.Core.Runs;
using PluginHub.Core.Sync;
using PluginHub.Testing;
using Xunit.Abstractions;

namespace PluginHub.Persistence.Tests;

/// <summary>The persistence services as the host registers them, over one database, with a fake clock.</summary>
internal sealed class Storage : IAsyncDisposable
{
    /// <summary>The fake clock's start; whole milliseconds, which both SQLite (text) and PostgreSQL (microseconds) keep exactly.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    public Storage(StorageOptions options, string dataDir, ITestOutputHelper output, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddTestOutput(output, LogLevel.Warning));
        services.AddSingleton<TimeProvider>(Time);
        services.AddPluginHubPersistence(options, dataDir);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; }

    public DatabaseInitializer Initializer => _services.GetRequiredService<DatabaseInitializer>();

    public IIntegrationStore Integrations => _services.GetRequiredService<IIntegrationStore>();

    public IRunStore Runs => _services.GetRequiredService<IRunStore>();

    public ISyncStateStore SyncState => _services.GetRequiredService<ISyncStateStore>();

    public Task<PluginHubDbContext> CreateDbContextAsync() =>
        _services.GetRequiredService<IDbContextFactory<PluginHubDbContext>>().CreateDbContextAsync();

    /// <summary>Runs a query that returns one text column named <c>Value</c>.</summary>
    public async Task<List<string>> QueryStringsAsync(string sql)
    {
        await using var db = await CreateDbContextAsync();
        return await db.Database.SqlQueryRaw<string>(sql).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();

        // Pooled SQLite connections keep the file open; let the temp folder go.
        SqliteConnection.ClearAllPools();
    }
}
