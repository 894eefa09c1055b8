using Microsoft.EntityFrameworkCore;
using PluginHub.Core.Connections;
using PluginHub.Persistence.Entities;

namespace PluginHub.Persistence.Stores;

internal sealed class ConnectionStore(IDbContextFactory<PluginHubDbContext> contexts, TimeProvider time) : IConnectionStore
{
    public async Task<IReadOnlyList<Connection>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Connections.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        return [.. rows.Select(ToModel)];
    }

    public async Task<Connection?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return row is null ? null : ToModel(row);
    }

    public async Task<Connection?> AddAsync(string name, string connector, string protectedSettings, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Connections.AnyAsync(c => c.Name == name, cancellationToken))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var row = new ConnectionEntity
        {
            Id = Guid.CreateVersion7(now),
            Name = name,
            Connector = connector,
            ProtectedSettings = protectedSettings,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };
        db.Connections.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return ToModel(row);
    }

    public async Task<(StoreUpdate Outcome, Connection? Connection)> UpdateAsync(Guid id, string name, string protectedSettings, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Connections.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (row is null)
        {
            return (StoreUpdate.NotFound, null);
        }

        if (await db.Connections.AnyAsync(c => c.Name == name && c.Id != id, cancellationToken))
        {
            return (StoreUpdate.NameTaken, null);
        }

        row.Name = name;
        row.ProtectedSettings = protectedSettings;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return (StoreUpdate.Updated, ToModel(row));
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Connections.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    private static Connection ToModel(ConnectionEntity row) => new()
    {
        Id = row.Id,
        Name = row.Name,
        Connector = row.Connector,
        ProtectedSettings = row.ProtectedSettings,
        CreatedAt = row.CreatedAt,
        UpdatedAt = row.UpdatedAt,
    };
}
