using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PluginHub.Persistence;

// Used only by `dotnet ef migrations add … --context <X>`: builds each provider's context without a host.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePluginHubDbContext>
{
    public SqlitePluginHubDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePluginHubDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlPluginHubDbContext>
{
    public PostgreSqlPluginHubDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlPluginHubDbContext>().UseNpgsql("Host=localhost;Database=pluginhub_design").Options);
}
