using System.Text.Json.Nodes;
using PluginHub.Sandbox.Jira.Issues;
using PluginHub.Sandbox.Jira.Model;
using PluginHub.Sandbox.Jira.Rendering;

namespace PluginHub.Sandbox.Jira.Endpoints;

/// <summary>Issue CRUD, bulk create, assignee, changelog, transitions and entity properties (reference §3, §4, §7).</summary>
internal static class IssueEndpoints
{
    public const int BulkLimit = 50;

    public static void Map(IEndpointRouteBuilder api, string version)
    {
        api.MapPost("/issue", JiraCall.Handle(version, CreateAsync));
        api.MapPost("/issue/bulk", JiraCall.Handle(version, BulkCreateAsync));
        api.MapGet("/issue/{issueIdOrKey}", JiraCall.Handle(version, GetAsync));
        api.MapPut("/issue/{issueIdOrKey}", JiraCall.Handle(version, EditAsync));
        api.MapDelete("/issue/{issueIdOrKey}", JiraCall.Handle(version, DeleteAsync));
        api.MapPut("/issue/{issueIdOrKey}/assignee", JiraCall.Handle(version, AssignAsync));
        api.MapGet("/issue/{issueIdOrKey}/changelog", JiraCall.Handle(version, ChangelogAsync));
        api.MapGet("/issue/{issueIdOrKey}/transitions", JiraCall.Handle(version, TransitionsAsync));
        api.MapPost("/issue/{issueIdOrKey}/transitions", JiraCall.Handle(version, TransitionAsync));
        api.MapGet("/issue/{issueIdOrKey}/properties", JiraCall.Handle(version, PropertyKeysAsync));
        api.MapGet("/issue/{issueIdOrKey}/properties/{propertyKey}", JiraCall.Handle(version, GetPropertyAsync));
        api.MapPut("/issue/{issueIdOrKey}/properties/{propertyKey}", JiraCall.Handle(version, SetPropertyAsync));
        api.MapDelete("/issue/{issueIdOrKey}/properties/{propertyKey}", JiraCall.Handle(version, DeletePropertyAsync));
    }

    /// <summary>Cloud's bulk fetch takes at most this many issue ids or keys.</summary>
    public const int BulkFetchLimit = 100;

    /// <summary>Cloud's bulk fetch embeds at most this many change histories per issue (the most recent).</summary>
    public const int BulkFetchChangelogCap = 40;

    /// <summary>Cloud-only issue routes: <c>POST /issue/bulkfetch</c> (Server/Data Center has no such route).</summary>
    public static void MapCloud(IEndpointRouteBuilder api, string version) =>
        api.MapPost("/issue/bulkfetch", JiraCall.Handle(version, BulkFetchAsync));

    public static HashSet<string> Expand(JiraCall call) => call.QueryList("expand").ToHashSet(StringComparer.Ordinal);

    private static async Task CreateAsync(JiraCall call)
    {
        var user = call.RequireUser();
        var body = await call.ReadObjectAsync();
        JsonObject result;
        lock (call.Store.Gate)
        {
            result = CreateOne(call, user, body);
        }

        await call.WriteAsync(201, result);
    }

    /// <summary>
    /// Creates one issue of <c>POST /issue</c> or <c>/issue/bulk</c> and, on Cloud, applies the request's <c>transition</c>
    /// (reference §3.2): the transition must be available from the workflow's initial status and passes its screen's checks
    /// (a required resolution cannot be given on create). The issue is created either way and the created issue carries
    /// <c>transition: {status, errorCollection}</c> with the transition's own outcome, unless
    /// <see cref="JiraStore.CreateTransitionRejectsIssue"/> makes a failed transition fail the whole create.
    /// Server/Data Center ignores <c>transition</c> on create (JRASERVER-66881).
    /// </summary>
    private static JsonObject CreateOne(JiraCall call, JiraUser user, JsonObject body)
    {
        var writer = new IssueWriter(call.Store, user, call.IsV3);
        var issue = writer.Create(body);
        var creation = writer.CreationChangelog(issue);
        JsonObject? nested = null;
        (ChangeHistory History, JiraComment? Comment)? moved = null;
        if (call.Store.IsCloud && body["transition"] is JsonObject requested)
        {
            try
            {
                var id = requested["id"] is JsonValue v ? v.ToString() : "";
                moved = new IssueWriter(call.Store, user, call.IsV3).Transition(issue, new JsonObject { ["transition"] = new JsonObject { ["id"] = id } });
                nested = new JsonObject { ["status"] = 200, ["errorCollection"] = JiraError.Body([], new Dictionary<string, string>()) };
            }
            catch (JiraError e) when (!call.Store.CreateTransitionRejectsIssue)
            {
                nested = new JsonObject { ["status"] = e.Status, ["errorCollection"] = JiraError.Body(e.Messages, e.Errors) };
            }
            catch (JiraError)
            {
                call.Store.RemoveIssue(issue);
                throw;
            }
        }

        call.Webhooks.IssueEvent(call, "jira:issue_created", "issue_created", issue, creation);
        if (moved is { } m)
        {
            call.Webhooks.IssueEvent(call, "jira:issue_updated", call.Store.Statuses[issue.StatusId].Category == StatusCategory.Done ? "issue_resolved" : "issue_generic", issue, m.History);
        }

        var result = Created(call, issue);
        if (nested is not null)
        {
            result["transition"] = nested;
        }

        return result;
    }

