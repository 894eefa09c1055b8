using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Rules;

namespace PluginHub.Core.Sync;

/// <summary>
/// One direction of an integration (source → target, or back): read changes page by page, drop what did not change since we
/// last wrote or saw it, resolve conflicts per field, create or update in batches, remember what was written, and save the
/// checkpoint only once every record before it is handled.
/// </summary>
public sealed class DirectionSync(SyncContext context, SyncSide from)
{
    private const string InFlight = "in flight";
    private const string Settled = "settled";

    private readonly SyncSide _to = context.Other(from);
    private readonly IReadOnlyList<DirectedMapping> _mappings = FieldMapper.For(context.Definition, from.Side);
    private readonly List<RuleBatch> _rules = [];

    /// <summary>Whether unlinked records are looked up by correlation id before being created (see <see cref="CreatesKey"/>).</summary>
    private bool _adopt;

    /// <summary>Whether this run saved the <see cref="CreatesKey"/> marker.</summary>
    private bool _creating;

    /// <summary>The checkpoint key of this direction.</summary>
    public string WatermarkKey => from.Side == Side.Source ? "toTarget" : "toSource";

    private IReadOnlyList<string> FromFields => [.. _mappings.Select(m => m.From).Distinct(StringComparer.Ordinal)];

    private IReadOnlyList<string> ToFields => [.. _mappings.Select(m => m.To).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The key of a marker saved before creating and cleared when a run ends: while it stands, a create may have reached the
    /// other side without its link being saved (a crash, a lost response), so unlinked records are first looked up there by
    /// correlation id. Other runs skip those look-ups, which would otherwise cost a search per page of new records.
    /// </summary>
    private string CreatesKey => WatermarkKey + ":creates";

    /// <summary>Runs the direction to the end of the changes.</summary>
    /// <param name="linked">Called with the links each page created, before its checkpoint is saved (to copy their comments and files).</param>
    /// <param name="cancellationToken">Stops at the next page; what was checkpointed stays.</param>
    public async Task RunAsync(Func<IReadOnlyList<Link>, CancellationToken, Task>? linked, CancellationToken cancellationToken)
    {
        if (from.Connector is not IChangeReader changes)
        {
            throw new ConnectorException(FailureKind.Configuration, $"The {from.Side.ToString().ToLowerInvariant()} connector cannot read changes.");
        }

        if (_to.Writer is null)
        {
            throw new ConnectorException(FailureKind.Configuration, $"The {_to.Side.ToString().ToLowerInvariant()} connector cannot write.");
        }

        StartRules(cancellationToken);
        try
        {
            var watermark = await context.State.GetWatermarkAsync(context.IntegrationId, WatermarkKey, cancellationToken);
            // A first run looks up too: an integration deleted and made again finds what its predecessor created.
            _adopt = watermark is null || await context.State.GetWatermarkAsync(context.IntegrationId, CreatesKey, cancellationToken) == InFlight;
            await HandleAsync(await RetryPreviousFailuresAsync(cancellationToken), linked, cancellationToken);
            var query = new ChangeQuery
            {
                Entity = from.Entity,
                Fields = FromFields,
                Watermark = watermark,
                InitialSince = watermark is null && from.Side == Side.Source && context.Definition.InitialSync.Enabled
                    ? context.Definition.InitialSync.CreatedSince ?? DateTimeOffset.UnixEpoch
                    : null,
                Scope = from.Scope,
                Filter = from.Endpoint.Filter,
            };
            await foreach (var page in changes.ReadChangesAsync(query, cancellationToken))
            {
                await HandleAsync(page.Records, linked, cancellationToken);
                if (context.Preview is { } preview)
                {
                    preview.Calls(from.Side, 1);
                    if (preview.Full)
                    {
                        preview.Truncated = true;
                        break;
                    }

                    continue;
                }

                await context.State.SaveWatermarkAsync(context.IntegrationId, WatermarkKey, page.Checkpoint, cancellationToken);
            }

            if ((_creating || _adopt) && context.Preview is null)
            {
                await context.State.SaveWatermarkAsync(context.IntegrationId, CreatesKey, Settled, cancellationToken);
            }
        }
        finally
        {
            foreach (var rule in _rules)
            {
                rule.Dispose();
            }
        }
    }

    private async Task HandleAsync(IReadOnlyList<Record> records, Func<IReadOnlyList<Link>, CancellationToken, Task>? linked, CancellationToken cancellationToken)
    {
        var created = await ProcessAsync(records, cancellationToken);
        if (created.Count > 0 && linked is not null) // a preview creates nothing
        {
            await linked(created, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<Record>> RetryPreviousFailuresAsync(CancellationToken cancellationToken)
    {
        var prefix = from.ErrorId(string.Empty);
        var ids = context.Retries.Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).Select(r => r[prefix.Length..]).ToList();
        if (ids.Count == 0 || from.Reader is null)
        {
            return [];
        }

        context.Logger.LogInformation("Reading {Count} {Entity} records first: earlier failures and change notices", ids.Count, from.Entity);
        var records = await from.Reader.ReadByIdsAsync(from.Entity, ids, FromFields, cancellationToken);
        context.Preview?.Calls(from.Side, 1);
        return records;
    }

    /// <summary>Handles one page: every record ends written, skipped or failed with a reason. Returns the links it created or adopted.</summary>
    private async Task<IReadOnlyList<Link>> ProcessAsync(IReadOnlyList<Record> page, CancellationToken cancellationToken)
    {
        context.Tally.Read(page.Count);
        context.Preview?.Read(page.Count);
        var records = new List<Record>();
        foreach (var record in page)
        {
            if (record.Deleted)
            {
                context.Tally.Skipped();
                Preview(record, "skip", null, [], "deleted (deletions are not synced)");
                continue;
            }

            if (!Keep(record))
            {
                context.Tally.Skipped();
                continue;
            }

            records.Add(record);
        }

        if (records.Count == 0)
        {
            return [];
        }

        var links = (await context.State.FindLinksAsync(context.IntegrationId, LinkKind.Record, from.Side, [.. records.Select(r => r.Ref.Id)], cancellationToken))
            .ToDictionary(l => l.IdOn(from.Side), StringComparer.Ordinal);
        var adopted = await AdoptByCorrelationAsync(records.Where(r => !links.ContainsKey(r.Ref.Id)).ToList(), cancellationToken);
        foreach (var (link, _) in adopted)
        {
            links[link.IdOn(from.Side)] = link;
        }

        // A record another integration created or pairs (the other template, run alongside) is that integration's: copying it
        // again would make a twin, and the twin would be copied back.
        var unlinked = records.Where(r => !links.ContainsKey(r.Ref.Id)).Select(r => r.Ref.Id).ToList();
        var elsewhere = unlinked.Count == 0 ? new HashSet<string>() : await context.State.FindLinkedElsewhereAsync(context.IntegrationId, unlinked, cancellationToken);
        if (elsewhere.Count > 0)
        {
            context.Tally.Skipped(elsewhere.Count);
            foreach (var record in records.Where(r => elsewhere.Contains(r.Ref.Id)))
            {
                Preview(record, "skip", null, [], "created or paired by another integration");
            }

            records.RemoveAll(r => elsewhere.Contains(r.Ref.Id));
        }

        // Only records with a mapped field changed since we last saw them need their linked record (for conflicts); most
        // re-read records are echoes of our own writes or changes of unmapped fields, and cost no read on the other side.
        var changed = new Dictionary<string, IReadOnlyList<DirectedMapping>>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (links.TryGetValue(record.Ref.Id, out var link) && ChangedMappings(record, link) is { Count: > 0 } mappings)
            {
                changed[record.Ref.Id] = mappings;
            }
        }

        var current = await ReadLinkedAsync(links.Values.Where(l => changed.ContainsKey(l.IdOn(from.Side))), cancellationToken);
        var plans = new List<Plan>();
        foreach (var record in records)
        {
            var linked = links.TryGetValue(record.Ref.Id, out var link);
            var plan = !linked ? PlanCreate(record) : changed.TryGetValue(record.Ref.Id, out var mappings) ? PlanUpdate(record, link!, mappings, current) : null;
            if (plan is null)
            {
                context.Tally.Skipped();
                Preview(record, "skip", link?.IdOn(_to.Side), [], "no mapped field changed since the last sync (an echo of our own write, or another field)");
                continue;
            }

            if (Transform(plan) is { } transformed)
            {
                plans.Add(transformed);
            }
        }

        if (context.Preview is { } preview)
        {
            foreach (var plan in plans)
            {
                Preview(plan.Record, plan.Link is null ? "create" : "update", plan.Write.Id, [.. plan.Write.Fields.Keys], null);
            }

            foreach (var (link, other) in adopted)
            {
                Preview(records.First(r => r.Ref.Id == link.IdOn(from.Side)), "link", other.DisplayKey ?? other.Id, [], "found on the other side by its correlation id (a create interrupted earlier)");
            }

            // Writes in batches, one re-read per batch, and the key written back for creates.
            var batch = Math.Max(1, _to.Writer!.MaxBatchSize);
            var creates = plans.Count(p => p.Link is null);
            var updates = plans.Count - creates;
            preview.Calls(_to.Side, Batches(creates, batch) + Batches(updates, batch) + Batches(plans.Count, batch) + (links.Count > 0 ? 1 : 0));
            preview.Calls(from.Side, from.Correlation?.Field is { } field && field != "labels" ? Batches(creates, Math.Max(1, from.Writer?.MaxBatchSize ?? 1)) : 0);
            return [];
        }

        if (!_creating && plans.Any(p => p.Link is null))
        {
            await context.State.SaveWatermarkAsync(context.IntegrationId, CreatesKey, InFlight, cancellationToken);
            _creating = true;
        }

        var written = await WriteAsync(plans, cancellationToken);
        await context.State.SaveLinksAsync(context.IntegrationId, written, cancellationToken);
        var created = plans.Where(p => p.Link is null && p.Result is { Succeeded: true, Created: true }).ToList();
        await WriteBackKeysAsync([.. created.Select(p => (p.Record.Ref.Id, p.Result!.Record!)), .. adopted.Select(a => (a.Link.IdOn(from.Side), a.Other))], cancellationToken);
        var createdIds = created.Select(p => p.Record.Ref.Id).ToHashSet(StringComparer.Ordinal);
        return [.. written.Where(l => createdIds.Contains(l.IdOn(from.Side))), .. adopted.Select(a => a.Link)];
    }

    /// <summary>Finds records an interrupted run created on the other side before it could save their links.</summary>
    private async Task<IReadOnlyList<(Link Link, RecordRef Other)>> AdoptByCorrelationAsync(List<Record> unlinked, CancellationToken cancellationToken)
    {
        if (!_adopt || unlinked.Count == 0 || _to.Correlation is not { } location || _to.Reader is not { } reader)
        {
            return [];
        }

        var byCorrelation = unlinked.ToDictionary(CorrelationIdOf, StringComparer.Ordinal);
        var found = await reader.FindByCorrelationIdsAsync(_to.Entity, [.. byCorrelation.Keys], _to.Scope, location, cancellationToken);
        var adopted = found.Select(f => (Link: NewLink(byCorrelation[f.Key].Ref.Id, f.Value.Id) with { CorrelationId = f.Key }, Other: f.Value)).ToList();
        if (adopted.Count > 0 && context.Preview is null)
        {
            context.Logger.LogInformation("Linked {Count} {Entity} records created by an interrupted run instead of creating them again", adopted.Count, _to.Entity);
            await context.State.SaveLinksAsync(context.IntegrationId, [.. adopted.Select(a => a.Link)], cancellationToken);
        }

        return adopted;
    }

    private async Task<Dictionary<string, Record>> ReadLinkedAsync(IEnumerable<Link> links, CancellationToken cancellationToken)
    {
        var ids = links.Select(l => l.IdOn(_to.Side)).ToList();
        if (ids.Count == 0 || _to.Reader is null)
        {
            return new Dictionary<string, Record>(StringComparer.Ordinal);
        }

        var records = await _to.Reader.ReadByIdsAsync(_to.Entity, ids, ToFields, cancellationToken);
        return records.ToDictionary(r => r.Ref.Id, StringComparer.Ordinal);
    }

    /// <summary>The mappings whose field changed since we last wrote or saw it; the others are echoes or changes of other fields.</summary>
    private List<DirectedMapping> ChangedMappings(Record record, Link link)
    {
        var seen = link.StateOf(from.Side);
        return [.. _mappings.Where(m => record.Fields.TryGetValue(m.From, out var value)
            && !(seen.Fields.TryGetValue(m.From, out var hash) && hash == context.Hasher.Hash(value)))];
    }

    private Plan? PlanUpdate(Record record, Link link, IReadOnlyList<DirectedMapping> changed, Dictionary<string, Record> current)
    {
        var otherId = link.IdOn(_to.Side);
        if (_to.Reader is not null && !current.ContainsKey(otherId))
        {
            context.Tally.Failed(from.ErrorId(record.Ref.Id), $"The linked {_to.Entity} {otherId} no longer exists or cannot be read; the change was not written.");
            Preview(record, "skip", otherId, [], $"the linked {_to.Entity} no longer exists or cannot be read");
            return null;
        }

        current.TryGetValue(otherId, out var other);
        var otherSeen = link.StateOf(_to.Side);
        var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        var lost = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mapping in changed)
        {
            var value = record.Fields[mapping.From];

            if (other is not null && other.Fields.TryGetValue(mapping.To, out var otherValue)
                && otherSeen.Fields.TryGetValue(mapping.To, out var otherHash) && otherHash != context.Hasher.Hash(otherValue)
                && !Wins(mapping.Conflict, record, other))
            {
                lost.Add(mapping.From); // both sides changed it; the other side's value stands and flows back in its own direction
                continue;
            }

            if (FieldMapper.Convert(mapping, value, _to.Field(mapping.To)) is { } converted)
            {
                fields[mapping.To] = converted;
            }
        }

        if (fields.Count == 0)
        {
            return null;
        }

        var write = new RecordWrite { Operation = WriteOperation.Update, Entity = _to.Entity, Id = otherId, Scope = _to.Scope, Fields = fields };
        return new Plan(record, link, write, other) { Lost = lost };
    }

    private Plan PlanCreate(Record record)
    {
        var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var mapping in _mappings)
        {
            var value = record.Fields.GetValueOrDefault(mapping.From) ?? NullValue.Instance;
            if (FieldMapper.Convert(mapping, value, _to.Field(mapping.To)) is { } converted and not NullValue)
            {
                fields[mapping.To] = converted;
            }
        }

        var write = new RecordWrite
        {
            Operation = WriteOperation.Create,
            Entity = _to.Entity,
            Scope = _to.Scope,
            CorrelationId = _to.Correlation is null ? null : CorrelationIdOf(record),
            Correlation = _to.Correlation,
            Fields = fields,
        };
        return new Plan(record, null, write, null);
    }

