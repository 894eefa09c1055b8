using System.Text.Json.Nodes;
using PluginHub.Sandbox.Hosting;
using PluginHub.Sandbox.Jira.Model;
using PluginHub.Sandbox.Jira.Rendering;
using PluginHub.Sandbox.Jira.Webhooks;

namespace PluginHub.Sandbox.Jira.Endpoints;

/// <summary>
/// Jira's own admin routes under <c>/_sandbox/jira/</c> (DESIGN §9): seeding, custom fields, issue types, users,
/// webhooks without credentials, and behaviour switches. No credentials needed; not counted in the metrics.
/// </summary>
internal static class JiraAdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup(SandboxServer.AdminPrefix + "/jira");
        admin.MapPost("/seed", async (HttpContext http, JiraStore store) =>
        {
            var body = await ReadAsync(http);
            var seed = (int?)body["seed"] ?? 1;
            var issues = Math.Clamp((int?)body["issues"] ?? JiraSeeder.DefaultIssueCount, 0, 200_000);
            lock (store.Gate)
            {
                store.Reset();
                JiraSeeder.Seed(store, seed, issues);
                return Results.Json(new { issues = store.Issues.Count, lastKey = store.Issues.Count == 0 ? null : store.Issues.Values.MaxBy(i => i.Id)!.Key });
            }
        });
        admin.MapPost("/customfields", async (HttpContext http, JiraStore store) =>
        {
            var body = await ReadAsync(http);
            var name = (string?)body["name"];
            if (string.IsNullOrWhiteSpace(name) || !Enum.TryParse<CustomFieldType>((string?)body["type"] ?? "Text", ignoreCase: true, out var type))
            {
                return Results.BadRequest(new { error = "name and a type of " + string.Join(", ", Enum.GetNames<CustomFieldType>()) + " are required" });
            }

            var options = (body["options"] as JsonArray ?? []).Select(o => (string?)o ?? "").ToList();
            lock (store.Gate)
            {
                var field = store.AddCustomField(name, type, options);
                var json = new JiraJson(store, $"{http.Request.Scheme}://{http.Request.Host}", "2", null);
                return Results.Content(json.FieldDefinition(field.FieldId).ToJsonString(JiraJson.Options), JiraCall.JsonContentType, null, 201);
            }
        });
        admin.MapPost("/issuetypes", async (HttpContext http, JiraStore store) =>
        {
            var body = await ReadAsync(http);
            var name = (string?)body["name"];
            if (string.IsNullOrWhiteSpace(name))
            {
                return Results.BadRequest(new { error = "name is required" });
            }

            lock (store.Gate)
            {
                if (store.IssueTypes.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    return Results.Conflict(new { error = $"issue type {name} exists" });
                }

                JiraWorkflow? workflow = null;
                if (body["workflow"] is JsonObject spec && !TryParseWorkflow(store, spec, name, out workflow, out var problem))
                {
                    return Results.BadRequest(new { error = problem });
                }

                var type = store.AddIssueType(name, (string?)body["description"] ?? "");
                if (workflow is not null)
                {
                    type = store.ReplaceWorkflow(type, workflow);
                }

                var json = new JiraJson(store, $"{http.Request.Scheme}://{http.Request.Host}", "2", null);
                return Results.Content(json.IssueType(type).ToJsonString(JiraJson.Options), JiraCall.JsonContentType, null, 201);
            }
        });
        admin.MapPut("/issuetypes/{idOrName}/workflow", async (HttpContext http, JiraStore store, string idOrName) =>
        {
            var body = await ReadAsync(http);
            lock (store.Gate)
            {
                var type = store.IssueTypes.Find(t => JiraJson.Id(t.Id) == idOrName || string.Equals(t.Name, idOrName, StringComparison.OrdinalIgnoreCase));
                if (type is null)
                {
                    return Results.NotFound(new { error = $"no issue type {idOrName}" });
                }

                if (!TryParseWorkflow(store, body, type.Name, out var workflow, out var problem))
                {
                    return Results.BadRequest(new { error = problem });
                }

                store.ReplaceWorkflow(type, workflow!);
                return Results.NoContent();
            }
        });
        admin.MapPost("/users", async (HttpContext http, JiraStore store) =>
        {
            var body = await ReadAsync(http);
            var email = (string?)body["email"];
            var token = (string?)body["token"];
            if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(token))
            {
                return Results.BadRequest(new { error = "email and token are required" });
            }

            lock (store.Gate)
            {
                if (store.Users.Any(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)))
                {
                    return Results.Conflict(new { error = $"user {email} exists" });
                }

                var name = (string?)body["name"] ?? email.Split('@')[0];
                var accountId = (string?)body["accountId"] ?? $"712020:{Guid.NewGuid()}";
                var user = store.AddUser(accountId, name, email, (string?)body["displayName"] ?? name, (string?)body["timeZone"] ?? "UTC", token, (bool?)body["admin"] ?? false, (bool?)body["hideEmail"] ?? false);
                var json = new JiraJson(store, $"{http.Request.Scheme}://{http.Request.Host}", "2", null);
                return Results.Content(json.User(user).ToJsonString(JiraJson.Options), JiraCall.JsonContentType, null, 201);
            }
        });
        admin.MapPost("/webhooks", async (HttpContext http, JiraStore store, JiraWebhooks webhooks) =>
        {
            var body = await ReadAsync(http);
            if (body["events"] is null && body["jql"] is { } jql)
            {
                body["filters"] = new JsonObject { ["issue-related-events-section"] = jql.DeepClone() };
            }
            else if (body["jql"] is { } filter)
            {
                body["filters"] = new JsonObject { ["issue-related-events-section"] = filter.DeepClone() };
            }

            try
            {
                lock (store.Gate)
                {
                    var hook = webhooks.Register(body, store.Integration);
                    return Results.Content(webhooks.Render(hook, $"{http.Request.Scheme}://{http.Request.Host}").ToJsonString(JiraJson.Options), JiraCall.JsonContentType, null, 201);
                }
            }
            catch (JiraError e)
            {
                return Results.Content(JiraError.Body(e.Messages, e.Errors).ToJsonString(JiraJson.Options), JiraCall.JsonContentType, null, 400);
            }
        });
        admin.MapDelete("/webhooks", (JiraStore store) =>
        {
            lock (store.Gate)
            {
                store.Webhooks.Clear();
            }

            return Results.NoContent();
        });
        admin.MapGet("/webhooks/deliveries", (JiraWebhooks webhooks) => Results.Json(webhooks.Attempts));
        admin.MapPost("/settings", async (HttpContext http, JiraStore store) =>
        {
            var body = await ReadAsync(http);
            lock (store.Gate)
            {
                store.LegacySearch = (bool?)body["legacySearch"] ?? store.LegacySearch;
                store.SearchIndexLagMs = (int?)body["searchIndexLagMs"] ?? store.SearchIndexLagMs;
                store.EmbeddedCommentLimit = Math.Max(0, (int?)body["embeddedCommentLimit"] ?? store.EmbeddedCommentLimit);
                store.AttachmentUploadLimit = (long?)body["attachmentUploadLimit"] ?? store.AttachmentUploadLimit;
                store.AnonymousRead = (bool?)body["anonymousRead"] ?? store.AnonymousRead;
                store.FailedLoginAsAnonymous = (bool?)body["failedLoginAsAnonymous"] ?? store.FailedLoginAsAnonymous;
                store.PerIssueWriteLimit = (bool?)body["perIssueWriteLimit"] ?? store.PerIssueWriteLimit;
                store.CreateTransitionRejectsIssue = (bool?)body["createTransitionRejectsIssue"] ?? store.CreateTransitionRejectsIssue;
                if ((string?)body["serverVersion"] is { } serverVersion && Version.TryParse(serverVersion, out var parsed))
                {
                    store.ServerVersion = new Version(parsed.Major, parsed.Minor, Math.Max(0, parsed.Build));
                }

                store.CaptchaAfterFailures = (int?)body["captchaAfterFailures"] ?? store.CaptchaAfterFailures;
                if (body["indexedPropertyKeys"] is JsonArray keys)
                {
                    store.IndexedPropertyKeys.Clear();
                    store.IndexedPropertyKeys.UnionWith(keys.Select(k => (string?)k ?? "").Where(k => k.Length > 0));
                }

                return Results.Json(new
                {
                    legacySearch = store.LegacySearch,
                    searchIndexLagMs = store.SearchIndexLagMs,
                    embeddedCommentLimit = store.EmbeddedCommentLimit,
                    attachmentUploadLimit = store.AttachmentUploadLimit,
                    anonymousRead = store.AnonymousRead,
                    failedLoginAsAnonymous = store.FailedLoginAsAnonymous,
                    perIssueWriteLimit = store.PerIssueWriteLimit,
                    createTransitionRejectsIssue = store.CreateTransitionRejectsIssue,
                    serverVersion = store.ServerVersion.ToString(3),
                    captchaAfterFailures = store.CaptchaAfterFailures,
                    indexedPropertyKeys = store.IndexedPropertyKeys.Order(StringComparer.Ordinal).ToArray(),
                });
            }
        });
    }

    /// <summary>
    /// <c>{"initial": "To Do", "transitions": [{"id": 11, "name": "Start Progress", "from": ["To Do"], "to": "In Progress",
    /// "resolutionOnScreen": false, "resolutionRequired": false}]}</c>; statuses by name, <c>from</c> empty for a global transition.
    /// </summary>
    private static bool TryParseWorkflow(JiraStore store, JsonObject spec, string typeName, out JiraWorkflow? workflow, out string? problem)
    {
        workflow = null;
        problem = null;
        int? Status(string? name) => store.Statuses.Values.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))?.Id;
        var initial = Status((string?)spec["initial"] ?? "To Do");
        if (initial is null)
        {
            problem = $"unknown initial status {(string?)spec["initial"]}";
            return false;
        }

        var transitions = new List<JiraTransition>();
        foreach (var t in (spec["transitions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var from = (t["from"] as JsonArray ?? []).Select(f => Status((string?)f)).ToList();
            var to = Status((string?)t["to"]);
            if (to is null || from.Any(f => f is null) || !int.TryParse(t["id"]?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                problem = "each transition needs an id and known from/to statuses";
                return false;
            }

            transitions.Add(new JiraTransition(id, (string?)t["name"] ?? $"To {(string?)t["to"]}",
                [.. from.Select(f => f!.Value)], to.Value, (bool?)t["resolutionOnScreen"] ?? false, (bool?)t["resolutionRequired"] ?? false));
        }

        workflow = new JiraWorkflow($"{typeName} workflow", initial.Value, transitions);
        return true;
    }

    private static async Task<JsonObject> ReadAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        return string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }
}
