using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Salesforce.Endpoints;

/// <summary>sObject Collections, <c>/composite</c> with references and <c>/composite/batch</c> (reference §6).</summary>
internal sealed partial class SfCompositeApi(SfOrg org, SfRestApi rest)
{
    private const int MaxRecords = 200;
    private const string RolledBack = "Record rolled back because not all records were valid and the request was using AllOrNone header";

    // ---- sObject Collections ----

    /// <summary>Resources that do not exist yet in an older API version answer 404, as in Salesforce (collections 42.0, collection upsert 46.0).</summary>
    private static void Since(SfRequest req, int version)
    {
        if (req.VersionNumber < version)
        {
            throw new SfException(404, SfError.NotFound());
        }
    }

    public SfResponse CreateMany(SfRequest req) => Many(Versioned(req, 42), (type, rec, tx) =>
    {
        if (rec.TryGetProperty("id", out _) || rec.TryGetProperty("Id", out _))
        {
            throw SfException.BadRequest("INVALID_FIELD", "Record ID: cannot specify Id in an insert call", "Id");
        }

        var r = org.Create(type, rec, req.UserId, tx, req.AutoAssign);
        return (r.Id, null);
    }, creates: true);

    public SfResponse UpdateMany(SfRequest req) => Many(Versioned(req, 42), (type, rec, tx) =>
    {
        var id = IdOf(rec) ?? throw SfException.BadRequest("MISSING_ARGUMENT", "Id not specified in an update call");
        var r = Find(type, id);
        org.Update(r, rec, req.UserId, tx);
        return (r.Id, null);
    }, creates: false);

    public SfResponse UpsertMany(SfRequest req)
    {
        Since(req, 46);
        var type = rest.Type(req);
        var field = rest.ExternalFieldFor(type, req["field"]);
        return Many(req, (recType, rec, tx) =>
        {
            if (recType != type)
            {
                throw SfException.BadRequest("INVALID_TYPE", $"Record type {recType.Name} does not match {type.Name}");
            }

            var prop = rec.EnumerateObject().FirstOrDefault(p => p.Name.Equals(field.Name, StringComparison.OrdinalIgnoreCase));
            if (prop.Value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                throw SfException.BadRequest("MISSING_ARGUMENT", $"{field.Name} not specified");
            }

            var value = prop.Value.ValueKind == JsonValueKind.String ? prop.Value.GetString()! : prop.Value.GetRawText();
            var body = JsonNode.Parse(rec.GetRawText())!.AsObject();
            body.Remove(prop.Name);
            using var doc = JsonDocument.Parse(SfHttp.Serialize(body));
            var matches = rest.MatchesFor(type, field, value);
            if (matches.Count > 1)
            {
                throw new SfException(300, new SfError("DUPLICATE_EXTERNAL_ID", $"{field.Name}: more than one record found for external id field: {string.Join(", ", matches.Select(m => m.Id))}", [field.Name]));
            }

            var (r, created) = rest.UpsertOne(type, field, value, doc.RootElement, matches, req.UserId, tx);
            return (r!.Id, created);
        }, creates: false);
    }

    public SfResponse DeleteMany(SfRequest req)
    {
        Since(req, 42);
        var ids = req.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length > MaxRecords)
        {
            throw TooMany();
        }

