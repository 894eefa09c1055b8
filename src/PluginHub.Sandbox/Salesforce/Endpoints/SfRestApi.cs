using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Sandbox.Salesforce.Data;
using PluginHub.Sandbox.Salesforce.Soql;

namespace PluginHub.Sandbox.Salesforce.Endpoints;

/// <summary>A data route relative to <c>/services/data/v{version}</c>.</summary>
internal sealed record SfRoute(string Method, string Template, Func<SfRequest, SfResponse> Handler)
{
    public string[] Segments { get; } = Template.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Matches a path (relative to the version root) for composite subrequests, filling the route values.</summary>
    public bool TryMatch(string method, string path, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!method.Equals(Method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != Segments.Length)
        {
            return false;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var seg = Segments[i];
            if (seg.StartsWith('{'))
            {
                values[seg.Trim('{', '}')] = Uri.UnescapeDataString(parts[i]);
            }
            else if (!seg.Equals(parts[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The REST resources under <c>/services/data/v{version}</c>: sObjects, describe, query, replication, limits (reference §2-§5).</summary>
internal sealed class SfRestApi
{
    private readonly SfOrg _org;
    private readonly SfQueryService _query;

    public SfRestApi(SfOrg org, SfQueryService query)
    {
        _org = org;
        _query = query;
        var composite = new SfCompositeApi(org, this);
        Routes =
        [
            new("GET", "/", Resources),
            new("GET", "/limits", Limits),
            new("GET", "/sobjects", req => SfResponse.Of(SfDescribe.Global(_org, req.Version))),
            new("GET", "/sobjects/{type}", BasicInfo),
            new("POST", "/sobjects/{type}", Create),
            new("GET", "/sobjects/{type}/describe", req => SfResponse.Of(SfDescribe.Full(_org, Type(req), req.Version))),
            new("GET", "/sobjects/{type}/updated", Updated),
            new("GET", "/sobjects/{type}/deleted", Deleted),
            new("GET", "/sobjects/{type}/{id}", Retrieve),
            new("PATCH", "/sobjects/{type}/{id}", Update),
            new("DELETE", "/sobjects/{type}/{id}", Delete),
            new("POST", "/sobjects/{type}/{id}", CreateById),
            new("GET", "/sobjects/{type}/{field}/{value}", GetByField),
            new("PATCH", "/sobjects/{type}/{field}/{value}", Upsert),
            new("DELETE", "/sobjects/{type}/{field}/{value}", DeleteByExternalId),
            new("GET", "/query", req => Query(req, false)),
            new("GET", "/queryAll", req => Query(req, true)),
            new("GET", "/query/{locator}", req => SfResponse.Of(_query.More(req["locator"], req.UserId, req.Version))),
            new("GET", "/queryAll/{locator}", req => SfResponse.Of(_query.More(req["locator"], req.UserId, req.Version))),
            new("GET", "/search", req => SfResponse.Of(SoslSearch.Run(_query.Engine, _org, req.Query["q"].ToString(), req.Version))),
            new("POST", "/composite", composite.Composite),
            new("POST", "/composite/batch", composite.Batch),
            new("POST", "/composite/sobjects", composite.CreateMany),
            new("PATCH", "/composite/sobjects", composite.UpdateMany),
            new("DELETE", "/composite/sobjects", composite.DeleteMany),
            new("GET", "/composite/sobjects/{type}", composite.RetrieveMany),
            new("POST", "/composite/sobjects/{type}", composite.RetrieveMany),
            new("PATCH", "/composite/sobjects/{type}/{field}", composite.UpsertMany),
        ];
    }

    public IReadOnlyList<SfRoute> Routes { get; }

    public SfObject Type(SfRequest req) => _org.Object(req["type"]) ?? throw new SfException(404, SfError.NotFound());

    private SfResponse Resources(SfRequest req)
    {
        var o = new JsonObject();
        foreach (var name in new[] { "tooling", "metadata", "eclair", "folders", "prechatForms", "chatter", "tabs", "appMenu", "quickActions", "queryAll", "commerce", "wave", "iot", "analytics", "search", "composite", "parameterizedSearch", "theme", "nouns", "event", "serviceTemplates", "recent", "connect", "licensing", "limits", "process", "async-queries", "query", "emailConnect", "compactLayouts", "knowledgeManagement", "sobjects", "actions", "support" })
        {
            o[name] = $"{req.DataPath}/{name}";
        }

        o["identity"] = $"{req.BaseUrl}/id/{_org.OrgId}/{req.UserId}";
        return SfResponse.Of(o);
    }

    private SfResponse Limits(SfRequest req)
    {
        static JsonObject Entry(long max, long remaining) => new() { ["Max"] = max, ["Remaining"] = remaining };
        var o = new JsonObject
        {
            ["ActiveScratchOrgs"] = Entry(3, 3),
            ["AnalyticsExternalDataSizeMB"] = Entry(40960, 40960),
            ["ConcurrentAsyncGetReportInstances"] = Entry(200, 200),
            ["ConcurrentSyncReportRuns"] = Entry(20, 20),
            ["DailyApiRequests"] = Entry(_org.ApiLimit, Math.Max(0, _org.ApiLimit - _org.ApiUsage)),
            ["DailyAsyncApexExecutions"] = Entry(250000, 250000),
            ["DailyBulkApiBatches"] = Entry(15000, 15000),
            ["DailyBulkV2QueryFileStorageMB"] = Entry(976562, 976562),
            ["DailyBulkV2QueryJobs"] = Entry(10000, 10000),
            ["DailyDurableStreamingApiEvents"] = Entry(10000, 10000),
            ["DailyStandardVolumePlatformEvents"] = Entry(10000, 10000),
            ["DailyWorkflowEmails"] = Entry(2000, 2000),
            ["DataStorageMB"] = Entry(1024, 1024),
            ["FileStorageMB"] = Entry(2048, 2048),
            ["HourlyODataCallout"] = Entry(10000, 10000),
            ["HourlyTimeBasedWorkflow"] = Entry(1000, 1000),
            ["MassEmail"] = Entry(10, 10),
            ["SingleEmail"] = Entry(15, 15),
            ["StreamingApiConcurrentClients"] = Entry(2000, 2000),
        };
        return SfResponse.Of(o);
    }

    private SfResponse BasicInfo(SfRequest req)
    {
        var type = Type(req);
        var recent = _org.Table(type).ByModstamp.Reverse().Take(3).Select(k => _org.Table(type).ById[k.Id]).Where(r => !r.IsDeleted)
            .Select(r => (JsonNode?)SfJson.Record(r, type.Fields.Where(f => f.Name == "Id" || f.NameField), req.Version)).ToArray();
        return SfResponse.Of(new JsonObject { ["objectDescribe"] = SfDescribe.Entry(type, req.Version), ["recentItems"] = new JsonArray(recent) });
    }

    private SfResponse Create(SfRequest req)
    {
        var type = Type(req);
        var body = WithBlobParts(req, type);
        var r = _org.Create(type, body, req.UserId, req.Tx, req.AutoAssign);
        var res = SfResponse.Saved(r.Id);
        res.Headers["Location"] = SfJson.RecordUrl(req.Version, type.Name, r.Id);
        return res;
    }

    /// <summary>Multipart create: the JSON part (any name) holds the fields, a binary part named after the blob field holds the bytes.</summary>
    private static JsonElement WithBlobParts(SfRequest req, SfObject type)
    {
        var body = req.Json();
        if (req.Parts.Count == 0)
        {
            return body;
        }

        var node = JsonNode.Parse(body.GetRawText())!.AsObject();
        foreach (var part in req.Parts)
        {
            if (type.Field(part.Name) is { Type: SfType.Base64 } blob)
            {
                node[blob.Name] = Convert.ToBase64String(part.Data);
            }
        }

        return JsonDocument.Parse(SfHttp.Serialize(node)).RootElement.Clone();
    }

    private SfResponse CreateById(SfRequest req) =>
        req["id"].Equals("Id", StringComparison.OrdinalIgnoreCase)
            ? Create(req)
            : throw new SfException(405, new SfError("METHOD_NOT_ALLOWED", "HTTP Method 'POST' not allowed. Allowed are HEAD,GET,PATCH,DELETE"));

    /// <summary>The record of a URL id; a value that is not an id is read as an external id (404 as Salesforce answers).</summary>
    private SfRecord Row(SfObject type, string value, bool allowDeleted = false)
    {
        if (!SfId.TryNormalize(value, out var id))
        {
            throw new SfException(404, new SfError("NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {value}"));
        }

        if (!_org.Table(type).ById.TryGetValue(id, out var r))
        {
            throw new SfException(404, SfError.NotFound());
        }

        if (r.IsDeleted && !allowDeleted)
        {
            throw new SfException(404, SfError.EntityIsDeleted());
        }

        return r;
    }

    private SfResponse Retrieve(SfRequest req)
    {
        var type = Type(req);
        var r = Row(type, req["id"]);
        return RecordResponse(req, type, r);
    }

    private static SfResponse RecordResponse(SfRequest req, SfObject type, SfRecord r)
    {
        if (req.Header("If-Modified-Since") is { } since && DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s)
            && r.SystemModstamp <= s.UtcDateTime)
        {
            return new SfResponse { Status = 304 };
        }

        return SfResponse.Of(SfJson.Record(r, Fields(req, type), req.Version));
    }

    /// <summary>The <c>fields=</c> list (Id always included), or every field.</summary>
    private static List<SfField> Fields(SfRequest req, SfObject type)
    {
        var list = req.Query["fields"].ToString();
        if (string.IsNullOrWhiteSpace(list))
        {
            return [.. type.Fields];
        }

        var fields = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => type.Field(n) ?? throw SfException.BadRequest("INVALID_FIELD",
                $"No such column '{n}' on entity '{type.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."))
            .Distinct().ToList();
        if (!fields.Any(f => f.Name == "Id"))
        {
            fields.Add(type["Id"]);
        }

        return fields;
    }

    private SfResponse Update(SfRequest req)
    {
        var type = Type(req);
        var r = Row(type, req["id"], allowDeleted: true);
        if (req.Header("If-Unmodified-Since") is { } since && DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s)
            && r.SystemModstamp > s.UtcDateTime)
        {
            throw new SfException(412, new SfError("PRECONDITION_FAILED", "The requested resource has been modified since the time specified in If-Unmodified-Since header"));
        }

        _org.Update(r, req.Json(), req.UserId, req.Tx);
        return SfResponse.NoContent();
    }

    private SfResponse Delete(SfRequest req)
    {
        var type = Type(req);
        var r = Row(type, req["id"], allowDeleted: true);
        _org.Delete(r, req.UserId, req.Tx);
        return SfResponse.NoContent();
    }

    private SfField ExternalField(SfObject type, string name) =>
        type.Field(name) is { } f && (f.ExternalId || f.Name == "Id")
            ? f
            : throw new SfException(404, new SfError("NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {name}"));

    private IReadOnlyList<SfRecord> Matches(SfObject type, SfField field, string value)
    {
        if (field.Name == "Id")
        {
            return SfId.TryNormalize(value, out var id) && _org.Table(type).ById.TryGetValue(id, out var r) && !r.IsDeleted ? [r] : [];
        }

        var key = _org.ConvertText(field, value);
        return key is null ? [] : _org.Table(type).FindByKey(field, key);
    }

    private static SfResponse MultipleChoices(SfRequest req, SfObject type, IReadOnlyList<SfRecord> matches) =>
        SfResponse.Of(new JsonArray(matches.Select(m => (JsonNode?)SfJson.RecordUrl(req.Version, type.Name, m.Id)).ToArray()), 300);

    private SfResponse GetByField(SfRequest req)
    {
        var type = Type(req);
        if (SfId.TryNormalize(req["field"], out _) && type.Field(req["value"]) is { Type: SfType.Base64 } blob)
        {
            var r = Row(type, req["field"]);
            var bytes = r[blob] as byte[] ?? throw new SfException(404, SfError.NotFound());
            return new SfResponse { Raw = bytes, RawType = "application/octetstream" };
        }

        var field = ExternalField(type, req["field"]);
        var matches = Matches(type, field, req["value"]);
        return matches.Count switch
        {
            0 => throw new SfException(404, SfError.NotFound()),
            1 => RecordResponse(req, type, matches[0]),
            _ => MultipleChoices(req, type, matches),
        };
    }

    private SfResponse Upsert(SfRequest req)
    {
        var type = Type(req);
        var field = ExternalField(type, req["field"]);
        var value = req["value"];
        var body = req.Json();
        if (body.ValueKind == JsonValueKind.Object && body.EnumerateObject().Any(p => p.Name.Equals(field.Name, StringComparison.OrdinalIgnoreCase) || p.Name.Equals("Id", StringComparison.OrdinalIgnoreCase)))
        {
            throw SfException.BadRequest("INVALID_FIELD", $"The external ID field {field.Name} and Id cannot be set in the body of an upsert by {field.Name}", field.Name);
        }

        var matches = Matches(type, field, value);
        if (matches.Count > 1)
        {
            return MultipleChoices(req, type, matches);
        }

        var (record, created) = UpsertOne(type, field, value, body, matches, req.UserId, req.Tx, req.Query["updateOnly"] == "true");
        if (!created && req.VersionNumber < 46)
        {
            return SfResponse.NoContent(); // API <= 45.0 answered an update by external id with 204
        }

        return SfResponse.Saved(record!.Id, created, created ? 201 : 200);
    }

    /// <summary>Creates (no match) or updates (one match) by external id; several matches return no record (300).</summary>
    public (SfRecord? Record, bool Created) UpsertOne(SfObject type, SfField field, string value, JsonElement body, IReadOnlyList<SfRecord> matches, string userId, SfTx? tx, bool updateOnly = false)
    {
        switch (matches.Count)
        {
            case 0:
                if (updateOnly || field.Name == "Id")
                {
                    throw new SfException(404, SfError.NotFound());
                }

                var values = _org.ReadBody(type, body, creating: true);
                values[field] = _org.ConvertText(field, value);
                if (!type.Createable)
                {
                    throw SfException.BadRequest("INVALID_TYPE_FOR_OPERATION", $"entity type cannot be inserted: {type.Label}");
                }

                return (_org.Insert(type, values, userId, tx), true);
            case 1:
                _org.Update(matches[0], body, userId, tx);
                return (matches[0], false);
            default:
                return (null, false);
        }
    }

    public IReadOnlyList<SfRecord> MatchesFor(SfObject type, SfField field, string value) => Matches(type, field, value);

    public SfField ExternalFieldFor(SfObject type, string name) => ExternalField(type, name);

    private SfResponse DeleteByExternalId(SfRequest req)
    {
        var type = Type(req);
        var field = ExternalField(type, req["field"]);
        var matches = Matches(type, field, req["value"]);
        switch (matches.Count)
        {
            case 0:
                throw new SfException(404, SfError.NotFound());
            case 1:
                _org.Delete(matches[0], req.UserId, req.Tx);
                return SfResponse.NoContent();
            default:
                return MultipleChoices(req, type, matches);
        }
    }

    private SfResponse Query(SfRequest req, bool all)
    {
        var q = req.Query["q"].ToString();
        if (string.IsNullOrWhiteSpace(q))
        {
            throw SfException.BadRequest("MALFORMED_QUERY", "A query string has to be specified");
        }

        var batch = SfQueryService.DefaultBatch;
        if (req.Header("Sforce-Query-Options") is { } options)
        {
            foreach (var part in options.Split(',', ';'))
            {
                var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
                if (kv.Length == 2 && kv[0].Equals("batchSize", StringComparison.OrdinalIgnoreCase) && int.TryParse(kv[1], out var n))
                {
                    batch = n;
                }
            }
        }

        return SfResponse.Of(_query.Run(q, all, batch, req.UserId, req.Version));
    }

    // ---- replication (§5.7) ----

    private (DateTime Start, DateTime End) Window(SfRequest req, int days)
    {
        var startText = req.Query["start"].ToString();
        var endText = req.Query["end"].ToString();
        if (startText.Length == 0 || endText.Length == 0)
        {
            throw SfException.BadRequest("MISSING_ARGUMENT", "start and end are required");
        }

        if (!SfTime.TryParseDateTime(startText, out var start) || !SfTime.TryParseDateTime(endText, out var end))
        {
            throw SfException.BadRequest("INVALID_REPLICATION_DATE", "start and end must be ISO-8601 date-times");
        }

        start = Minute(start);
        end = Minute(end);
        if (start >= end)
        {
            throw SfException.BadRequest("INVALID_REPLICATION_DATE", "startDate must chronologically precede endDate by more than one minute");
        }

        var now = _org.Now();
        if (start < Minute(now).AddDays(-days))
        {
            throw SfException.BadRequest("INVALID_REPLICATION_DATE", $"startDate cannot be more than {days} days ago");
        }

        var covered = end < Minute(now) ? end : Minute(now);
        return (start, covered);
    }

    private static DateTime Minute(DateTime t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);

    private SfResponse Updated(SfRequest req)
    {
        var type = Type(req);
        var (start, covered) = Window(req, 30);
        var ids = new JsonArray();
        foreach (var (stamp, id) in _org.Table(type).ByModstamp.GetViewBetween((start.Ticks, string.Empty), (long.MaxValue, "\uffff")))
        {
            if (stamp >= covered.Ticks)
            {
                break;
            }

            if (!_org.Table(type).ById[id].IsDeleted)
            {
                ids.Add(id);
            }
        }

        return SfResponse.Of(new JsonObject { ["ids"] = ids, ["latestDateCovered"] = SfTime.Format(covered) });
    }

    private SfResponse Deleted(SfRequest req)
    {
        var type = Type(req);
        var (start, covered) = Window(req, 15);
        var deleted = new JsonArray();
        foreach (var r in _org.Table(type).ById.Values.Where(r => r.DeletedDate is { } d && d >= start && d < covered).OrderBy(r => r.DeletedDate))
        {
            deleted.Add(new JsonObject { ["id"] = r.Id, ["deletedDate"] = SfTime.Format(r.DeletedDate!.Value) });
        }

        var earliest = Minute(_org.CreatedAt) > Minute(_org.Now()).AddDays(-15) ? Minute(_org.CreatedAt) : Minute(_org.Now()).AddDays(-15);
        return SfResponse.Of(new JsonObject
        {
            ["deletedRecords"] = deleted,
            ["earliestDateAvailable"] = SfTime.Format(earliest),
            ["latestDateCovered"] = SfTime.Format(covered),
        });
    }
}
