using Npgsql;

namespace PluginHub.Testing;

/// <summary>A fresh, empty database with a random name on the test server; dropped (connections and all) on dispose.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private PostgresDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The connection string to this database.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync(CancellationToken cancellationToken = default)
    {
        var server = await PostgresServer.GetConnectionStringAsync();
        var database = new PostgresDatabase(server, "pluginhub_test_" + Guid.NewGuid().ToString("N"));
        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database.Name}\"", cancellationToken);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        // WITH (FORCE) ends connections still open (a pool of the code under test) instead of failing.
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", CancellationToken.None);
    }

    private async Task ExecuteOnServerAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
