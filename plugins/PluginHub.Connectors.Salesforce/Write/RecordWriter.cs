using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Api;
using PluginHub.Connectors.Salesforce.Describe;
using PluginHub.Connectors.Salesforce.Read;
using PluginHub.Connectors.Salesforce.Users;

namespace PluginHub.Connectors.Salesforce.Write;

/// <summary>
/// Creates, updates and upserts through sObject Collections (200 records per call, <c>allOrNone: false</c>), one result per write
/// in order. Values are checked against the describe first, so a bad value costs its field (in <see cref="WriteResult.RejectedFields"/>),
/// not the record or the batch. A create with a correlation id is an upsert on the correlation field: repeating it is harmless.
/// Only a failure before anything was written (authentication, the API limit) throws; once a call has been written, a later
/// failure is reported per record so that the host retries only what was not written.
/// </summary>
internal sealed class RecordWriter(SalesforceApi api, SchemaCache schemas, UserDirectory users)
{
    public const int MaxBatch = 200;
    private const int LockRetries = 2;

    private enum Kind
    {
        Create,
        Update,
        Upsert,
    }

    public async Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken)
    {
        var results = new WriteResult?[writes.Count];
        var objects = new Dictionary<string, SfObject?>(StringComparer.OrdinalIgnoreCase);
        foreach (var entity in writes.Select(w => w.Entity).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                objects[entity] = await schemas.ObjectAsync(entity, cancellationToken);
            }
            catch (ConnectorException e) when (e.Kind == FailureKind.NotFound)
            {
                objects[entity] = null;
            }
        }

        var emails = writes.SelectMany(w => objects[w.Entity] is { } o
            ? w.Fields.Where(f => o.Field(f.Key)?.IsUserReference == true).SelectMany(f => ValueConverter.EmailsToResolve(f.Value))
            : []);
        var userIds = await users.IdsByEmailAsync(emails, cancellationToken);

        var pending = new List<Prepared>();
        for (var i = 0; i < writes.Count; i++)
        {
            var prepared = Prepare(i, writes[i], objects[writes[i].Entity], userIds, out var failure);
            if (prepared is null)
            {
                results[i] = failure;
            }
            else
            {
                pending.Add(prepared);
            }
        }

        var sent = false;
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            var locked = new List<Prepared>();
            foreach (var group in pending.GroupBy(p => (p.Kind, p.Entity, p.KeyField, p.SetsOwner)))
            {
                foreach (var chunk in group.Chunk(MaxBatch))
                {
                    try
                    {
                        await SendAsync(chunk, results, attempt < LockRetries ? locked : null, cancellationToken);
                        sent = true;
                    }
                    catch (ConnectorException e) when (sent)
                    {
                        // Earlier calls were written: report them, and fail the rest per record so the host retries only those.
                        for (var i = 0; i < results.Length; i++)
                        {
                            results[i] ??= new WriteResult { Succeeded = false, Error = new WriteError(e.Kind, e.Message) { RemoteCode = e.RemoteCode } };
                        }

                        return results!;
                    }
                }
            }

            if (locked.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300 * (attempt + 1)), api.Time, cancellationToken);
            }

            pending = locked;
        }

        return results!;
    }

    private static Prepared? Prepare(int index, RecordWrite write, SfObject? obj, IReadOnlyDictionary<string, string> userIds, out WriteResult? failure)
    {
        failure = null;
        if (obj is null)
        {
            failure = WriteResult.Failure(FailureKind.NotFound, $"The org has no object named '{write.Entity}'.");
            return null;
        }

        var kind = write.Operation switch
        {
            WriteOperation.Update => Kind.Update,
            WriteOperation.Upsert => Kind.Upsert,
            _ => Kind.Create,
        };
        var body = new JsonObject { ["attributes"] = new JsonObject { ["type"] = obj.Name } };
        var rejected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in write.Fields)
        {
            var f = obj.Field(name);
            var reason = f switch
            {
                null => $"{obj.Name} has no field named {name}.",
                { Name: "Id" } => "The id is not a writable field.",
                _ when kind == Kind.Create && !f.Createable => $"{f.Name} cannot be set when a record is created.",
                _ when kind == Kind.Update && !f.Updateable => $"{f.Name} is read-only.",
                _ when !f.Createable && !f.Updateable => $"{f.Name} is read-only.",
                _ => null,
            };
            if (reason is null)
            {
                var converted = ValueConverter.Convert(f!, value, userIds);
                reason = converted.Rejection;
                if (reason is null)
                {
                    body[f!.Name] = converted.Value;
                }
            }

            if (reason is not null)
            {
                rejected[f?.Name ?? name] = reason;
            }
        }

        string? keyField = null;
        string? id = null;
        switch (write.Operation)
        {
            case WriteOperation.Update:
                if (!Soql.IsId(write.Id))
                {
                    failure = WriteResult.Failure(FailureKind.NotFound, "An update needs the Salesforce id of the record.");
                    return null;
                }

                id = write.Id;
                body["id"] = id;
                break;
            case WriteOperation.Upsert:
                if (string.IsNullOrEmpty(write.ExternalIdField) || string.IsNullOrEmpty(write.ExternalId))
                {
                    failure = WriteResult.Failure(FailureKind.Internal, "An upsert needs an external-id field and a value.");
                    return null;
                }

                keyField = obj.Field(write.ExternalIdField)?.Name;
                if (keyField is null)
                {
                    failure = WriteResult.Failure(FailureKind.Configuration, $"{obj.Name} has no external-id field named {write.ExternalIdField}.");
                    return null;
                }

                body[keyField] = write.ExternalId;
                rejected.Remove(keyField);
                break;
            default:
                if (write.CorrelationId is { Length: > 0 } correlation && write.Correlation?.Field is { } correlationField)
                {
                    keyField = obj.Field(correlationField)?.Name;
                    if (keyField is null)
                    {
                        failure = WriteResult.Failure(FailureKind.Configuration, $"{obj.Name} has no field named {correlationField} to hold the correlation id.");
                        return null;
                    }

                    // Upsert on the correlation field: a create repeated after a crash finds its record instead of duplicating it.
                    kind = Kind.Upsert;
                    body[keyField] = correlation;
                    rejected.Remove(keyField);
                }

                break;
        }

        return new Prepared(index, kind, obj.Name, keyField, id, body, rejected, body.ContainsKey("OwnerId"));
    }

    private async Task SendAsync(Prepared[] chunk, WriteResult?[] results, List<Prepared>? locked, CancellationToken cancellationToken)
    {
        var first = chunk[0];
        var (method, path) = first.Kind switch
        {
            Kind.Create => (HttpMethod.Post, "composite/sobjects"),
            Kind.Update => (HttpMethod.Patch, "composite/sobjects"),
            _ => (HttpMethod.Patch, $"composite/sobjects/{first.Entity}/{first.KeyField}"),
        };
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Sforce-Call-Options"] = "client=PluginHub" };
        if (first.SetsOwner)
        {
            headers["Sforce-Auto-Assign"] = "FALSE"; // the owner we set must not be replaced by assignment rules
        }

        var request = new JsonObject
        {
            ["allOrNone"] = false,
            ["records"] = new JsonArray([.. chunk.Select(p => (JsonNode)p.Body.DeepClone())]),
        };

        JsonElement answer;
        try
        {
            answer = (await api.SendJsonAsync(method, path, request, $"Writing {chunk.Length} {first.Entity} record(s)", cancellationToken, headers)).Body;
        }
        catch (SalesforceException e) when (e.Kind != FailureKind.Transient && e.Status is not (401 or 403))
        {
            // The request itself was refused (an unknown external-id field, say): each of its writes fails with that reason.
            foreach (var p in chunk)
            {
                results[p.Index] = new WriteResult { Succeeded = false, Error = new WriteError(e.Kind, e.Message) { RemoteCode = e.RemoteCode }, RejectedFields = p.Rejected };
            }

            return;
        }

        var items = answer.ValueKind == JsonValueKind.Array ? answer.EnumerateArray().ToList() : [];
        api.Logger.LogDebug(
            "{Operation} of {Count} {Entity} record(s): {Failed} failed",
            first.Kind,
            chunk.Length,
            first.Entity,
            items.Count(i => !i.TryGetProperty("success", out var ok) || ok.ValueKind != JsonValueKind.True));
        for (var i = 0; i < chunk.Length; i++)
        {
            var p = chunk[i];
            if (i >= items.Count)
            {
                results[p.Index] = WriteResult.Failure(FailureKind.Internal, "Salesforce returned no result for this write.");
                continue;
            }

            var item = items[i];
            if (item.TryGetProperty("success", out var ok) && ok.ValueKind == JsonValueKind.True)
            {
                var created = p.Kind == Kind.Create || (item.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.True);
                var id = item.TryGetProperty("id", out var idValue) && idValue.GetString() is { } newId ? newId : p.Id!;
                results[p.Index] = new WriteResult { Succeeded = true, Record = new RecordRef(p.Entity, id), Created = created, RejectedFields = p.Rejected };
                continue;
            }

            var error = item.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                ? WriteErrors.From(errors[0])
                : new WriteError(FailureKind.Internal, "Salesforce refused the write without saying why.");
            if (error.RemoteCode == "UNABLE_TO_LOCK_ROW" && locked is not null)
            {
                locked.Add(p);
                continue;
            }

            results[p.Index] = new WriteResult { Succeeded = false, Error = error, RejectedFields = p.Rejected };
        }
    }

    private sealed record Prepared(int Index, Kind Kind, string Entity, string? KeyField, string? Id, JsonObject Body, Dictionary<string, string> Rejected, bool SetsOwner);
}
