using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Describe;
using PluginHub.Connectors.Jira.Read;
using PluginHub.Connectors.Jira.Write.Transitions;

namespace PluginHub.Connectors.Jira.Write;

/// <summary>
/// Creates issues in bulk (<c>/issue/bulk</c>, 50 per call; on Cloud each entry carries its first workflow step once the
/// workflow is learned), edits only the given fields, and moves statuses through workflow transitions. One result per write,
/// in order; a failure fails only its record.
/// </summary>
internal sealed class RecordWriter(JiraApi api, JiraCatalog catalog, FieldEncoder encoder, WorkflowWalker walker, IssueGate gate, ILogger logger)
{
    public const int BulkSize = 50;

    /// <summary>
    /// Writes (edits, transitions) of different issues that run side by side; writes of one issue never do (<see cref="IssueGate"/>).
    /// </summary>
    /// <remarks>
    /// Jira Cloud's burst limits are per tenant, path and method: 100 requests/s for GET and POST (transitions), 50/s for PUT
    /// (edits), plus 20 writes per 2 s on one issue (reference §8.2). Eight requests in flight at Cloud's typical 150–500 ms per
    /// write stay near or below 50/s, and a 429 is retried after its Retry-After anyway; Server/Data Center has no limiter by default.
    /// </remarks>
    internal const int Parallelism = 8;

    // Project|issue type pairs whose creates Jira refused for their transition: their statuses are set by transition calls only.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _noStepOnCreate = new(StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> ReadOnly = new(StringComparer.Ordinal)
    {
        "id", "key", "project", "issuetype", "created", "updated", "creator", "resolutiondate", "statuscategorychangedate", "attachment", "comment",
    };

