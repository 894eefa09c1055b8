using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PluginHub.Core.Sync;
using PluginHub.Persistence.Entities;
using EntityLinkKind = PluginHub.Persistence.Entities.LinkKind;
using LinkKind = PluginHub.Core.Sync.LinkKind;

namespace PluginHub.Persistence.Stores;

internal sealed class SyncStateStore(IDbContextFactory<PluginHubDbContext> contexts, TimeProvider time) : ISyncStateStore
{
    // SQLite and PostgreSQL both take a few thousand parameters per statement; stay well below.
    private const int IdsPerQuery = 500;

    public async Task<IReadOnlyList<Link>> FindLinksAsync(Guid integrationId, LinkKind kind, Side side, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var found = new List<Link>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Links.AsNoTracking().Where(l => l.IntegrationId == integrationId && l.Kind == (EntityLinkKind)kind);
        foreach (var chunk in ids.Distinct().Chunk(IdsPerQuery))
        {
            var query = side == Side.Source ? rows.Where(l => chunk.Contains(l.SourceId)) : rows.Where(l => chunk.Contains(l.TargetId));
            found.AddRange((await query.ToListAsync(cancellationToken)).Select(ToModel));
        }

        return found;
    }

    public async Task<IReadOnlyList<string>> ListLinkedIdsAsync(Guid integrationId, LinkKind kind, Side side, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Links.AsNoTracking().Where(l => l.IntegrationId == integrationId && l.Kind == (EntityLinkKind)kind).OrderBy(l => l.Id);
        return side == Side.Source
            ? await rows.Select(l => l.SourceId).ToListAsync(cancellationToken)
            : await rows.Select(l => l.TargetId).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlySet<string>> FindLinkedElsewhereAsync(Guid integrationId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var others = db.Links.AsNoTracking().Where(l => l.IntegrationId != integrationId && l.Kind == EntityLinkKind.Record);
        foreach (var chunk in ids.Distinct().Chunk(IdsPerQuery))
        {
            found.UnionWith(await others.Where(l => chunk.Contains(l.SourceId)).Select(l => l.SourceId).ToListAsync(cancellationToken));
            found.UnionWith(await others.Where(l => chunk.Contains(l.TargetId)).Select(l => l.TargetId).ToListAsync(cancellationToken));
        }

        return found;
    }

    public async Task SaveLinksAsync(Guid integrationId, IReadOnlyCollection<Link> links, CancellationToken cancellationToken)
    {
        if (links.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        foreach (var group in links.GroupBy(l => l.Kind))
        {
            var kind = (EntityLinkKind)group.Key;
            foreach (var chunk in group.Chunk(IdsPerQuery))
            {
                var sourceIds = chunk.Select(l => l.SourceId).ToList();
                var existing = await db.Links.Where(l => l.IntegrationId == integrationId && l.Kind == kind && sourceIds.Contains(l.SourceId))
                    .ToDictionaryAsync(l => l.SourceId, StringComparer.Ordinal, cancellationToken);
                foreach (var link in chunk)
                {
                    if (!existing.TryGetValue(link.SourceId, out var row))
                    {
                        row = new LinkEntity { IntegrationId = integrationId, Kind = kind, SourceId = link.SourceId, TargetId = link.TargetId, CreatedAt = now };
                        db.Links.Add(row);
                        existing[link.SourceId] = row;
                    }

                    row.TargetId = link.TargetId;
                    row.CorrelationId = link.CorrelationId ?? row.CorrelationId;
                    row.SourceFingerprint = Serialize(link.Source);
                    row.TargetFingerprint = Serialize(link.Target);
                    row.UpdatedAt = now;
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<string?> GetWatermarkAsync(Guid integrationId, string key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Watermarks.AsNoTracking().Where(w => w.IntegrationId == integrationId && w.Direction == key).Select(w => w.Value).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task SaveWatermarkAsync(Guid integrationId, string key, string value, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Watermarks.FirstOrDefaultAsync(w => w.IntegrationId == integrationId && w.Direction == key, cancellationToken);
        if (row is null)
        {
            db.Watermarks.Add(new WatermarkEntity { IntegrationId = integrationId, Direction = key, Value = value, UpdatedAt = time.GetUtcNow().UtcDateTime });
        }
        else
        {
            row.Value = value;
            row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static Link ToModel(LinkEntity row) => new((LinkKind)row.Kind, row.SourceId, row.TargetId)
    {
        CorrelationId = row.CorrelationId,
        Source = Deserialize(row.SourceFingerprint),
        Target = Deserialize(row.TargetFingerprint),
    };

    private static string? Serialize(SideState state) =>
        state.Version is null && state.Fields.Count == 0 ? null : JsonSerializer.Serialize(new StoredState(state.Version, state.Fields));

    private static SideState Deserialize(string? json) =>
        json is null ? SideState.Empty
        : JsonSerializer.Deserialize<StoredState>(json) is { } s ? new SideState(s.V, s.F ?? new Dictionary<string, string>()) : SideState.Empty;

    /// <summary>The stored shape: short names, because there is one per link and side.</summary>
    private sealed record StoredState(string? V, IReadOnlyDictionary<string, string>? F);
}
