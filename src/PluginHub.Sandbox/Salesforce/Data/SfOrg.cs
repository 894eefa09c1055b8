using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace PluginHub.Sandbox.Salesforce.Data;

/// <summary>A validation rule added through the admin API: a record whose field equals the value (or is empty) is refused.</summary>
internal sealed record SfValidationRule(string ObjectName, string FieldName, string? EqualsValue, bool WhenNull, string Message, string? ErrorField);

/// <summary>Undo log of one all-or-none unit (sObject Collections, composite): rolled back in reverse order on failure.</summary>
internal sealed class SfTx
{
    private readonly List<Action> _undo = [];

    public void OnRollback(Action undo) => _undo.Add(undo);

    /// <summary>Hands a committed inner unit's undo log to this (outer) unit, so an outer rollback also undoes it.</summary>
    public void Absorb(SfTx inner)
    {
        _undo.AddRange(inner._undo);
        inner._undo.Clear();
    }

    public void Rollback()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            _undo[i]();
        }

        _undo.Clear();
    }
}

/// <summary>
/// The in-memory org: schema, tables and the write pipeline (validation, defaults, system fields, derived fields, cascades).
/// Every read and write happens under <see cref="Gate"/>; one lock keeps it simple and fast enough for 100,000 records.
/// </summary>
internal sealed class SfOrg
{
    public const long DefaultApiLimit = 100_000;

    private readonly Dictionary<string, SfObject> _objects = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SfObject> _byPrefix = new(StringComparer.Ordinal);
    private readonly Dictionary<SfObject, SfTable> _tables = [];
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private long _caseNumber;
    private long _apiUsage;
    private int _customObjects;

    public SfOrg(TimeProvider time)
    {
        Time = time;
        Reset(null);
    }

    /// <summary>Raised (under the lock) after a record is created or updated: outbound messages listen to it.</summary>
    public event Action<SfRecord, bool>? Saved;

    public Lock Gate { get; } = new();

    public TimeProvider Time { get; }

    public string OrgId { get; private set; } = string.Empty;

    public string IntegrationUserId { get; private set; } = string.Empty;

    public string AgentUserId { get; private set; } = string.Empty;

    public string QueueId { get; private set; } = string.Empty;

    /// <summary>Off as in real Salesforce: inserting a comment or file does not touch the parent. A switch for experiments.</summary>
    public bool TouchParentOnChildInsert { get; set; }