        var allOrNone = string.Equals(req.Query["allOrNone"], "true", StringComparison.OrdinalIgnoreCase);
        return Run(req, allOrNone, ids.Select(id => (Func<SfTx, (string? Id, bool? Created)>)(tx =>
        {
            var r = Find(null, id);
            org.Delete(r, req.UserId, tx);
            return (r.Id, null);
        })).ToList(), ids.Select(id => (string?)(SfId.TryNormalize(id, out var n) ? n : id)).ToList());
    }

    public SfResponse RetrieveMany(SfRequest req)
    {
        Since(req, 42);
        var type = rest.Type(req);
        string[] ids;
        string[] fields;
        if (req.Method == "POST")
        {
            var body = req.Json();
            ids = body.TryGetProperty("ids", out var i) ? i.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToArray() : [];
            fields = body.TryGetProperty("fields", out var f) ? f.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToArray() : [];
        }
        else
        {
            ids = req.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            fields = req.Query["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        if (fields.Length == 0)
        {
            throw SfException.BadRequest("MISSING_ARGUMENT", "fields is required");
        }

        if (ids.Length > 2000)
        {
            throw TooMany();
        }

        var resolved = fields.Select(n => type.Field(n) ?? throw new SfException(400, SfError.InvalidField(n, type.Name))).ToList();
        var result = new JsonArray();
        foreach (var id in ids)
        {
            result.Add(SfId.TryNormalize(id, out var n) && org.Table(type).ById.TryGetValue(n, out var r) && !r.IsDeleted
                ? SfJson.Record(r, resolved, req.Version)
                : null);
        }

        return SfResponse.Of(result);
    }

    private static SfRequest Versioned(SfRequest req, int version)
    {
        Since(req, version);
        return req;
    }

    private SfResponse Many(SfRequest req, Func<SfObject, JsonElement, SfTx, (string? Id, bool? Created)> op, bool creates)
    {
        var body = req.Json();
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
        {
            throw SfException.BadRequest("JSON_PARSER_ERROR", "The request body must be an object with a records array");
        }

        if (records.GetArrayLength() > MaxRecords)
        {
            throw TooMany();
        }

        var allOrNone = body.TryGetProperty("allOrNone", out var a) && a.ValueKind == JsonValueKind.True;
        var items = new List<Func<SfTx, (string? Id, bool? Created)>>();
        var ids = new List<string?>();
        foreach (var rec in records.EnumerateArray())
        {
            if (rec.ValueKind != JsonValueKind.Object || !rec.TryGetProperty("attributes", out var attrs) || !attrs.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
            {
                throw SfException.BadRequest("INVALID_TYPE", "Must send a concrete entity type.");
            }

            var type = org.Object(t.GetString()!) ?? throw SfException.BadRequest("INVALID_TYPE", $"sObject type '{t.GetString()}' is not supported.");
            var record = rec;
            items.Add(tx => op(type, record, tx));
            ids.Add(creates ? null : IdOf(rec));
        }

        return Run(req, allOrNone, items, ids);
    }

    /// <summary>Runs each item; answers 200 with one result per item in order. allOrNone: any failure rolls everything back.</summary>
    private SfResponse Run(SfRequest req, bool allOrNone, List<Func<SfTx, (string? Id, bool? Created)>> items, List<string?> ids)
    {
        var outer = new SfTx();
        var results = new List<(string? Id, bool? Created, SfException? Error)>();
        foreach (var item in items)
        {
            var tx = new SfTx();
            try
            {
                var (id, created) = item(tx);
                outer.Absorb(tx);
                results.Add((id, created, null));
            }
            catch (SfException e)
            {
                tx.Rollback();
                results.Add((null, null, e));
            }
        }

        var failed = results.Any(r => r.Error is not null);
        if (allOrNone && failed)
        {
            outer.Rollback();
        }
        else
        {
            req.Tx?.Absorb(outer);
        }

        var array = new JsonArray();
        for (var i = 0; i < results.Count; i++)
        {
            var (id, created, error) = results[i];
            var o = new JsonObject();
            if (error is not null)
            {
                if (ids[i] is { } known)
                {
                    o["id"] = SfId.TryNormalize(known, out var n) ? n : known;
                }

                o["success"] = false;
                o["errors"] = SfJson.Errors(error.Errors, statusCode: true);
            }
            else if (allOrNone && failed)
            {
                if (ids[i] is { } known)
                {
                    o["id"] = id ?? known;
                }

                o["success"] = false;
                o["errors"] = SfJson.Errors([new SfError("ALL_OR_NONE_OPERATION_ROLLED_BACK", RolledBack, [])], statusCode: true);
            }
            else
            {
                o["id"] = id;
                o["success"] = true;
                o["errors"] = new JsonArray();
                if (created is { } c)
                {
                    o["created"] = c;
                }
            }

            array.Add(o);
        }

        return SfResponse.Of(array);
    }

    private static string? IdOf(JsonElement rec)
    {
        foreach (var p in rec.EnumerateObject())
        {
            if (p.Name.Equals("id", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String)
            {
                return p.Value.GetString();
            }
        }

        return null;
    }

    private SfRecord Find(SfObject? type, string id)
    {
        if (!SfId.TryNormalize(id, out var n))
        {
            throw SfException.BadRequest("MALFORMED_ID", $"malformed id {id}");
        }

        var r = org.Find(n);
        if (r is null || (type is not null && r.Type != type))
        {
            throw SfException.BadRequest("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id");
        }

        return r.IsDeleted ? throw SfException.BadRequest("ENTITY_IS_DELETED", "entity is deleted") : r;
    }

    private static SfException TooMany() => SfException.BadRequest("EXCEEDED_ID_LIMIT", $"record limit reached. cannot submit more than {MaxRecords} records into this call");

    // ---- /composite ----

    public SfResponse Composite(SfRequest req)
    {
        var body = req.Json();
        if (!body.TryGetProperty("compositeRequest", out var subs) || subs.ValueKind != JsonValueKind.Array)
        {
            throw SfException.BadRequest("JSON_PARSER_ERROR", "compositeRequest is required");
        }

        if (subs.GetArrayLength() > 25)
        {
            throw SfException.BadRequest("INVALID_FIELD", "Maximum number of subrequests is 25");
        }

        var allOrNone = body.TryGetProperty("allOrNone", out var a) && a.ValueKind == JsonValueKind.True;
        var tx = new SfTx();
        var results = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var responses = new List<JsonObject>();
        var halted = false;
        var failedIndex = -1;
        foreach (var sub in subs.EnumerateArray())
        {
            var referenceId = sub.TryGetProperty("referenceId", out var r) ? r.GetString() ?? string.Empty : string.Empty;
            if (halted)
            {
                responses.Add(Halted(referenceId));
                continue;
            }

            SfResponse res;
            try
            {
                var method = sub.GetProperty("method").GetString()!.ToUpperInvariant();
                var url = Substitute(sub.GetProperty("url").GetString()!, results, url: true);
                JsonNode? subBody = null;
                if (sub.TryGetProperty("body", out var b))
                {
                    subBody = JsonNode.Parse(Substitute(b.GetRawText(), results, url: false));
                }

                res = Dispatch(req, method, url, subBody, allOrNone ? tx : null);
            }
            catch (SfException e)
            {
                res = SfResponse.Fail(e);
            }

            var ok = res.Status < 400;
            if (ok)
            {
                results[referenceId] = res.Json;
            }
            else if (allOrNone)
            {
                halted = true;
                failedIndex = responses.Count;
            }

            var headers = new JsonObject();
            foreach (var (k, v) in res.Headers)
            {
                headers[k] = v;
            }

            responses.Add(new JsonObject { ["body"] = res.Json?.DeepClone(), ["httpHeaders"] = headers, ["httpStatusCode"] = res.Status, ["referenceId"] = referenceId });
        }

        if (halted)
        {
            tx.Rollback();
            for (var i = 0; i < failedIndex; i++)
            {
                responses[i] = Halted(responses[i]["referenceId"]!.GetValue<string>());
            }
        }
        else
        {
            req.Tx?.Absorb(tx);
        }

        return SfResponse.Of(new JsonObject { ["compositeResponse"] = new JsonArray(responses.Cast<JsonNode?>().ToArray()) });
    }

    private static JsonObject Halted(string referenceId) => new()
    {
        ["body"] = SfJson.Errors([new SfError("PROCESSING_HALTED", "The transaction was rolled back since another operation in the same transaction failed.")]),
        ["httpHeaders"] = new JsonObject(),
        ["httpStatusCode"] = 400,
        ["referenceId"] = referenceId,
    };

    /// <summary>Replaces <c>@{ref.path}</c> (e.g. <c>@{newCase.id}</c>, <c>@{q.records[0].Id}</c>) with earlier results.</summary>
    private static string Substitute(string text, Dictionary<string, JsonNode?> results, bool url) =>
        Reference().Replace(text, m =>
        {
            var expr = m.Groups[1].Value;
            var dot = expr.IndexOfAny(['.', '[']);
            var refId = dot < 0 ? expr : expr[..dot];
            if (!results.TryGetValue(refId, out var node))
            {
                throw SfException.BadRequest("PROCESSING_HALTED", $"Invalid reference specified. No value for {expr} found in {refId}. Provided referenceId ('{refId}') must be a previous subrequest's referenceId.");
            }

            foreach (Match step in PathStep().Matches(dot < 0 ? string.Empty : expr[dot..]))
            {
                node = step.Groups[1].Success ? node?[step.Groups[1].Value] : node?[int.Parse(step.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)];
            }

            if (node is null)
            {
                throw SfException.BadRequest("PROCESSING_HALTED", $"Invalid reference specified. No value for {expr} found in {refId}.");
            }

            var value = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
            return url ? Uri.EscapeDataString(value) : JsonEncodedText.Encode(value).ToString();
        });

    [GeneratedRegex(@"@\{([^}]+)\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"\.([A-Za-z0-9_]+)|\[(\d+)\]")]
    private static partial Regex PathStep();

    [GeneratedRegex(@"^/?(?:services/data/)?v(\d+\.\d)(/.*)?$")]
    private static partial Regex DataUrl();

    /// <summary>Runs a subrequest through the same handlers as a top-level call (same user, no extra API usage).</summary>
    public SfResponse Dispatch(SfRequest parent, string method, string url, JsonNode? body, SfTx? tx)
    {
        var q = url.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? url : url[..q];
        var query = q < 0 ? new QueryCollection() : new QueryCollection(QueryHelpers.ParseQuery(url[q..]));
        var m = DataUrl().Match(path);
        if (!m.Success || SfVersions.Check(m.Groups[1].Value) != 200)
        {
            throw new SfException(404, SfError.NotFound());
        }

        var relative = m.Groups[2].Success ? m.Groups[2].Value : "/";
        foreach (var route in rest.Routes)
        {
            if (route.TryMatch(method, relative, out var values))
            {
                var sub = new SfRequest
                {
                    Method = method,
                    Version = m.Groups[1].Value,
                    Route = values,
                    Query = query,
                    Header = parent.Header,
                    Body = body is null ? ReadOnlyMemory<byte>.Empty : SfHttp.Serialize(body),
                    ContentType = "application/json",
                    UserId = parent.UserId,
                    BaseUrl = parent.BaseUrl,
                    Tx = tx,
                };
                return route.Handler(sub);
            }
        }

        throw new SfException(404, SfError.NotFound());
    }

    // ---- /composite/batch ----

    public SfResponse Batch(SfRequest req)
    {
        var body = req.Json();
        if (!body.TryGetProperty("batchRequests", out var subs) || subs.ValueKind != JsonValueKind.Array)
        {
            throw SfException.BadRequest("JSON_PARSER_ERROR", "batchRequests is required");
        }

        if (subs.GetArrayLength() > 25)
        {
            throw SfException.BadRequest("INVALID_FIELD", "Maximum number of subrequests is 25");
        }

        var haltOnError = body.TryGetProperty("haltOnError", out var h) && h.ValueKind == JsonValueKind.True;
        var results = new JsonArray();
        var hasErrors = false;
        foreach (var sub in subs.EnumerateArray())
        {
            if (hasErrors && haltOnError)
            {
                results.Add(new JsonObject { ["statusCode"] = 412, ["result"] = SfJson.Errors([new SfError("BATCH_PROCESSING_HALTED", "Batch processing halted per request")]) });
                continue;
            }

            SfResponse res;
            try
            {
                var url = sub.GetProperty("url").GetString()!;
                var input = sub.TryGetProperty("richInput", out var ri) ? JsonNode.Parse(ri.GetRawText()) : null;
                res = Dispatch(req, sub.GetProperty("method").GetString()!.ToUpperInvariant(), url, input, null);
            }
            catch (SfException e)
            {
                res = SfResponse.Fail(e);
            }

            hasErrors |= res.Status >= 400;
            results.Add(new JsonObject { ["statusCode"] = res.Status, ["result"] = res.Json?.DeepClone() });
        }

        return SfResponse.Of(new JsonObject { ["hasErrors"] = hasErrors, ["results"] = results });
    }
}
