using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Sandbox.Hosting;
using PluginHub.Sandbox.Salesforce.Auth;
using PluginHub.Sandbox.Salesforce.Data;
using PluginHub.Sandbox.Salesforce.Endpoints;
using PluginHub.Sandbox.Salesforce.Outbound;

namespace PluginHub.Sandbox.Salesforce.Admin;

/// <summary>
/// Salesforce admin routes under <c>/_sandbox/</c> (no credentials, not counted): custom objects and fields, sessions
/// (lifetime, revocation, refresh tokens), seeding, behaviour switches and outbound-message configurations.
/// </summary>
internal static class SfAdminEndpoints
{
    public static void Map(WebApplication app)
    {
        var admin = app.MapGroup(SandboxServer.AdminPrefix);
        admin.MapPost("/objects", (HttpContext ctx) => RunAsync(ctx, (body, org) =>
        {
            var o = org.AddCustomObject(Str(body, "name")!, Str(body, "label"), Str(body, "labelPlural"));
            return (201, SfDescribe.Entry(o, $"{SfVersions.Latest}.0"));
        }));
        admin.MapPost("/objects/{name}/fields", (HttpContext ctx, string name) => RunAsync(ctx, (body, org) =>
        {
            var o = org.Object(name) ?? throw new SfException(404, SfError.NotFound());
            return (201, SfDescribe.Field(AddField(org, o, body)));
        }));
        admin.MapPost("/objects/{name}/fields/{field}/values", (HttpContext ctx, string name, string field) => RunAsync(ctx, (body, org) =>
        {
            var o = org.Object(name) ?? throw new SfException(404, SfError.NotFound());
            var f = o.Field(field) is { Type: SfType.Picklist or SfType.MultiPicklist } p ? p : throw SfException.BadRequest("INVALID_FIELD", $"{field} is not a picklist of {o.Name}");
            var value = Str(body, "value") ?? throw SfException.BadRequest("MISSING_ARGUMENT", "value is required");
            if (!f.Picklist.Any(v => v.Value.Equals(value, StringComparison.OrdinalIgnoreCase)))
            {
                f.Picklist.Add(new PicklistValue(value));
            }

            // A new Case status is also a CaseStatus row, which decides IsClosed.
            if (o.Name == "Case" && f.Name == "Status")
            {
                var statusType = org.Object("CaseStatus")!;
                org.Insert(statusType, new() { [statusType["MasterLabel"]] = value, [statusType["ApiName"]] = value, [statusType["IsClosed"]] = Bool(body, "isClosed"), [statusType["IsDefault"]] = false, [statusType["SortOrder"]] = (decimal)f.Picklist.Count }, org.IntegrationUserId, null);
            }

            return (201, SfDescribe.Field(f));
        }));
        admin.MapPost("/users", (HttpContext ctx, SfSessions sessions) => RunAsync(ctx, (body, org) =>
        {
            var username = Str(body, "username") ?? throw SfException.BadRequest("MISSING_ARGUMENT", "username is required");
            var type = org.Object("User")!;
            var values = SfOrg.UserValues(username, Str(body, "firstName") ?? "Sandbox", Str(body, "lastName") ?? "User", (Str(body, "alias") ?? username.Split('@')[0])[..Math.Min(8, username.Split('@')[0].Length)]);
            values["Email"] = Str(body, "email") ?? username;
            if (body.TryGetProperty("isActive", out var active))
            {
                values["IsActive"] = active.GetBoolean();
            }

            var user = org.Insert(type, values.ToDictionary(p => type[p.Key], p => p.Value), org.IntegrationUserId, null);
            if (Str(body, "password") is { } password)
            {
                sessions.SetCredential(username, password, Str(body, "securityToken") ?? string.Empty);
            }

            return (201, new JsonObject { ["id"] = user.Id, ["username"] = username });
        }));
        admin.MapPost("/sessions", (HttpContext ctx, SfSessions sessions) => RunAsync(ctx, (body, _) =>
        {
            sessions.Lifetime = TimeSpan.FromSeconds(body.GetProperty("lifetimeSeconds").GetDouble());
            return (200, new JsonObject { ["lifetimeSeconds"] = sessions.Lifetime.TotalSeconds });
        }));
        admin.MapPost("/sessions/revoke", (HttpContext ctx, SfSessions sessions) => RunAsync(ctx, (body, org) =>
        {
            var user = Str(body, "username") is { } username ? UserId(org, username) : null;
            return (200, new JsonObject { ["revoked"] = sessions.RevokeAll(user) });
        }));
        admin.MapPost("/jwt-certificate", (HttpContext ctx, SfSessions sessions) => RunAsync(ctx, (body, _) =>
        {
            sessions.JwtCertificatePem = Str(body, "pem");
            return (200, new JsonObject { ["verifying"] = sessions.JwtCertificatePem is not null });
        }));
        admin.MapPost("/refresh-tokens", (HttpContext ctx, SfSessions sessions) => RunAsync(ctx, (body, org) =>
        {
            var user = UserId(org, Str(body, "username") ?? "integration@pluginhub.test");
            return (200, new JsonObject { ["refresh_token"] = sessions.IssueRefreshToken(user) });
        }));
        admin.MapPost("/seed", (HttpContext ctx) => RunAsync(ctx, (body, org) =>
        {
            var counts = new SeedCounts(Int(body, "users") ?? 6, Int(body, "accounts") ?? 15, Int(body, "contacts") ?? 30, Int(body, "cases") ?? 50);
            SfSeeder.Seed(org, Int(body, "seed") ?? 1, counts);
            var result = new JsonObject();
            foreach (var type in new[] { "User", "Account", "Contact", "Case", "CaseComment", "Attachment", "ContentVersion" })
            {
                result[type] = org.Table(org.Object(type)!).ById.Count;
            }

            return (200, result);
        }));
        admin.MapPost("/validation-rules", (HttpContext ctx) => RunAsync(ctx, (body, org) =>
        {
            var type = org.Object(Str(body, "object") ?? string.Empty) ?? throw SfException.BadRequest("INVALID_TYPE", "object is required");
            var field = type.Field(Str(body, "field") ?? string.Empty) ?? throw new SfException(400, SfError.InvalidField(Str(body, "field") ?? string.Empty, type.Name));
            org.ValidationRules.Add(new SfValidationRule(type.Name, field.Name, Str(body, "equals"), Bool(body, "isNull"), Str(body, "message") ?? "Validation failed", Str(body, "errorField")));
            return (201, new JsonObject { ["rules"] = org.ValidationRules.Count });
        }));
        admin.MapDelete("/validation-rules", (HttpContext ctx) => RunAsync(ctx, (_, org) =>
        {
            org.ValidationRules.Clear();
            return (200, new JsonObject { ["rules"] = 0 });
        }));
        admin.MapPost("/import", (HttpContext ctx) => RunAsync(ctx, Import));
        admin.MapPost("/settings", (HttpContext ctx) => RunAsync(ctx, (body, org) =>
        {
            if (body.TryGetProperty("touchParentOnChildInsert", out var touch))
            {
                org.TouchParentOnChildInsert = touch.GetBoolean();
            }

            if (body.TryGetProperty("autoAssignCasesToQueue", out var assign))
            {
                org.AutoAssignCasesToQueue = assign.GetBoolean();
            }

            if (body.TryGetProperty("apiLimit", out var limit))
            {
                org.ApiLimit = limit.GetInt64();
            }

            return (200, new JsonObject { ["touchParentOnChildInsert"] = org.TouchParentOnChildInsert, ["autoAssignCasesToQueue"] = org.AutoAssignCasesToQueue, ["apiLimit"] = org.ApiLimit, ["apiUsage"] = org.ApiUsage });
        }));
        admin.MapPost("/outbound-messages", (HttpContext ctx, SfOutbound outbound) => RunAsync(ctx, (body, org) =>
        {
            var type = org.Object(Str(body, "object") ?? string.Empty) ?? throw SfException.BadRequest("INVALID_TYPE", "object is required");
            var fields = body.TryGetProperty("fields", out var fs) ? fs.EnumerateArray().Select(f => type.Field(f.GetString()!)?.Name ?? throw new SfException(400, SfError.InvalidField(f.GetString()!, type.Name))).ToList() : ["Id"];
            var config = outbound.Add(id => new OutboundConfig
            {
                Id = id,
                ObjectName = type.Name,
                Fields = fields,
                Url = new Uri(Str(body, "url") ?? throw SfException.BadRequest("MISSING_ARGUMENT", "url is required")),
                BaseUrl = SfHttp.BaseUrl(ctx),
                FilterField = Str(body, "filterField"),
                FilterValue = Str(body, "filterValue"),
                RetryBase = TimeSpan.FromMilliseconds(Int(body, "retryBaseMs") ?? 15_000),
                MaxDelay = TimeSpan.FromMilliseconds(Int(body, "maxRetryDelayMs") ?? 7_200_000),
                Ttl = TimeSpan.FromSeconds(Int(body, "ttlSeconds") ?? 86_400),
                DuplicateDeliveries = Bool(body, "duplicateDeliveries"),
            });
            return (201, Describe(config));
        }));
        admin.MapGet("/outbound-messages", (HttpContext ctx, SfOutbound outbound) =>
            SfHttp.WriteAsync(ctx, SfResponse.Of(new JsonArray(outbound.Configs.Select(c => (JsonNode?)Describe(c)).ToArray()))));
        admin.MapDelete("/outbound-messages", (SfOutbound outbound) =>
        {
            outbound.Reset();
            return Results.NoContent();
        });
    }

