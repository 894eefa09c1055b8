namespace PluginHub.Testing;

/// <summary>
/// An xunit class or collection fixture for tests that need PostgreSQL: makes sure the server answers before the first
/// test (failing every test of the class with the reason when it does not), and hands out a fresh database per test.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>The connection string to the server's maintenance database; set once the fixture is initialised.</summary>
    public string ServerConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync() => ServerConnectionString = await PostgresServer.GetConnectionStringAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A new empty database; the caller disposes it to drop it.</summary>
    public Task<PostgresDatabase> CreateDatabaseAsync(CancellationToken cancellationToken = default) => PostgresDatabase.CreateAsync(cancellationToken);
}
