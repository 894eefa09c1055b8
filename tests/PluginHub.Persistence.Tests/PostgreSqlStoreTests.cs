using PluginHub.Testing;
using Xunit.Abstractions;

namespace PluginHub.Persistence.Tests;

/// <summary>
/// The store contract on PostgreSQL: a real server (<see cref="PostgresServer"/>), a fresh database per test, migrated by
/// the same initializer. Fails, never skips, when no server can be used.
/// </summary>
public sealed class PostgreSqlStoreTests(PostgresFixture postgres, ITestOutputHelper output) : StoreContract(output), IClassFixture<PostgresFixture>
{
    private PostgresDatabase? _database;

    protected override string TableNamesSql =>
        "SELECT table_name::text AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";

    protected override async Task<StorageOptions> CreateOptionsAsync()
    {
        _database = await postgres.CreateDatabaseAsync();
        return new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = _database.ConnectionString };
    }

    protected override async Task DisposeDatabaseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Timestamps_are_stored_as_timestamptz()
    {
        await using var storage = OpenAnotherStorage();
        var types = await storage.QueryStringsAsync(
            "SELECT DISTINCT data_type::text AS \"Value\" FROM information_schema.columns WHERE table_schema = current_schema() AND column_name IN ('CreatedAt', 'UpdatedAt', 'StartedAt', 'FinishedAt')");

        Assert.Equal(["timestamp with time zone"], types);
    }
}