    /// <summary>
    /// A seed file: <c>{objects: [{name, label?, labelPlural?, fields: [spec]}], fields: {Case: [spec]}, records: {Type: [{..., "@ref": "a"}]}}</c>.
    /// A string value <c>"@a"</c> stands for the id of the record tagged <c>"@ref": "a"</c>. All records or none are created.
    /// </summary>
    private static (int Status, JsonNode Body) Import(JsonElement body, SfOrg org)
    {
        if (body.TryGetProperty("objects", out var objects))
        {
            foreach (var o in objects.EnumerateArray())
            {
                var created = org.Object(Str(o, "name") ?? string.Empty) ?? org.AddCustomObject(Str(o, "name") ?? string.Empty, Str(o, "label"), Str(o, "labelPlural"));
                if (o.TryGetProperty("fields", out var fs))
                {
                    foreach (var f in fs.EnumerateArray())
                    {
                        AddField(org, created, f);
                    }
                }
            }
        }

        if (body.TryGetProperty("fields", out var extra))
        {
            foreach (var p in extra.EnumerateObject())
            {
                var o = org.Object(p.Name) ?? throw SfException.BadRequest("INVALID_TYPE", $"sObject type '{p.Name}' is not supported.");
                foreach (var f in p.Value.EnumerateArray())
                {
                    AddField(org, o, f);
                }
            }
        }

        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        var counts = new JsonObject();
        var tx = new SfTx();
        try
        {
            var groups = body.TryGetProperty("records", out var records) ? records.EnumerateObject().ToList() : [];
            foreach (var group in groups)
            {
                var type = org.Object(group.Name) ?? throw SfException.BadRequest("INVALID_TYPE", $"sObject type '{group.Name}' is not supported.");
                foreach (var rec in group.Value.EnumerateArray())
                {
                    var node = JsonNode.Parse(rec.GetRawText())!.AsObject();
                    var tag = node["@ref"]?.GetValue<string>();
                    node.Remove("@ref");
                    foreach (var (key, value) in node.ToList())
                    {
                        if (value is JsonValue v && v.TryGetValue<string>(out var text) && text.StartsWith('@') && refs.TryGetValue(text[1..], out var id))
                        {
                            node[key] = id;
                        }
                    }

                    using var doc = JsonDocument.Parse(SfHttp.Serialize(node));
                    var created = org.Insert(type, org.ReadBody(type, doc.RootElement, creating: true), org.IntegrationUserId, tx);
                    if (tag is not null)
                    {
                        refs[tag] = created.Id;
                    }

                    counts[type.Name] = (counts[type.Name]?.GetValue<int>() ?? 0) + 1;
                }
            }
        }
        catch
        {
            tx.Rollback();
            throw;
        }

        return (200, new JsonObject { ["created"] = counts, ["refs"] = new JsonObject(refs.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))) });
    }

    private static JsonObject Describe(OutboundConfig c) => new()
    {
        ["id"] = c.Id,
        ["object"] = c.ObjectName,
        ["fields"] = new JsonArray(c.Fields.Select(f => (JsonNode?)f).ToArray()),
        ["url"] = c.Url.ToString(),
        ["pending"] = c.Queue.Count,
        ["attempts"] = c.Attempts,
        ["delivered"] = c.Delivered,
        ["dropped"] = c.Dropped,
    };

    private static async Task RunAsync(HttpContext ctx, Func<JsonElement, SfOrg, (int Status, JsonNode Body)> action)
    {
        var org = ctx.RequestServices.GetRequiredService<SfOrg>();
        SfResponse res;
        try
        {
            // Bodiless calls (DELETE, or POST without content) mean "no options".
            using var reader = new StreamReader(ctx.Request.Body);
            var text = await reader.ReadToEndAsync(ctx.RequestAborted);
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            var body = doc.RootElement.Clone();
            lock (org.Gate)
            {
                var (status, json) = action(body, org);
                res = SfResponse.Of(json, status);
            }
        }
        catch (SfException e)
        {
            res = SfResponse.Fail(e);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or UriFormatException)
        {
            res = SfResponse.Fail(SfException.BadRequest("INVALID_INPUT", e.Message));
        }

        await SfHttp.WriteAsync(ctx, res);
    }

    private static string UserId(SfOrg org, string username)
    {
        var users = org.Table(org.Object("User")!);
        return users.FindByKey(users.Type["Username"], username).FirstOrDefault()?.Id ?? throw new SfException(404, SfError.NotFound());
    }

    private static string? Str(JsonElement body, string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement body, string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static bool Bool(JsonElement body, string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>A custom field: <c>{name, type, length?, label?, externalId?, unique?, required?, picklistValues?, restricted?, defaultValue?, referenceTo?, relationshipName?, childRelationshipName?, precision?, scale?}</c>.</summary>
    private static SfField AddField(SfOrg org, SfObject o, JsonElement body)
    {
        var name = Str(body, "name") ?? throw SfException.BadRequest("MISSING_ARGUMENT", "name is required");
        if (!name.EndsWith("__c", StringComparison.Ordinal) || o.Field(name) is not null)
        {
            throw SfException.BadRequest("DUPLICATE_DEVELOPER_NAME", $"Custom field names end in __c and must be new: {name}");
        }

        var type = (Str(body, "type") ?? "string").ToLowerInvariant() switch
        {
            "string" or "text" => SfType.String,
            "textarea" or "longtextarea" => SfType.TextArea,
            "picklist" => SfType.Picklist,
            "multipicklist" => SfType.MultiPicklist,
            "reference" or "lookup" => SfType.Reference,
            "boolean" or "checkbox" => SfType.Boolean,
            "int" or "number" => SfType.Int,
            "double" => SfType.Double,
            "currency" => SfType.Currency,
            "percent" => SfType.Percent,
            "date" => SfType.Date,
            "datetime" => SfType.DateTime,
            "email" => SfType.Email,
            "phone" => SfType.Phone,
            "url" => SfType.Url,
            var t => throw SfException.BadRequest("INVALID_TYPE", $"Unsupported field type {t}"),
        };
        var f = new SfField(name, type)
        {
            Custom = true,
            Length = Int(body, "length") ?? type switch { SfType.String => 255, SfType.TextArea => 32768, SfType.Picklist or SfType.MultiPicklist => 255, SfType.Email => 80, SfType.Phone => 40, SfType.Url => 255, SfType.Reference => 18, _ => 0 },
            ExternalId = Bool(body, "externalId"),
            Unique = Bool(body, "unique"),
            Nillable = !Bool(body, "required") && type != SfType.Boolean,
            Precision = Int(body, "precision") ?? (type is SfType.Int or SfType.Double or SfType.Currency or SfType.Percent ? 18 : 0),
            Scale = Int(body, "scale") ?? 0,
            RestrictedPicklist = type is SfType.Picklist or SfType.MultiPicklist && (!body.TryGetProperty("restricted", out var r) || r.ValueKind != JsonValueKind.False),
        };
        f.IdLookup = f.ExternalId;
        if (Str(body, "label") is { } label)
        {
            f.Label = label;
        }

        if (body.TryGetProperty("picklistValues", out var values))
        {
            foreach (var v in values.EnumerateArray())
            {
                f.Picklist.Add(new PicklistValue(v.GetString()!, v.GetString() == Str(body, "defaultValue")));
            }
        }

        if (type == SfType.Boolean)
        {
            f.DefaultValue = Bool(body, "defaultValue");
            f.DefaultedOnCreate = true;
            f.Nillable = false;
        }
        else if (Str(body, "defaultValue") is { } dv)
        {
            f.DefaultValue = org.ConvertText(f, dv);
            f.DefaultedOnCreate = true;
        }

        if (type == SfType.Reference)
        {
            var target = org.Object(Str(body, "referenceTo") ?? string.Empty) ?? throw SfException.BadRequest("INVALID_TYPE", "referenceTo must name an object");
            f.ReferenceTo = [target.Name];
            f.RelationshipName = Str(body, "relationshipName") ?? name[..^3] + "__r";
            f.ChildRelationshipName = Str(body, "childRelationshipName") ?? o.LabelPlural.Replace(" ", string.Empty, StringComparison.Ordinal) + "__r";
        }

        return o.Add(f);
    }
}
