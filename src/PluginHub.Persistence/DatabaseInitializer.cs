using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace PluginHub.Persistence;

/// <summary>Creates or migrates the database at start-up. Migrations take a lock, so several hosts starting together are safe.</summary>
public sealed class DatabaseInitializer(IDbContextFactory<PluginHubDbContext> contexts, DataFolder dataFolder, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataFolder.Path);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets the API read while a run writes; the mode is stored in the file, so once is enough but repeating is cheap.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        logger.LogInformation("Database ready ({Provider}); {Count} migration(s) applied", db.Database.ProviderName, pending.Count);
    }

    /// <summary>True when the database answers; for readiness probes.</summary>
    public async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken);
    }
}
