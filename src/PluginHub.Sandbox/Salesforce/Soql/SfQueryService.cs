using System.Text.Json.Nodes;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Salesforce.Soql;

/// <summary>
/// The query resources: runs SOQL, pages the result with query locators (<c>{locatorId}-{offset}</c>, version-independent as jsforce
/// rebuilds the URL with its own version), expires locators after 15 minutes idle and keeps at most 10 open per user.
/// Called under the org lock.
/// </summary>
internal sealed class SfQueryService
{
    public const int DefaultBatch = 2000;
    private const int MaxOpenPerUser = 10;
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(15);

    private readonly SfOrg _org;
    private readonly Dictionary<string, Cursor> _cursors = new(StringComparer.Ordinal);
    private long _next;

    public SfQueryService(SfOrg org)
    {
        _org = org;
        Engine = new SoqlEngine(org);
    }

    public SoqlEngine Engine { get; }

    public void Reset() => _cursors.Clear();

    public JsonObject Run(string soql, bool queryAll, int batchSize, string userId, string version)
    {
        var q = Engine.Prepare(soql, queryAll);
        var rows = Engine.Execute(q);
        if (q.CountOnly)
        {
            return Page(rows.Count, true, null, []);
        }

        var cursor = new Cursor(q, userId, Math.Clamp(batchSize, 200, DefaultBatch))
        {
            Rows = q.IsAggregate ? null : rows,
            Aggregates = q.IsAggregate ? Engine.Aggregate(q, rows) : null,
        };
        return Serve(cursor, 0, version);
    }

    public JsonObject More(string locator, string userId, string version)
    {
        var dash = locator.LastIndexOf('-');
        var now = _org.Now();
        if (dash <= 0 || !int.TryParse(locator.AsSpan(dash + 1), out var offset)
            || !_cursors.TryGetValue(locator[..dash], out var cursor) || cursor.UserId != userId || now - cursor.LastUsed > Idle || offset > cursor.Total)
        {
            throw SfException.BadRequest("INVALID_QUERY_LOCATOR", "invalid query locator");
        }

        return Serve(cursor, offset, version);
    }

    private JsonObject Serve(Cursor cursor, int offset, string version)
    {
        var count = Math.Min(cursor.BatchSize, cursor.Total - offset);
        if (cursor.Rows is { } all && cursor.Query.Select.Any(s => s is BoundChild))
        {
            // Child records count toward the batch size (Sforce-Query-Options): a page holds fewer parents, at least one.
            var kids = Engine.InlinedChildren(cursor.Query, all.GetRange(offset, count));
            var used = 0;
            var take = 0;
            while (take < count && (take == 0 || used + 1 + kids[take] <= cursor.BatchSize))
            {
                used += 1 + kids[take++];
            }

            count = take;
        }

        var done = offset + count >= cursor.Total;
        List<JsonObject> records = cursor.Rows is { } rows
            ? Engine.Render(cursor.Query, rows.GetRange(offset, count), version, (child, kids) => OpenChildren(child, kids, cursor.UserId, version))
            : cursor.Aggregates!.GetRange(offset, count).Select(o => (JsonObject)o.DeepClone()).ToList();
        string? next = null;
        if (done)
        {
            _cursors.Remove(cursor.Id ?? string.Empty);
        }
        else
        {
            Open(cursor);
            next = $"/services/data/v{version}/query/{cursor.Id}-{offset + count}";
        }

        return Page(cursor.Total, done, next, records);
    }

    /// <summary>A locator over one parent's remaining children (its first <see cref="SoqlEngine.ChildBatch"/> are inline).</summary>
    private string OpenChildren(BoundQuery child, List<SfRecord> kids, string userId, string version)
    {
        var cursor = new Cursor(child, userId, SoqlEngine.ChildBatch) { Rows = kids, IsChild = true };
        Open(cursor);
        return $"/services/data/v{version}/query/{cursor.Id}-{SoqlEngine.ChildBatch}";
    }

    private void Open(Cursor cursor)
    {
        cursor.LastUsed = _org.Now();
        if (cursor.Id is not null)
        {
            return;
        }

        cursor.Id = SfId.Make("01g", ++_next);
        // Child-result locators only expire when idle: a page may open many of them and jsforce follows them right away.
        var now = _org.Now();
        foreach (var idle in _cursors.Values.Where(c => now - c.LastUsed > Idle).ToList())
        {
            _cursors.Remove(idle.Id!);
        }

        var mine = cursor.IsChild ? [] : _cursors.Values.Where(c => c.UserId == cursor.UserId && !c.IsChild).OrderBy(c => c.LastUsed).ToList();
        foreach (var stale in mine.Take(Math.Max(0, mine.Count - MaxOpenPerUser + 1)))
        {
            _cursors.Remove(stale.Id!);
        }

        _cursors[cursor.Id] = cursor;
    }

    private static JsonObject Page(int total, bool done, string? next, List<JsonObject> records)
    {
        var o = new JsonObject { ["totalSize"] = total, ["done"] = done };
        if (next is not null)
        {
            o["nextRecordsUrl"] = next;
        }

        o["records"] = new JsonArray(records.Cast<JsonNode?>().ToArray());
        return o;
    }

    private sealed class Cursor(BoundQuery query, string userId, int batchSize)
    {
        public BoundQuery Query { get; } = query;

        public string UserId { get; } = userId;

        public int BatchSize { get; } = batchSize;

        public string? Id { get; set; }

        public List<SfRecord>? Rows { get; init; }

        public List<JsonObject>? Aggregates { get; init; }

        public bool IsChild { get; init; }

        public int Total => Rows?.Count ?? Aggregates!.Count;

        public DateTime LastUsed { get; set; }
    }
}