    private bool Wins(ConflictPolicy policy, Record mine, Record theirs) => policy switch
    {
        ConflictPolicy.SourceWins => from.Side == Side.Source,
        ConflictPolicy.TargetWins => from.Side == Side.Target,
        _ => mine.ModifiedAt >= theirs.ModifiedAt,
    };

    private async Task<List<Link>> WriteAsync(List<Plan> plans, CancellationToken cancellationToken)
    {
        var writer = _to.Writer!;
        foreach (var batch in plans.Chunk(Math.Max(1, writer.MaxBatchSize)))
        {
            var results = await writer.WriteAsync([.. batch.Select(p => p.Write)], cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i].Result = i < results.Count ? results[i] : WriteResult.Failure(FailureKind.Internal, "The connector returned no result for this write.");
            }
        }

        var done = plans.Where(p => p.Result is { Succeeded: true, Record: not null }).ToList();
        foreach (var plan in plans.Where(p => p.Result is not { Succeeded: true, Record: not null }))
        {
            context.Tally.Failed(from.ErrorId(plan.Record.Ref.Id), Describe(plan.Result?.Error));
        }

        // Re-read what we wrote so that what we remember is what the other side now shows, in its own representation.
        var reread = await ReadLinkedAsync(done.Select(p => NewLink(p.Record.Ref.Id, p.Result!.Record!.Id)), cancellationToken);
        var links = new List<Link>(done.Count);
        foreach (var plan in done)
        {
            var result = plan.Result!;
            if (result.Created)
            {
                context.Tally.Created();
                context.Logger.LogInformation("{FromEntity} {FromKey} → {ToEntity} {ToKey} created", from.Entity, KeyOf(plan.Record.Ref), _to.Entity, KeyOf(result.Record!));
            }
            else
            {
                context.Tally.Updated();
                context.Logger.LogInformation("{FromEntity} {FromKey} → {ToEntity} {ToKey} updated ({Fields})", from.Entity, KeyOf(plan.Record.Ref), _to.Entity, KeyOf(result.Record!), string.Join(", ", plan.Write.Fields.Keys));
            }

            var rejected = _mappings.Where(m => result.RejectedFields.ContainsKey(m.To)).Select(m => m.From).ToHashSet(StringComparer.Ordinal);
            if (result.RejectedFields.Count > 0)
            {
                context.Tally.Note(from.ErrorId(plan.Record.Ref.Id), string.Join("; ", result.RejectedFields.Select(f => $"{f.Key}: {f.Value}")));
            }

            var link = plan.Link ?? NewLink(plan.Record.Ref.Id, result.Record!.Id) with { CorrelationId = plan.Write.CorrelationId };
            var keep = plan.Lost.Concat(rejected).ToHashSet(StringComparer.Ordinal);
            link = link.With(from.Side, Remember(plan.Record, link.StateOf(from.Side), keep));
            if (reread.TryGetValue(result.Record!.Id, out var now))
            {
                // Remember what we wrote as the other side shows it; a field changed there and not written here stays "changed",
                // so that its own direction still carries it back.
                var written = plan.Link is null ? ToFields : [.. plan.Write.Fields.Keys];
                link = link.With(_to.Side, Merge(link.StateOf(_to.Side), context.Hasher.StateOf(now, written)));
            }

            links.Add(link);
        }