    private static JsonObject Created(JiraCall call, JiraIssue issue) => new()
    {
        ["id"] = JiraJson.Id(issue.Id),
        ["key"] = issue.Key,
        ["self"] = $"{call.Json.Api}/issue/{issue.Id}",
    };

    private static async Task BulkCreateAsync(JiraCall call)
    {
        var user = call.RequireUser();
        var body = await call.ReadObjectAsync();
        var updates = body["issueUpdates"] as JsonArray ?? [];
        if (updates.Count > BulkLimit)
        {
            throw new JiraError(400, $"The number of issues in the request exceeds the limit of {BulkLimit} issues.");
        }

        var issues = new JsonArray();
        var errors = new JsonArray();
        lock (call.Store.Gate)
        {
            for (var i = 0; i < updates.Count; i++)
            {
                try
                {
                    issues.Add(CreateOne(call, user, updates[i] as JsonObject ?? []));
                }
                catch (JiraError e)
                {
                    errors.Add(new JsonObject
                    {
                        ["status"] = e.Status,
                        ["failedElementNumber"] = i,
                        ["elementErrors"] = JiraError.Body(e.Messages, e.Errors),
                    });
                }
            }
        }

        await call.WriteAsync(issues.Count > 0 || updates.Count == 0 ? 201 : 400, new JsonObject { ["issues"] = issues, ["errors"] = errors });
    }

    private static Task GetAsync(JiraCall call)
    {
        JsonObject result;
        lock (call.Store.Gate)
        {
            var issue = call.Issue(call.Route("issueIdOrKey"));
            result = call.Json.Issue(issue, FieldSelection.Parse(call.QueryList("fields"), "*all"), Expand(call), Properties(call, issue));
        }

        return call.OkAsync(result);
    }

