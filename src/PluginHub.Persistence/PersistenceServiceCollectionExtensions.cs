using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PluginHub.Core.Connections;
using PluginHub.Core.Integrations;
using PluginHub.Core.Runs;
using PluginHub.Core.Sync;
using PluginHub.Persistence.Stores;

namespace PluginHub.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    public const string SqliteFileName = "pluginhub.db";

    /// <summary>Registers the database of the configured provider and the stores over it.</summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The storage options.</param>
    /// <param name="dataDir">The data folder; the SQLite file lives there unless a connection string says otherwise.</param>
    public static IServiceCollection AddPluginHubPersistence(this IServiceCollection services, StorageOptions options, string dataDir)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (options.Provider)
        {
            case StorageProvider.Sqlite:
                var sqlite = options.ConnectionString ?? new SqliteConnectionStringBuilder
                {
                    DataSource = Path.Combine(dataDir, SqliteFileName),
                    Pooling = true,
                    DefaultTimeout = 30,
                }.ToString();
                services.AddDbContextFactory<SqlitePluginHubDbContext>(o => o.UseSqlite(sqlite));
                services.AddSingleton<IDbContextFactory<PluginHubDbContext>, ProviderContextFactory<SqlitePluginHubDbContext>>();
                break;
            case StorageProvider.PostgreSql:
                var postgres = options.ConnectionString
                    ?? throw new InvalidOperationException("PluginHub:Storage:ConnectionString is required when the provider is PostgreSql.");
                services.AddDbContextFactory<PostgreSqlPluginHubDbContext>(o => o.UseNpgsql(postgres));
                services.AddSingleton<IDbContextFactory<PluginHubDbContext>, ProviderContextFactory<PostgreSqlPluginHubDbContext>>();
                break;
            default:
                throw new InvalidOperationException($"Unknown storage provider '{options.Provider}'.");
        }

        services.AddSingleton(options);
        services.AddSingleton(new DataFolder(dataDir));
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<IConnectionStore, ConnectionStore>();
        services.AddSingleton<IIntegrationStore, IntegrationStore>();
        services.AddSingleton<IRunStore, RunStore>();
        services.AddSingleton<ISyncStateStore, SyncStateStore>();
        return services;
    }

    private sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PluginHubDbContext>
        where TContext : PluginHubDbContext
    {
        public PluginHubDbContext CreateDbContext() => inner.CreateDbContext();
    }
}

/// <summary>The folder PluginHub keeps its files in (database, keys, generated API key).</summary>
public sealed record DataFolder(string Path);
