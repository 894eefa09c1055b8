using Microsoft.EntityFrameworkCore;

namespace PluginHub.Persistence.Tests;

/// <summary>The migrations of each provider are up to date with the model (the CI form of <c>dotnet ef migrations has-pending-model-changes</c>).</summary>
public sealed class ModelTests
{
    [Fact]
    public void Sqlite_migrations_match_the_model()
    {
        using var db = CreateSqlite();

        Assert.False(db.Database.HasPendingModelChanges(), "The SQLite model changed without a migration: dotnet ef migrations add <Name> --context SqlitePluginHubDbContext");
    }

    [Fact]
    public void PostgreSql_migrations_match_the_model()
    {
        using var db = CreatePostgreSql();

        Assert.False(db.Database.HasPendingModelChanges(), "The PostgreSQL model changed without a migration: dotnet ef migrations add <Name> --context PostgreSqlPluginHubDbContext");
    }

    [Fact]
    public void Each_provider_has_its_own_migrations()
    {
        using var sqlite = CreateSqlite();
        using var postgres = CreatePostgreSql();
        var sqliteMigrations = sqlite.Database.GetMigrations().ToList();
        var postgresMigrations = postgres.Database.GetMigrations().ToList();

        Assert.Contains(sqliteMigrations, id => id.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Contains(postgresMigrations, id => id.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Empty(sqliteMigrations.Intersect(postgresMigrations));
    }

    private static SqlitePluginHubDbContext CreateSqlite() =>
        new(new DbContextOptionsBuilder<SqlitePluginHubDbContext>().UseSqlite("Data Source=:memory:").Options);

    // Building the model and reading the migrations never connects, so any connection string does.
    private static PostgreSqlPluginHubDbContext CreatePostgreSql() =>
        new(new DbContextOptionsBuilder<PostgreSqlPluginHubDbContext>().UseNpgsql("Host=localhost;Database=model_check").Options);
}