    /// <summary>
    /// Off by default. On: like an org with a case assignment rule, a new Case goes to the support queue unless the caller sends
    /// <c>Sforce-Auto-Assign: FALSE</c> (REST applies assignment rules by default: reference §7.1).
    /// </summary>
    public bool AutoAssignCasesToQueue { get; set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>Validation rules (<c>FIELD_CUSTOM_VALIDATION_EXCEPTION</c>) injected through the admin API.</summary>
    public List<SfValidationRule> ValidationRules { get; } = [];

    public long ApiUsage => Interlocked.Read(ref _apiUsage);

    /// <summary>The daily allocation (Enterprise base by default); calls beyond it answer 403 REQUEST_LIMIT_EXCEEDED.</summary>
    public long ApiLimit { get; set; } = DefaultApiLimit;

    public IEnumerable<SfObject> Objects => _objects.Values;

    public long CountApiCall() => Interlocked.Increment(ref _apiUsage);

    public DateTime Now() => SfTime.Truncate(Time.GetUtcNow());

    public SfObject? Object(string name) => _objects.GetValueOrDefault(name);

    public SfObject? ObjectByPrefix(string prefix) => _byPrefix.GetValueOrDefault(prefix);

    public SfTable Table(SfObject type) => _tables[type];

    public SfRecord? Find(string id18) =>
        id18.Length >= 3 && _byPrefix.TryGetValue(id18[..3], out var type) && _tables[type].ById.TryGetValue(id18, out var r) ? r : null;

    public string UserName(string userId) => Find(userId)?.Get("Username") as string ?? string.Empty;

    /// <summary>The child relationships of an object: lookups that name one (explicit targets first, then "any record" lookups).</summary>
    public IEnumerable<SfChildRelationship> ChildRelationships(SfObject parent)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var any in new[] { false, true })
        {
            foreach (var child in _objects.Values)
            {
                foreach (var f in child.Fields)
                {
                    if (f.ChildRelationshipName is { } rel && (any ? f.AnyParent : f.ReferenceTo.Contains(parent.Name, StringComparer.OrdinalIgnoreCase)) && seen.Add(rel))
                    {
                        yield return new SfChildRelationship(rel, child, f);
                    }
                }
            }
        }
    }

    public void Reset(int? seed)
    {
        lock (Gate)
        {
            _objects.Clear();
            _byPrefix.Clear();
            _tables.Clear();
            _counters.Clear();
            _caseNumber = 1000;
            _customObjects = 0;
            Interlocked.Exchange(ref _apiUsage, 0);
            ApiLimit = DefaultApiLimit;
            TouchParentOnChildInsert = false;
            AutoAssignCasesToQueue = false;
            ValidationRules.Clear();
            foreach (var o in StandardObjects.Create())
            {
                Register(o);
            }

            CreatedAt = Now();
            var org = Object("Organization")!;
            OrgId = NewId(org);
            IntegrationUserId = SfId.Make("005", 1);
            AgentUserId = SfId.Make("005", 2);
            _counters["005"] = 2;
            InsertSystem(org, OrgId, IntegrationUserId, new() { ["Name"] = "PluginHub Sandbox", ["InstanceName"] = "SBX1", ["IsSandbox"] = true, ["OrganizationType"] = "Developer Edition", ["TimeZoneSidKey"] = "GMT" });
            var user = Object("User")!;
            InsertSystem(user, IntegrationUserId, IntegrationUserId, UserValues("integration@pluginhub.test", "Integration", "User", "integ"));
            InsertSystem(user, AgentUserId, IntegrationUserId, UserValues("agent@pluginhub.test", "Ada", "Agent", "aagent"));
            QueueId = NewId(Object("Group")!);
            InsertSystem(Object("Group")!, QueueId, IntegrationUserId, new() { ["Name"] = "Support Queue", ["DeveloperName"] = "Support_Queue", ["Type"] = "Queue", ["Email"] = "support@pluginhub.test" });
            var statusType = Object("CaseStatus")!;
            for (var i = 0; i < StandardObjects.CaseStatuses.Length; i++)
            {
                var s = StandardObjects.CaseStatuses[i];
                InsertSystem(statusType, NewId(statusType), IntegrationUserId, new() { ["MasterLabel"] = s, ["ApiName"] = s, ["IsClosed"] = s == "Closed", ["IsDefault"] = s == "New", ["SortOrder"] = (decimal)(i + 1) });
            }

            if (seed is { } n)
            {
                SfSeeder.Seed(this, n);
            }
        }
    }

    public static Dictionary<string, object?> UserValues(string username, string first, string last, string alias) => new()
    {
        ["Username"] = username,
        ["Email"] = username,
        ["FirstName"] = first,
        ["LastName"] = last,
        ["Alias"] = alias,
    };

    public string NewId(SfObject type)
    {
        var n = _counters.GetValueOrDefault(type.KeyPrefix) + 1;
        _counters[type.KeyPrefix] = n;
        return SfId.Make(type.KeyPrefix, n);
    }

    // ---- schema administration ----

    public SfObject AddCustomObject(string name, string? label, string? labelPlural)
    {
        if (!name.EndsWith("__c", StringComparison.Ordinal) || Object(name) is not null)
        {
            throw SfException.BadRequest("INVALID_TYPE", $"Custom object names end in __c and must be new: {name}");
        }

        var prefix = "a0" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[_customObjects++ % 26];
        var o = StandardObjects.Obj(name, prefix, audit: true, owner: "User", labelPlural: labelPlural);
        if (label is not null)
        {
            o.Label = label;
        }

        o.FeedEnabled = true;
        StandardObjects.Text(o, "Name", 80).Also(f => { f.NameField = true; f.DefaultedOnCreate = true; f.Label = $"{o.Label} Name"; });
        StandardObjects.Add(o, "LastViewedDate", SfType.DateTime).Also(f => f.Createable = f.Updateable = false);
        StandardObjects.Add(o, "LastReferencedDate", SfType.DateTime).Also(f => f.Createable = f.Updateable = false);
        Register(o);
        return o;
    }

    private void Register(SfObject o)
    {
        _objects[o.Name] = o;
        _byPrefix[o.KeyPrefix] = o;
        _tables[o] = new SfTable(o);
    }

    // ---- writes (the caller holds Gate) ----

    public SfRecord Create(SfObject type, JsonElement body, string userId, SfTx? tx, bool autoAssign = false)
    {
        if (!type.Createable)
        {
            throw SfException.BadRequest("INVALID_TYPE_FOR_OPERATION", $"entity type cannot be inserted: {type.Label}");
        }

        var values = ReadBody(type, body, creating: true);
        if (autoAssign && AutoAssignCasesToQueue && type.Name == "Case")
        {
            values[type["OwnerId"]] = QueueId;
        }

        return Insert(type, values, userId, tx);
    }

    public SfRecord Insert(SfObject type, Dictionary<SfField, object?> values, string userId, SfTx? tx, string? id = null)
    {
        var now = Now();
        var r = new SfRecord(type, id ?? NewId(type));
        foreach (var f in type.Fields)
        {
            if (f.DefaultValue is not null)
            {
                r[f] = f.DefaultValue;
            }
        }

        foreach (var (f, v) in values)
        {
            r[f] = v;
        }

        if (type.Field("OwnerId") is { } owner && r[owner] is null)
        {
            r[owner] = userId;
        }

        r.Set("IsDeleted", false);
        Stamp(r, userId, now, created: true);
        Derive(r, created: true, now);
        Validate(r, values, exclude: null);
        if (type.Name == "Case")
        {
            r.Set("CaseNumber", (++_caseNumber).ToString("D8", CultureInfo.InvariantCulture));
        }

        var table = _tables[type];
        table.Add(r);
        tx?.OnRollback(() => table.Remove(r));
        AfterInsert(r, userId, tx);
        Saved?.Invoke(r, true);
        return r;
    }

    public void Update(SfRecord r, JsonElement body, string userId, SfTx? tx)
    {
        if (r.IsDeleted)
        {
            throw new SfException(404, SfError.EntityIsDeleted());
        }

        if (!r.Type.Updateable)
        {
            throw SfException.BadRequest("INVALID_TYPE_FOR_OPERATION", $"entity type cannot be updated: {r.Type.Label}");
        }

        Apply(r, ReadBody(r.Type, body, creating: false), userId, tx);
    }

    /// <summary>Writes already-converted values, stamps the record and re-derives (also used internally, e.g. by seeding).</summary>
    public void Apply(SfRecord r, Dictionary<SfField, object?> values, string userId, SfTx? tx)
    {
        var now = Now();
        var table = _tables[r.Type];
        var before = (object?[])r.Values.Clone();
        table.Unindex(r);
        foreach (var (f, v) in values)
        {
            r[f] = v;
        }

        Stamp(r, userId, now, created: false);
        Derive(r, created: false, now);
        try
        {
            Validate(r, values, exclude: r);
        }
        catch
        {
            r.Values = before;
            table.Index(r);
            throw;
        }

        table.Index(r);
        tx?.OnRollback(() =>
        {
            table.Unindex(r);
            r.Values = before;
            table.Index(r);
            if (r.Type.Name == "Contact")
            {
                RefreshCaseMirrors(r);
            }
        });
        if (r.Type.Name == "Contact")
        {
            RefreshCaseMirrors(r);
        }

        Saved?.Invoke(r, false);
    }

    public void Delete(SfRecord r, string userId, SfTx? tx)
    {
        if (r.IsDeleted)
        {
            throw new SfException(404, SfError.EntityIsDeleted());
        }

        if (!r.Type.Deletable)
        {
            throw SfException.BadRequest("INVALID_TYPE_FOR_OPERATION", $"entity type cannot be deleted: {r.Type.Label}");
        }

        var now = Now();
        var table = _tables[r.Type];
        var before = (object?[])r.Values.Clone();
        table.Unindex(r);
        r.DeletedDate = now;
        r.Set("IsDeleted", true);
        Stamp(r, userId, now, created: false);
        table.Index(r);
        tx?.OnRollback(() =>
        {
            table.Unindex(r);
            r.Values = before;
            r.DeletedDate = null;
            table.Index(r);
        });

        // Cascade to children the way master-detail style lookups do (comments, attachments, links, versions).
        foreach (var child in _objects.Values)
        {
            foreach (var f in child.Fields)
            {
                if (!f.CascadeDelete || !(f.AnyParent || f.ReferenceTo.Contains(r.Type.Name, StringComparer.OrdinalIgnoreCase)))
                {
                    continue;
                }

                foreach (var c in _tables[child].ById.Values.Where(c => !c.IsDeleted && c[f] as string == r.Id).ToList())
                {
                    Delete(c, userId, tx);
                }
            }
        }
    }

    /// <summary>Converts a JSON body into field values, rejecting unknown and read-only fields as Salesforce does.</summary>
    public Dictionary<SfField, object?> ReadBody(SfObject type, JsonElement body, bool creating)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw SfException.BadRequest("JSON_PARSER_ERROR", $"Cannot deserialize instance of {type.Name} from {body.ValueKind.ToString().ToUpperInvariant()} value");
        }

        var values = new Dictionary<SfField, object?>();
        var readOnly = new List<string>();
        foreach (var p in body.EnumerateObject())
        {
            if (p.Name.Equals("attributes", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var f = type.Field(p.Name) ?? throw new SfException(400, SfError.InvalidField(p.Name, type.Name));
            if (f.Name == "Id")
            {
                if (creating)
                {
                    throw SfException.BadRequest("INVALID_FIELD_FOR_INSERT_UPDATE", "Record ID: cannot specify Id in an insert call", "Id");
                }

                continue;
            }

            if (creating ? !f.Createable : !f.Updateable)
            {
                readOnly.Add(f.Name);
                continue;
            }

            values[f] = Convert(f, p.Value);
        }

        if (readOnly.Count > 0)
        {
            throw new SfException(400, SfError.ReadOnly(readOnly));
        }

        return values;
    }

    public object? Convert(SfField f, JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        if (text is null)
        {
            throw Parser(f, v.ValueKind.ToString().ToUpperInvariant(), v.GetRawText());
        }

        return ConvertText(f, text, v.ValueKind);
    }

    public object? ConvertText(SfField f, string text, JsonValueKind kind = JsonValueKind.String)
    {
        switch (f.Type)
        {
            case SfType.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False || text is "true" or "false" ? text == "true" : throw Parser(f, "VALUE_STRING", text);
            case SfType.Int or SfType.Double or SfType.Currency or SfType.Percent:
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Parser(f, "VALUE_STRING", text);
            case SfType.Date:
                if (SfTime.TryParseDate(text, out var date))
                {
                    return date;
                }

                return SfTime.TryParseDateTime(text, out var dt) ? DateOnly.FromDateTime(dt) : throw Parser(f, "VALUE_STRING", text);
            case SfType.DateTime:
                if (SfTime.TryParseDateTime(text, out var stamp))
                {
                    return stamp;
                }

                return SfTime.TryParseDate(text, out var day) ? day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : throw Parser(f, "VALUE_STRING", text);
            case SfType.Reference or SfType.Id:
                if (text.Length == 0)
                {
                    return null;
                }

                if (!SfId.TryNormalize(text, out var id) || (!f.AnyParent && !f.ReferenceTo.Any(t => Object(t)?.KeyPrefix == id[..3])))
                {
                    throw SfException.BadRequest("MALFORMED_ID", $"{f.Label}: id value of incorrect type: {text}", f.Name);
                }

                return id;
            case SfType.Base64:
                try
                {
                    return System.Convert.FromBase64String(text);
                }
                catch (FormatException)
                {
                    throw Parser(f, "VALUE_STRING", text);
                }

            default:
                if (text.Length == 0)
                {
                    return null; // Salesforce stores empty text as null.
                }

                if (f.Length > 0 && text.Length > f.Length)
                {
                    throw SfException.BadRequest("STRING_TOO_LONG", $"{f.Label}: data value too large: {text} (max length={f.Length})", f.Name);
                }

                if (f.Type == SfType.Picklist)
                {
                    var known = f.Picklist.FirstOrDefault(p => p.Value.Equals(text, StringComparison.OrdinalIgnoreCase));
                    if (known is null && f.RestrictedPicklist)
                    {
                        throw SfException.BadRequest("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"{f.Label}: bad value for restricted picklist field: {text}", f.Name);
                    }

                    return known?.Value ?? text;
                }

                if (f.Type == SfType.Email && !text.Contains('@', StringComparison.Ordinal))
                {
                    throw SfException.BadRequest("INVALID_EMAIL_ADDRESS", $"{f.Label}: invalid email address: {text}", f.Name);
                }

                return text;
        }
    }

    private static SfException Parser(SfField f, string token, string text) =>
        SfException.BadRequest("JSON_PARSER_ERROR", $"Cannot deserialize instance of {SoapName(f.Type)} from {token} value {text} or request may be missing a required field");

    private static string SoapName(SfType t) => t switch
    {
        SfType.Boolean => "boolean",
        SfType.Int => "int",
        SfType.Date => "date",
        SfType.DateTime => "datetime",
        SfType.Base64 => "base64",
        SfType.Reference or SfType.Id => "reference",
        SfType.Double or SfType.Currency or SfType.Percent => "double",
        _ => "string",
    };

    private static void Stamp(SfRecord r, string userId, DateTime now, bool created)
    {
        var t = r.Type;
        object stamp = now; // one box shared by the three audit stamps keeps 100,000 records compact
        if (created && t.Field("CreatedDate") is { } cd)
        {
            r[cd] = stamp;
            r[t["CreatedById"]] = userId;
        }

        if (t.Field("LastModifiedDate") is { } lm)
        {
            r[lm] = stamp;
            r[t["LastModifiedById"]] = userId;
        }

        r[t["SystemModstamp"]] = stamp;
    }

    /// <summary>Derived fields: Case IsClosed/ClosedDate from the CaseStatus table, compound names, file metadata.</summary>
    private void Derive(SfRecord r, bool created, DateTime now)
    {
        switch (r.Type.Name)
        {
            case "Case":
                var status = r.Get("Status") as string;
                var closed = status is not null && _tables[Object("CaseStatus")!].ById.Values.Any(s => s.Get("IsClosed") is true && string.Equals(s.Get("ApiName") as string, status, StringComparison.OrdinalIgnoreCase));
                r.Set("IsClosed", closed);
                r.Set("ClosedDate", closed ? r.Get("ClosedDate") ?? now : null);
                MirrorContact(r, r.Get("ContactId") is string contactId ? Find(contactId) : null);
                break;
            case "Contact" or "User":
                r.Set("Name", $"{r.Get("FirstName")} {r.Get("LastName")}".Trim());
                break;
            case "Attachment":
                r.Set("BodyLength", r.Get("Body") is byte[] body ? (decimal)body.Length : null);
                break;
            case "ContentVersion" when created:
                var path = r.Get("PathOnClient") as string ?? string.Empty;
                var data = r.Get("VersionData") as byte[] ?? [];
                var ext = Path.GetExtension(path).TrimStart('.').ToLowerInvariant();
                r.Set("Title", r.Get("Title") ?? (Path.GetFileNameWithoutExtension(path) is { Length: > 0 } name ? name : null));
                r.Set("FileExtension", ext.Length > 0 ? ext : null);
                r.Set("FileType", FileType(ext));
                r.Set("ContentSize", (decimal)data.Length);
                r.Set("Checksum", System.Convert.ToHexStringLower(MD5.HashData(data)));
                r.Set("ContentModifiedDate", now);
                r.Set("IsLatest", true);
                break;
            default:
                if (r.Type.Custom && r.Type.Field("Name") is { } nameField && r[nameField] is null)
                {
                    r[nameField] = r.Id;
                }

                break;
        }
    }

    /// <summary>Case.ContactEmail/Phone/Mobile/Fax copy the contact's values; a contact change refreshes them without touching the cases' stamps.</summary>
    private static void MirrorContact(SfRecord caseRecord, SfRecord? contact)
    {
        foreach (var (field, _) in StandardObjects.ContactMirrors)
        {
            var source = field == "ContactEmail" ? "Email" : field == "ContactMobile" ? "MobilePhone" : field["Contact".Length..];
            caseRecord.Set(field, contact is { IsDeleted: false } ? contact.Get(source) : null);
        }
    }

    private void RefreshCaseMirrors(SfRecord contact)
    {
        var caseType = Object("Case")!;
        var contactField = caseType["ContactId"];
        foreach (var c in _tables[caseType].ById.Values)
        {
            if (c[contactField] as string == contact.Id)
            {
                MirrorContact(c, contact);
            }
        }
    }

    private static string FileType(string ext) => ext switch
    {
        "txt" => "TEXT",
        "pdf" => "PDF",
        "png" => "PNG",
        "jpg" or "jpeg" => "JPG",
        "gif" => "GIF",
        "csv" => "CSV",
        "doc" => "WORD",
        "docx" => "WORD_X",
        "xls" => "EXCEL",
        "xlsx" => "EXCEL_X",
        "zip" => "ZIP",
        "json" => "JSON",
        "xml" => "XML",
        "html" or "htm" => "HTML",
        _ => "UNKNOWN",
    };

    private void Validate(SfRecord r, Dictionary<SfField, object?> values, SfRecord? exclude)
    {
        var creating = exclude is null;
        var missing = r.Type.Fields.Where(f => !f.Nillable && r[f] is null && !f.IsSystem && !f.AutoNumber && !f.Calculated && (creating ? f.Createable : values.ContainsKey(f))).Select(f => f.Name).ToList();
        if (missing.Count > 0)
        {
            throw new SfException(400, SfError.Required(missing));
        }

        foreach (var rule in ValidationRules)
        {
            if (rule.ObjectName.Equals(r.Type.Name, StringComparison.OrdinalIgnoreCase) && r.Type.Field(rule.FieldName) is { } ruleField)
            {
                var value = r[ruleField];
                if ((rule.WhenNull && value is null) || (rule.EqualsValue is not null && string.Equals(System.Convert.ToString(value, CultureInfo.InvariantCulture), rule.EqualsValue, StringComparison.OrdinalIgnoreCase)))
                {
                    throw SfException.BadRequest("FIELD_CUSTOM_VALIDATION_EXCEPTION", rule.Message, rule.ErrorField is null ? [] : [rule.ErrorField]);
                }
            }
        }

        foreach (var (f, v) in values)
        {
            if (f.Type == SfType.Reference && v is string id && Find(id) is not { IsDeleted: false })
            {
                throw SfException.BadRequest("INVALID_CROSS_REFERENCE_KEY", $"invalid cross reference id", []);
            }

            if (f.Unique && v is not null && _tables[r.Type].FindByKey(f, v).FirstOrDefault(o => o != exclude) is { } other)
            {
                throw SfException.BadRequest("DUPLICATE_VALUE", $"duplicate value found: {f.Name} duplicates value on record with id: {other.Id}", []);
            }
        }
    }

    private void AfterInsert(SfRecord r, string userId, SfTx? tx)
    {
        if (r.Type.Name == "ContentVersion")
        {
            LinkVersion(r, userId, tx);
        }

        // Posting a file to a record's feed shares the file with that record (reference §7.3).
        if (r.Type.Name == "FeedItem" && r.Get("RelatedRecordId") is string versionId && Find(versionId)?.Get("ContentDocumentId") is string docId && r.Get("ParentId") is string parentId)
        {
            var linkType = Object("ContentDocumentLink")!;
            var linked = _tables[linkType].ById.Values.Any(l => !l.IsDeleted && l.Get("ContentDocumentId") as string == docId && l.Get("LinkedEntityId") as string == parentId);
            if (!linked)
            {
                Insert(linkType, new() { [linkType["ContentDocumentId"]] = docId, [linkType["LinkedEntityId"]] = parentId, [linkType["ShareType"]] = "V", [linkType["Visibility"]] = "AllUsers" }, userId, tx);
            }
        }

        if (TouchParentOnChildInsert && (r.Type.Field("ParentId") ?? r.Type.Field("LinkedEntityId")) is { } parentField && r[parentField] is string pid && Find(pid) is { } parent)
        {
            Apply(parent, new(), userId, tx);
        }

    }

    /// <summary>A first version creates its ContentDocument and the links (owner, FirstPublishLocationId); a later one becomes the latest.</summary>
    private void LinkVersion(SfRecord version, string userId, SfTx? tx)
    {
        var docType = Object("ContentDocument")!;
        var docValues = new Dictionary<SfField, object?>
        {
            [docType["Title"]] = version.Get("Title") ?? "Untitled",
            [docType["FileType"]] = version.Get("FileType"),
            [docType["FileExtension"]] = version.Get("FileExtension"),
            [docType["ContentSize"]] = version.Get("ContentSize"),
            [docType["LatestPublishedVersionId"]] = version.Id,
        };
        if (version.Get("ContentDocumentId") is string docId && Find(docId) is { } doc)
        {
            var siblings = _tables[version.Type].ById.Values.Where(v => v.Get("ContentDocumentId") as string == docId && v != version).ToList();
            foreach (var s in siblings.Where(s => s.Get("IsLatest") is true))
            {
                // A system-driven change: SystemModstamp moves, LastModifiedDate does not (reference §7.1).
                var table = _tables[s.Type];
                var before = (object?[])s.Values.Clone();
                table.Unindex(s);
                s.Set("IsLatest", false);
                s.Set("SystemModstamp", Now());
                table.Index(s);
                tx?.OnRollback(() =>
                {
                    table.Unindex(s);
                    s.Values = before;
                    table.Index(s);
                });
            }

            version.Set("VersionNumber", (siblings.Count + 1).ToString(CultureInfo.InvariantCulture));
            Apply(doc, docValues, userId, tx);
            return;
        }

        docValues[docType["OwnerId"]] = version.Get("OwnerId");
        doc = Insert(docType, docValues, userId, tx);
        version.Set("ContentDocumentId", doc.Id);
        version.Set("VersionNumber", "1");
        var linkType = Object("ContentDocumentLink")!;
        Insert(linkType, new() { [linkType["ContentDocumentId"]] = doc.Id, [linkType["LinkedEntityId"]] = version.Get("OwnerId"), [linkType["ShareType"]] = "I", [linkType["Visibility"]] = "AllUsers" }, userId, tx);
        if (version.Get("FirstPublishLocationId") is string location && location != version.Get("OwnerId") as string)
        {
            Insert(linkType, new() { [linkType["ContentDocumentId"]] = doc.Id, [linkType["LinkedEntityId"]] = location, [linkType["ShareType"]] = "V", [linkType["Visibility"]] = "AllUsers" }, userId, tx);
        }
    }

    private void InsertSystem(SfObject type, string id, string userId, Dictionary<string, object?> values) =>
        Insert(type, values.ToDictionary(p => type[p.Key], p => p.Value), userId, null, id);
}
