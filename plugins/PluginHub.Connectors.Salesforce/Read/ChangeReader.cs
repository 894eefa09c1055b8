using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Api;
using PluginHub.Connectors.Salesforce.Describe;

namespace PluginHub.Connectors.Salesforce.Read;

/// <summary>
/// Incremental reads on SystemModstamp (indexed, and it also moves on system changes), ordered by SystemModstamp then Id.
/// One read pages through one query with queryMore; its checkpoints carry the last (SystemModstamp, Id) and a horizon. A resume
/// re-reads the overlap window (the minutes before the horizon, for transactions that commit with an older SystemModstamp and for
/// changes within the same second) until it is settled, then continues strictly after (SystemModstamp, Id): the Id tie-break
/// resumes inside a group of records sharing one timestamp (bulk loads make thousands), so they are neither skipped nor read forever.
/// </summary>
internal sealed class ChangeReader(SalesforceApi api, SchemaCache schemas)
{
    /// <summary>How long after its SystemModstamp a change may still become visible (a long transaction).</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    public async IAsyncEnumerable<ChangePage> ReadAsync(ChangeQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var obj = await schemas.ObjectAsync(query.Entity, cancellationToken);
        if (obj.Field("SystemModstamp") is null)
        {
            throw new ConnectorException(FailureKind.Configuration, $"{obj.Name} has no SystemModstamp and cannot be read incrementally.");
        }

        var selection = FieldSelection.For(obj, query.Fields, query.IncludeDeleted);
        var mapper = await MapperAsync(selection, schemas, cancellationToken);
        var filter = string.IsNullOrWhiteSpace(query.Filter) ? string.Empty : $" AND ({query.Filter})";
        var start = Checkpoint.Parse(query.Watermark);

        if (start is null && query.InitialSince is null)
        {
            // No history wanted: start at the org's "now" (its clock, not ours), checking the filter on the way.
            var probe = await api.QueryAsync($"SELECT Id, SystemModstamp FROM {obj.Name} WHERE Id != null{filter} ORDER BY SystemModstamp DESC LIMIT 1", false, cancellationToken);
            var now = probe.ServerTime ?? api.Time.GetUtcNow();
            yield return new ChangePage([], new Checkpoint(now, string.Empty, now).Serialize());
            yield break;
        }

        var position = start ?? new Checkpoint(query.InitialSince!.Value, string.Empty, query.InitialSince.Value);
        var soql = $"SELECT {selection.SelectList} FROM {obj.Name} WHERE {Window(position)}{filter} ORDER BY SystemModstamp ASC, Id ASC";
        var response = await api.QueryAsync(soql, query.IncludeDeleted, cancellationToken, query.PageSizeHint ?? 2000);
        var serverNow = response.ServerTime ?? api.Time.GetUtcNow();
        var horizon = position.Horizon > serverNow - Overlap ? position.Horizon : serverNow - Overlap;
        position = position with { Horizon = horizon };
        var page = response.Body;
        while (true)
        {
            var records = new List<Record>();
            foreach (var row in page.GetProperty("records").EnumerateArray())
            {
                var record = mapper.Map(row);
                records.Add(record);
                position = position.AtLeast(Soql.ParseDateTime(row.GetProperty("SystemModstamp").GetString()!), record.Ref.Id);
            }

            api.Logger.LogDebug("Read {Count} changed {Entity} record(s) of {Total}", records.Count, obj.Name, page.GetProperty("totalSize").GetInt32());
            yield return new ChangePage(records, position.Serialize());
            if (page.GetProperty("done").GetBoolean() || !page.TryGetProperty("nextRecordsUrl", out var next) || next.GetString() is not { } url)
            {
                yield break;
            }

            page = (await api.GetAsync(url, "A SOQL query (next batch)", cancellationToken)).Body;
        }
    }

    /// <summary>
    /// The records after the checkpoint. Until the horizon has passed the checkpoint's stamp, everything from the horizon on is
    /// read again (the overlap): a late commit may have landed there, and SystemModstamp has whole seconds, so a record changed
    /// again within the checkpoint's second keeps its stamp. Once settled, the read resumes strictly after (stamp, id), inside a
    /// group sharing the stamp too. The leading <c>SystemModstamp &gt;=</c> keeps the query on the index.
    /// </summary>
    private static string Window(Checkpoint c)
    {
        if (c.Horizon <= c.Stamp)
        {
            return $"SystemModstamp >= {Soql.DateTime(c.Horizon)}";
        }

        var stamp = Soql.DateTime(c.Stamp);
        return c.Id.Length == 0
            ? $"SystemModstamp >= {stamp}"
            : $"SystemModstamp >= {stamp} AND (SystemModstamp > {stamp} OR Id > {Soql.Quote(c.Id)})";
    }

    /// <summary>A mapper for the selection; loads describeGlobal first when a polymorphic lookup needs key prefixes.</summary>
    public static async Task<RecordMapper> MapperAsync(FieldSelection selection, SchemaCache schemas, CancellationToken cancellationToken)
    {
        if (!selection.Fields.Any(f => f.Type == "reference" && !f.IsUserReference && f.ReferenceTo.Count != 1))
        {
            return new RecordMapper(selection, _ => null);
        }

        var global = await schemas.GlobalAsync(cancellationToken);
        var byPrefix = global.Where(o => o.KeyPrefix is not null).GroupBy(o => o.KeyPrefix!).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        return new RecordMapper(selection, id => id.Length >= 3 ? byPrefix.GetValueOrDefault(id[..3]) : null);
    }
}
