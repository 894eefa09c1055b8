using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace PluginHub.Persistence.Tests;

/// <summary>The store contract on the default provider, SQLite, in a file in a temp data folder; plus what only SQLite does.</summary>
public sealed class SqliteStoreTests(ITestOutputHelper output) : StoreContract(output)
{
    protected override string TableNamesSql => "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table'";

    protected override Task<StorageOptions> CreateOptionsAsync() => Task.FromResult(new StorageOptions());

    private string DatabaseFile => Path.Combine(DataDir, PersistenceServiceCollectionExtensions.SqliteFileName);

    [Fact]
    public void Initialize_creates_the_data_folder_and_the_database_file_in_it()
    {
        Assert.True(File.Exists(DatabaseFile), $"{DatabaseFile} should exist");
        Assert.True(new FileInfo(DatabaseFile).Length > 0);
    }

    [Fact]
    public async Task Initialize_puts_the_database_in_wal_mode()
    {
        // Read with a plain connection of our own: the journal mode is stored in the file.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Initialize_on_a_second_start_keeps_wal_and_the_single_migration_history()
    {
        await using (var second = OpenAnotherStorage())
        {
            await second.Initializer.InitializeAsync(CancellationToken.None);
            var history = await second.QueryStringsAsync("SELECT \"MigrationId\" AS \"Value\" FROM \"__EFMigrationsHistory\"");
            var mode = await second.QueryStringsAsync("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode");

            Assert.Single(history, id => id.EndsWith("_Initial", StringComparison.Ordinal));
            Assert.Equal(["wal"], mode);
        }

        Assert.Single(Directory.GetFiles(DataDir, "*.db"));
    }
}