    /// <summary>
    /// Bulk fetch (Cloud): up to 100 ids or keys (mixed; keys case-insensitive), <c>fields</c> defaulting to <c>*navigable</c>,
    /// <c>expand</c> and <c>properties</c> as lists. It reads the issues themselves, not the search index, so it sees writes at
    /// once. Issues come back in ascending id order; ones that do not exist or cannot be seen are left out silently
    /// (<c>issueErrors</c> is for issues Jira failed to load, which the sandbox never does).
    /// </summary>
    private static async Task BulkFetchAsync(JiraCall call)
    {
        var body = await call.ReadObjectAsync();
        static List<string> Strings(JsonNode? node) => node switch
        {
            JsonArray a => [.. a.Select(x => x?.ToString() ?? "").SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
            JsonValue v when v.TryGetValue<string>(out var text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            _ => [],
        };
        var wanted = (body["issueIdsOrKeys"] as JsonArray ?? []).Select(x => x?.ToString().Trim() ?? "").Where(x => x.Length > 0).ToList();
        if (wanted.Count == 0)
        {
            throw new JiraError(400, "No issue IDs or keys were provided. Provide between 1 and 100 issue IDs or keys.");
        }

        if (wanted.Count > BulkFetchLimit)
        {
            throw new JiraError(400, $"Too many issue IDs or keys were provided. Provide at most {BulkFetchLimit} issue IDs or keys.");
        }

        var properties = Strings(body["properties"]);
        if (properties.Count > SearchEndpoints.MaxProperties)
        {
            throw new JiraError(400, $"The maximum number of properties is {SearchEndpoints.MaxProperties}.");
        }

        var fields = FieldSelection.Parse(Strings(body["fields"]), "*navigable");
        var expand = Strings(body["expand"]).ToHashSet(StringComparer.Ordinal);
        JsonObject result;
        lock (call.Store.Gate)
        {
            var found = !call.CanBrowse ? [] : wanted.Select(call.Store.FindIssue).OfType<JiraIssue>().DistinctBy(i => i.Id).OrderBy(i => i.Id).ToList();
            result = new JsonObject
            {
                ["issueErrors"] = new JsonArray(),
                ["issues"] = new JsonArray([.. found.Select(i => (JsonNode)call.Json.Issue(i, fields, expand,
                    properties.Contains("*all") ? i.Properties?.Keys.ToList() ?? [] : properties, BulkFetchChangelogCap))]),
            };
        }

        await call.OkAsync(result);
    }

    /// <summary>The <c>properties</c> query parameter: <c>*all</c> or keys.</summary>
    public static List<string> Properties(JiraCall call, JiraIssue issue)
    {
        var keys = call.QueryList("properties");
        return keys.Contains("*all") ? (issue.Properties?.Keys.ToList() ?? []) : keys;
    }

    private static async Task EditAsync(JiraCall call)
    {
        var user = call.RequireUser();
        var body = await call.ReadObjectAsync();
        if ((call.QueryBool("overrideScreenSecurity", false) || call.QueryBool("overrideEditableFlag", false)) && !user.IsAdmin)
        {
            throw new JiraError(403, "Connect and Forge app users with Administer Jira global permission can override screen security.");
        }

        JsonObject? result = null;
        lock (call.Store.Gate)
        {
            var issue = call.IssueForWrite(call.Route("issueIdOrKey"));
            var writer = new IssueWriter(call.Store, user, call.IsV3);
            var history = writer.Edit(issue, body, out var comment);
            if (history is not null || comment is not null)
            {
                call.Webhooks.IssueEvent(call, "jira:issue_updated", comment is not null && history is null ? "issue_commented" : "issue_updated", issue, history, comment);
            }

            if (comment is not null)
            {
                call.Webhooks.CommentEvent(call, "comment_created", issue, comment);
            }

            if (call.Store.IsCloud && call.QueryBool("returnIssue", false))
            {
                result = call.Json.Issue(issue, FieldSelection.Parse([], "*all"), Expand(call), []);
            }
        }

        if (result is not null)
        {
            await call.OkAsync(result);
            return;
        }

        await call.NoContentAsync();
    }

    private static Task DeleteAsync(JiraCall call)
    {
        call.RequireUser();
        lock (call.Store.Gate)
        {
            var issue = call.IssueForWrite(call.Route("issueIdOrKey"));
            call.Webhooks.IssueEvent(call, "jira:issue_deleted", "issue_deleted", issue, null);
            call.Store.RemoveIssue(issue);
        }

        return call.NoContentAsync();
    }

    private static async Task AssignAsync(JiraCall call)
    {
        var user = call.RequireUser();
        var body = await call.ReadJsonAsync();
        lock (call.Store.Gate)
        {
            var issue = call.IssueForWrite(call.Route("issueIdOrKey"));
            var writer = new IssueWriter(call.Store, user, call.IsV3);
            var history = writer.Edit(issue, new JsonObject { ["fields"] = new JsonObject { ["assignee"] = body?.DeepClone() } }, out _);
            if (history is not null)
            {
                call.Webhooks.IssueEvent(call, "jira:issue_updated", "issue_assigned", issue, history);
            }
        }

        await call.NoContentAsync();
    }

    private static Task ChangelogAsync(JiraCall call)
    {
        JsonObject result;
        lock (call.Store.Gate)
        {
            var issue = call.Issue(call.Route("issueIdOrKey"));
            var histories = issue.History ?? [];
            var startAt = Math.Max(0, call.QueryInt("startAt", 0));
            var maxResults = Math.Clamp(call.QueryInt("maxResults", 100), 1, 100);
            var page = histories.Skip(startAt).Take(maxResults).ToList();
            result = new JsonObject
            {
                ["self"] = $"{call.Json.Api}/issue/{issue.Key}/changelog?maxResults={maxResults}&startAt={startAt}",
                ["maxResults"] = maxResults,
                ["startAt"] = startAt,
                ["total"] = histories.Count,
                ["isLast"] = startAt + page.Count >= histories.Count,
                ["values"] = new JsonArray(page.Select(h => (JsonNode)call.Json.ChangeHistory(h)).ToArray()),
            };
            if (startAt + page.Count < histories.Count)
            {
                result["nextPage"] = $"{call.Json.Api}/issue/{issue.Key}/changelog?maxResults={maxResults}&startAt={startAt + page.Count}";
            }
        }

        return call.OkAsync(result);
    }

    private static Task TransitionsAsync(JiraCall call)
    {
        JsonObject result;
        lock (call.Store.Gate)
        {
            var issue = call.Issue(call.Route("issueIdOrKey"));
            var withFields = call.QueryList("expand").Contains("transitions.fields");
            var filter = call.Query("transitionId");
            var transitions = call.Json.AvailableTransitions(issue)
                .Where(t => filter is null || JiraJson.Id(t.Id) == filter)
                .Select(t => (JsonNode)call.Json.Transition(t, withFields));
            result = new JsonObject { ["expand"] = "transitions", ["transitions"] = new JsonArray(transitions.ToArray()) };
        }

        return call.OkAsync(result);
    }

    private static async Task TransitionAsync(JiraCall call)
    {
        var user = call.RequireUser();
        var body = await call.ReadObjectAsync();
        lock (call.Store.Gate)
        {
            var issue = call.IssueForWrite(call.Route("issueIdOrKey"));
            var writer = new IssueWriter(call.Store, user, call.IsV3);
            var (history, comment) = writer.Transition(issue, body);
            var type = call.Store.Statuses[issue.StatusId].Category == StatusCategory.Done ? "issue_resolved" : "issue_generic";
            call.Webhooks.IssueEvent(call, "jira:issue_updated", type, issue, history, comment);
            if (comment is not null)
            {
                call.Webhooks.CommentEvent(call, "comment_created", issue, comment);
            }
        }

        await call.NoContentAsync();
    }

    private static Task PropertyKeysAsync(JiraCall call)
    {
        JsonObject result;
        lock (call.Store.Gate)
        {
            var issue = call.Issue(call.Route("issueIdOrKey"));
            result = new JsonObject
            {
                ["keys"] = new JsonArray((issue.Properties?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal)
                    .Select(k => (JsonNode)new JsonObject { ["self"] = $"{call.Json.Api}/issue/{issue.Id}/properties/{Uri.EscapeDataString(k)}", ["key"] = k }).ToArray()),
            };
        }

        return call.OkAsync(result);
    }

    private static Task GetPropertyAsync(JiraCall call)
    {
        JsonObject result;
        lock (call.Store.Gate)
        {
            var issue = call.Issue(call.Route("issueIdOrKey"));
            var key = call.Route("propertyKey");
            var json = issue.Properties?.GetValueOrDefault(key)
                ?? throw new JiraError(404, $"The property with key '{key}' does not exist.");
            result = new JsonObject { ["key"] = key, ["value"] = JsonNode.Parse(json) };
        }

        return call.OkAsync(result);
    }

    private static async Task SetPropertyAsync(JiraCall call)
    {
        call.RequireUser();
        var key = call.Route("propertyKey");
        var value = await call.ReadJsonAsync() ?? throw new JiraError(400, "The property value cannot be empty.");
        bool created;
        lock (call.Store.Gate)
        {
            var issue = call.IssueForWrite(call.Route("issueIdOrKey"));
            var json = IssueWriter.PropertyJson(key, value);
            issue.Properties ??= [];
            created = !issue.Properties.ContainsKey(key);
            issue.Properties[key] = json;
            // Property writes do not bump "updated" nor write the changelog; they raise their own webhook.
            call.Webhooks.PropertyEvent(call, "issue_property_set", issue, key, value);
        }

        call.Http.Response.StatusCode = created ? 201 : 200;
    }

    private static Task DeletePropertyAsync(JiraCall call)
    {
        call.RequireUser();
        lock (call.Store.Gate)
        {
            var issue = call.IssueForWrite(call.Route("issueIdOrKey"));
            var key = call.Route("propertyKey");
            if (issue.Properties?.Remove(key) != true)
            {
                throw new JiraError(404, $"The property with key '{key}' does not exist.");
            }

            call.Webhooks.PropertyEvent(call, "issue_property_deleted", issue, key, null);
        }

        return call.NoContentAsync();
    }
}
