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
    private const int UpsertColumns = 9;
    private const int RowsPerUpsert = 100;

    /// <summary>Adds links or replaces them on (integration, kind, source id); a correlation id, once known, is kept.</summary>
    private const string UpsertSql = """
        INSERT INTO "links" ("IntegrationId", "Kind", "SourceId", "TargetId", "CorrelationId", "SourceFingerprint", "TargetFingerprint", "CreatedAt", "UpdatedAt")
        VALUES {rows}
        ON CONFLICT ("IntegrationId", "Kind", "SourceId") DO UPDATE SET
            "TargetId" = excluded."TargetId",
            "CorrelationId" = COALESCE(excluded."CorrelationId", "links"."CorrelationId"),
            "SourceFingerprint" = excluded."SourceFingerprint",
            "TargetFingerprint" = excluded."TargetFingerprint",
            "UpdatedAt" = excluded."UpdatedAt"
        """;

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

        // One multi-row upsert per chunk instead of a read and a tracked insert or update per link: an initial sync saves
        // links by the thousand, and this is several times faster on both providers (the same SQL runs on SQLite and PostgreSQL).
        var now = time.GetUtcNow().UtcDateTime;
        var latest = links.GroupBy(l => (l.Kind, l.SourceId)).Select(g => g.Last()).ToList(); // one row may change once per statement
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var chunk in latest.Chunk(RowsPerUpsert))
        {
            var values = new List<object?>(chunk.Length * UpsertColumns);
            var rows = new List<string>(chunk.Length);
            foreach (var link in chunk)
            {
                var first = values.Count;
                rows.Add("(" + string.Join(", ", Enumerable.Range(first, UpsertColumns).Select(i => $"{{{i}}}")) + ")");
                values.AddRange([integrationId, (int)link.Kind, link.SourceId, link.TargetId, link.CorrelationId, Serialize(link.Source), Serialize(link.Target), now, now]);
            }

            await db.Database.ExecuteSqlRawAsync(UpsertSql.Replace("{rows}", string.Join(",\n", rows), StringComparison.Ordinal), values!, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
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