    public async Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken)
    {
        var results = new WriteResult[writes.Count];
        var progress = new Progress();
        var creates = new List<(int Index, RecordWrite Write)>();
        var updates = new List<(int Index, RecordWrite Write)>();
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            switch (write.Operation)
            {
                case WriteOperation.Create:
                    creates.Add((i, write));
                    break;
                case WriteOperation.Update when !string.IsNullOrEmpty(write.Id):
                    updates.Add((i, write));
                    break;
                case WriteOperation.Update:
                    results[i] = WriteResult.Failure(FailureKind.Internal, "An update needs the issue id.");
                    break;
                default:
                    results[i] = WriteResult.Failure(FailureKind.Internal,
                        "Jira has no upsert by external key: create with a correlation id, then update by issue id.");
                    break;
            }
        }

        foreach (var group in creates.GroupBy(c => (c.Write.Entity, Project: Scope.Project(c.Write.Scope))))
        {
            foreach (var batch in group.Chunk(BulkSize))
            {
                await CreateAsync(group.Key.Entity, group.Key.Project, batch, results, progress, cancellationToken);
            }
        }

        // Writes to one issue stay in order and one at a time; different issues go side by side.
        await Parallel.ForEachAsync(updates.GroupBy(u => u.Write.Id!, StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (issue, ct) =>
            {
                foreach (var (index, write) in issue)
                {
                    try
                    {
                        results[index] = await gate.RunAsync(issue.Key, () => UpdateAsync(write, progress, ct), ct);
                    }
                    catch (ConnectorException e) when (progress.CanFailPerRecord(e))
                    {
                        results[index] = WriteFailures.From(e, write);
                    }
                }
            });

        // Counts only: field values never reach the logs.
        logger.LogDebug("Jira write: {Creates} creates, {Updates} updates, {Failed} failed, {Rejected} fields rejected",
            creates.Count, updates.Count, results.Count(r => !r.Succeeded), results.Sum(r => r.RejectedFields.Count));
        return results;
    }

    private async Task CreateAsync(string entity, string? project, (int Index, RecordWrite Write)[] batch, WriteResult[] results, Progress progress, CancellationToken cancellationToken)
    {
        if (project is null)
        {
            foreach (var (index, _) in batch)
            {
                results[index] = WriteResult.Failure(FailureKind.Configuration, "Creating a Jira issue needs a project in the scope ({\"project\": \"KEY\"}).");
            }

            return;
        }

        IssueType type;
        try
        {
            type = await catalog.IssueTypeAsync(entity, project, cancellationToken);
        }
        catch (ConnectorException e) when (e.Kind == FailureKind.NotFound)
        {
            foreach (var (index, write) in batch)
            {
                results[index] = WriteFailures.From(e, write);
            }

            return;
        }

        var prepared = new List<(int Index, RecordWrite Write, Prepared Issue)>();
        foreach (var (index, write) in batch)
        {
            var issue = await PrepareAsync(write, cancellationToken);
            issue.Fields["project"] = new JsonObject { ["key"] = project };
            issue.Fields["issuetype"] = new JsonObject { ["id"] = type.Id };
            StoreCorrelation(write, issue);
            prepared.Add((index, write, issue));
        }

        // Once the workflow is learned (initial status, transitions from it), Jira Cloud takes each issue's first step as part of
        // its create: only the steps after it cost a call. Server/Data Center ignores a transition on create (JRASERVER-66881).
        var key = $"{project}|{type.Name}";
        var steps = new CreateStep?[prepared.Count];
        if (api.Settings.IsCloud && !_noStepOnCreate.ContainsKey(key))
        {
            var planned = new Dictionary<string, CreateStep?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < prepared.Count; i++)
            {
                if (prepared[i].Issue.Status is { } status)
                {
                    steps[i] = planned.TryGetValue(status, out var step) ? step : planned[status] = await walker.PlanCreateStepAsync(project, type.Name, status, cancellationToken);
                }
            }
        }

        var outcomes = new Outcome[prepared.Count];
        var all = Enumerable.Range(0, prepared.Count).ToList();
        await BulkAsync(all, i => prepared[i].Issue.ToJson(steps[i]), outcomes, progress, cancellationToken);

        // An entry Jira refused while it carried a transition is sent again without it: the transition must never cost the issue.
        var again = all.Where(i => steps[i] is not null && outcomes[i].Error is not null).ToList();
        if (again.Count > 0)
        {
            var retried = new Outcome[prepared.Count];
            await BulkAsync(again, i => prepared[i].Issue.ToJson(null), retried, progress, cancellationToken);
            if (again.Any(i => retried[i].Created is not null) && _noStepOnCreate.TryAdd(key, true))
            {
                // Jira refused entries for their transition: this workflow's statuses are set by transition calls from now on.
                logger.LogInformation("Jira refused creates for their workflow transition in {Project}/{IssueType}; statuses are set by transition calls", project, type.Name);
            }

            foreach (var i in again)
            {
                outcomes[i] = retried[i];
                steps[i] = null;
            }
        }

        var moves = new List<(RecordRef Record, string Status, Prepared Issue, RecordWrite Write, CreateStep? Step, bool? StepApplied)>();
        for (var i = 0; i < prepared.Count; i++)
        {
            var (index, write, issue) = prepared[i];
            var outcome = outcomes[i];
            if (outcome.Exception is { } e)
            {
                results[index] = WriteFailures.From(e, write);
            }
            else if (outcome.Error is { } error)
            {
                results[index] = WriteFailures.From((int?)error["status"] ?? 400, JiraErrors.From(error["elementErrors"]), write, "Creating the issue");
            }
            else if (outcome.Created is { } created && (string?)created["id"] is { } id)
            {
                var record = new RecordRef(type.Name, id) { DisplayKey = (string?)created["key"] };
                if (issue.Status is { } status)
                {
                    // The transition's own outcome: applied (2xx), refused (the issue stays in the initial status), or not reported.
                    bool? applied = steps[i] is null ? null : (int?)created["transition"]?["status"] is { } code ? code is >= 200 and < 300 : null;
                    moves.Add((record, status, issue, write, steps[i], applied));
                }

                // The result holds the rejected fields by reference: a status the workflow cannot reach is added by the move.
                results[index] = new WriteResult { Succeeded = true, Created = true, Record = record, RejectedFields = issue.Rejected };
            }
            else
            {
                results[index] = WriteResult.Failure(FailureKind.Internal, "Jira's bulk create answered without this issue.");
            }
        }

        if (moves.Count == 0)
        {
            return;
        }

        Task<string?> Move((RecordRef Record, string Status, Prepared Issue, RecordWrite Write, CreateStep? Step, bool? StepApplied) move, CancellationToken ct) => move switch
        {
            { Step: { } step, StepApplied: true } => walker.ContinueAsync(move.Record.Id, move.Status, step, ct),
            // Not reported: where the issue stands is read first.
            { Step: not null, StepApplied: null } => walker.MoveAsync(move.Record.Id, move.Status, null, ct),
            _ => walker.MoveAsync(move.Record.Id, move.Status, (project, type.Name), ct),
        };

        // Until the workflow is learned, the first move learns it (the status new issues start in, the transitions from there) for
        // the rest, which then take one call per step and run side by side.
        var rest = moves;
        if (!walker.Knows(project, type.Name))
        {
            var first = moves[0];
            await gate.RunAsync(first.Record.Id, () => MoveAsync(ct => Move(first, ct), first.Issue.Rejected, first.Write, cancellationToken), cancellationToken);
            rest = moves[1..];
        }

        await Parallel.ForEachAsync(rest, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            (move, ct) => new ValueTask(gate.RunAsync(move.Record.Id, () => MoveAsync(c => Move(move, c), move.Issue.Rejected, move.Write, ct), ct)));
    }

    /// <summary>
    /// One <c>/issue/bulk</c> call for the prepared issues at <paramref name="positions"/>; each position's outcome is its created
    /// issue, its element error, or the call's failure (which propagates when nothing was written yet: the host retries the batch).
    /// </summary>
    private async Task BulkAsync(List<int> positions, Func<int, JsonObject> entry, Outcome[] outcomes, Progress progress, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["issueUpdates"] = new JsonArray([.. positions.Select(i => (JsonNode)entry(i))]) };
        JiraResponse response;
        try
        {
            response = await api.SendAsync(HttpMethod.Post, $"{api.Root}/issue/bulk", "Creating issues", cancellationToken, body, handled: status => status == 400);
        }
        catch (ConnectorException e) when (progress.CanFailPerRecord(e))
        {
            foreach (var i in positions)
            {
                outcomes[i] = new Outcome(null, null, e);
            }

            return;
        }

        var failed = (response.Body?["errors"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => e["failedElementNumber"] is JsonValue)
            .ToDictionary(e => (int)e["failedElementNumber"]!, e => e);
        using var created = (response.Body?["issues"] as JsonArray ?? []).OfType<JsonObject>().GetEnumerator();
        for (var n = 0; n < positions.Count; n++)
        {
            if (failed.TryGetValue(n, out var error))
            {
                outcomes[positions[n]] = new Outcome(null, error, null);
            }
            else if (created.MoveNext())
            {
                progress.Wrote();
                outcomes[positions[n]] = new Outcome(created.Current, null, null);
            }
        }
    }

    private async Task<WriteResult> UpdateAsync(RecordWrite write, Progress progress, CancellationToken cancellationToken)
    {
        var issue = await PrepareAsync(write, cancellationToken);
        var record = new RecordRef(write.Entity, write.Id!);
        if (issue.Fields.Count > 0)
        {
            var response = await api.SendAsync(HttpMethod.Put, $"{api.Root}/issue/{Uri.EscapeDataString(write.Id!)}", "Editing the issue", cancellationToken,
                new JsonObject { ["fields"] = issue.Fields }, handled: status => status is 400 or 404 or 409);
            if (!response.IsSuccess)
            {
                return WriteFailures.From(response.Status, response.Errors, write, "Editing the issue");
            }

            progress.Wrote();
        }

        if (issue.Status is { } status)
        {
            await MoveAsync(ct => walker.MoveAsync(record.Id, status, null, ct), issue.Rejected, write, cancellationToken);
        }

        return new WriteResult { Succeeded = true, Created = false, Record = record, RejectedFields = issue.Rejected };
    }

    private async Task<bool> MoveAsync(Func<CancellationToken, Task<string?>> move, Dictionary<string, string> rejected, RecordWrite write, CancellationToken cancellationToken)
    {
        string? reason;
        try
        {
            reason = await move(cancellationToken);
        }
        catch (ConnectorException e) when (e.Kind is not (FailureKind.Configuration or FailureKind.NotFound))
        {
            // The issue is written; only its status is not.
            reason = e.Message;
        }

        if (reason is not null)
        {
            rejected["status"] = WriteFailures.Redact(reason, write);
        }

        return reason is null;
    }

    /// <summary>Encodes the fields; what cannot be written is set aside with its reason, the status is kept for the workflow.</summary>
    private async Task<Prepared> PrepareAsync(RecordWrite write, CancellationToken cancellationToken)
    {
        var catalogFields = await catalog.FieldsAsync(cancellationToken);
        var prepared = new Prepared();
        foreach (var (name, value) in write.Fields)
        {
            if (name == "status")
            {
                if (value is ChoiceValue or TextValue)
                {
                    prepared.Status = value is ChoiceValue c ? (c.Key.Length > 0 ? c.Key : c.Label) : ((TextValue)value).Value;
                }
                else
                {
                    prepared.Rejected[name] = "The status must be a choice or a text naming the status.";
                }
            }
            else if (ReadOnly.Contains(name))
            {
                prepared.Rejected[name] = "The field cannot be written.";
            }
            else if (!catalogFields.TryGetValue(name, out var field))
            {
                prepared.Rejected[name] = "Jira has no field with this id.";
            }
            else
            {
                var encoded = await encoder.EncodeAsync(field, value, cancellationToken);
                if (encoded.Rejection is { } reason)
                {
                    prepared.Rejected[name] = reason;
                }
                else
                {
                    prepared.Fields[name] = encoded.Json;
                }
            }
        }

        return prepared;
    }

    /// <summary>The correlation id goes into an issue property (atomic with the create) and, when the location names one, a field.</summary>
    private static void StoreCorrelation(RecordWrite write, Prepared issue)
    {
        if (write.CorrelationId is not { Length: > 0 } correlationId)
        {
            return;
        }

        var location = write.Correlation ?? RecordReader.DefaultCorrelation;
        if (location.Property is { } property)
        {
            issue.Properties.Add(new JsonObject { ["key"] = property, ["value"] = new JsonObject { ["id"] = correlationId } });
        }

        switch (location.Field)
        {
            case null:
                break;
            case "labels" when correlationId.Any(char.IsWhiteSpace):
                issue.Rejected["labels"] = "The correlation id contains spaces, which Jira labels cannot hold.";
                break;
            case "labels":
                var labels = issue.Fields["labels"] as JsonArray ?? [];
                labels.Add(correlationId);
                issue.Fields["labels"] = labels;
                break;
            default:
                issue.Fields[location.Field] = correlationId;
                break;
        }
    }

    /// <summary>A create or edit in the making.</summary>
    private sealed class Prepared
    {
        public JsonObject Fields { get; } = [];

        public JsonArray Properties { get; } = [];

        public Dictionary<string, string> Rejected { get; } = new(StringComparer.Ordinal);

        public string? Status { get; set; }

        /// <summary>The bulk-create entry, with the workflow step the issue takes as part of its create, if any.</summary>
        public JsonObject ToJson(CreateStep? step)
        {
            var o = new JsonObject { ["fields"] = Fields.DeepClone() };
            if (Properties.Count > 0)
            {
                o["properties"] = Properties.DeepClone();
            }

            if (step is not null)
            {
                o["transition"] = new JsonObject { ["id"] = step.Transition.Id };
            }

            return o;
        }
    }

    /// <summary>What Jira answered for one entry of a bulk create: the created issue, its element error, or the call's failure.</summary>
    private readonly record struct Outcome(JsonObject? Created, JsonObject? Error, ConnectorException? Exception);

    /// <summary>Whether one <see cref="WriteAsync"/> call has written anything yet.</summary>
    private sealed class Progress
    {
        private int _written;

        public void Wrote() => Interlocked.Increment(ref _written);

        /// <summary>
        /// A failure becomes that write's result, except an authentication or availability failure before anything was
        /// written: then the whole batch could not be attempted, and the host retries it later.
        /// </summary>
        public bool CanFailPerRecord(ConnectorException e) =>
            Volatile.Read(ref _written) > 0 || e.Kind is not (FailureKind.Configuration or FailureKind.Transient);
    }
}