        return links;
    }

    /// <summary>What we now know of the record read, except fields whose change did not get through (they stay "changed").</summary>
    private SideState Remember(Record record, SideState previous, HashSet<string> keep)
    {
        var state = context.Hasher.StateOf(record, FromFields);
        if (keep.Count == 0)
        {
            return state;
        }

        var fields = state.Fields.Where(f => !keep.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        foreach (var field in keep)
        {
            if (previous.Fields.TryGetValue(field, out var hash))
            {
                fields[field] = hash;
            }
        }

        return new SideState(record.Version, fields);
    }

    private static SideState Merge(SideState previous, SideState update)
    {
        var fields = new Dictionary<string, string>(previous.Fields, StringComparer.Ordinal);
        foreach (var (field, hash) in update.Fields)
        {
            fields[field] = hash;
        }

        return new SideState(update.Version ?? previous.Version, fields);
    }

    /// <summary>
    /// Writes the other side's key into this side's correlation field (the Jira key on the Case), where configured: for records
    /// created now, and for those an interrupted run created and this one adopted.
    /// </summary>
    private async Task WriteBackKeysAsync(IReadOnlyList<(string FromId, RecordRef To)> created, CancellationToken cancellationToken)
    {
        // Labels hold correlation ids written at creation, not the other side's key.
        if (created.Count == 0 || from.Correlation?.Field is not { } field || field == "labels" || from.Writer is not { } writer || from.Schema.Fields.All(f => f.Name != field))
        {
            return;
        }

        var writes = created.Select(p => new RecordWrite
        {
            Operation = WriteOperation.Update,
            Entity = from.Entity,
            Id = p.FromId,
            Scope = from.Scope,
            Fields = new Dictionary<string, FieldValue> { [field] = new TextValue(KeyOf(p.To)) },
        }).ToList();
        foreach (var batch in writes.Chunk(Math.Max(1, writer.MaxBatchSize)))
        {
            var results = await writer.WriteAsync(batch, cancellationToken);
            for (var i = 0; i < results.Count; i++)
            {
                if (!results[i].Succeeded)
                {
                    context.Tally.Note(from.ErrorId(batch[i].Id!), $"The {_to.Entity} key could not be written back into {field}: {Describe(results[i].Error)}");
                }
            }
        }
    }

    private void StartRules(CancellationToken cancellationToken)
    {
        if (context.RuleRuntime is not { } runtime)
        {
            return;
        }

        var direction = from.Side == Side.Source ? RuleDirection.ToTarget : RuleDirection.ToSource;
        var valueMaps = _mappings.Where(m => m.ValueMap is not null).GroupBy(m => m.To).ToDictionary(g => g.Key, g => g.First().ValueMap!);
        var ruleContext = new RuleRunContext
        {
            IntegrationName = context.IntegrationName,
            Direction = direction,
            ValueMaps = valueMaps,
            TargetFields = _to.Schema.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal),
            Now = context.Time.GetUtcNow(),
        };
        _rules.AddRange(context.Rules.Select(r => runtime.StartBatch(r, ruleContext, cancellationToken)));
    }

    private bool Keep(Record record)
    {
        foreach (var rule in _rules)
        {
            var result = rule.Filter(record);
            if (result.Error is { } error)
            {
                context.Tally.Failed(from.ErrorId(record.Ref.Id), error.ToString());
                Preview(record, "skip", null, [], error.ToString());
                return false;
            }

            if (!result.Value)
            {
                Preview(record, "skip", null, [], $"left out by rule '{rule.RuleName}'");
                return false;
            }
        }

        return true;
    }

    private Plan? Transform(Plan plan)
    {
        var fields = plan.Write.Fields;
        foreach (var rule in _rules)
        {
            var result = rule.Transform(plan.Record, fields, plan.Current);
            if (result.Error is { } error)
            {
                context.Tally.Failed(from.ErrorId(plan.Record.Ref.Id), error.ToString());
                Preview(plan.Record, "skip", plan.Write.Id, [], error.ToString());
                return null;
            }

            fields = result.Value!;
        }

        return ReferenceEquals(fields, plan.Write.Fields) ? plan : plan with { Write = plan.Write with { Fields = fields } };
    }

    private void Preview(Record record, string action, string? to, IReadOnlyList<string> fields, string? reason) =>
        context.Preview?.Add(new PlannedChange(WatermarkKey, action, $"{from.Entity} {KeyOf(record.Ref)}", to is null ? null : $"{_to.Entity} {to}", fields, reason));

    private static int Batches(int count, int size) => (count + size - 1) / size;

    private Link NewLink(string fromId, string toId) => Link.Between(LinkKind.Record, from.Side, fromId, toId);

    /// <summary>
    /// The correlation id written on a record created from <paramref name="record"/>: its human key where it has one (the Jira key
    /// in a Salesforce field named for it), prefixed with its entity in labels so that a label reads as what it is (<c>Case-00001023</c>).
    /// </summary>
    private string CorrelationIdOf(Record record)
    {
        var key = record.Ref.DisplayKey ?? record.Ref.Id;
        return _to.Correlation?.Field == "labels" ? $"{from.Entity}-{key}" : key;
    }

    private static string KeyOf(RecordRef record) => record.DisplayKey ?? record.Id;

    private static string Describe(WriteError? error) => error is null
        ? "The write failed without a reason."
        : error.RemoteCode is { } code ? $"{code}: {error.Message}" : error.Message;

    /// <summary>One planned write and, once sent, its result.</summary>
    private sealed record Plan(Record Record, Link? Link, RecordWrite Write, Record? Current)
    {
        public HashSet<string> Lost { get; init; } = [];

        public WriteResult? Result { get; set; }
    }
}
