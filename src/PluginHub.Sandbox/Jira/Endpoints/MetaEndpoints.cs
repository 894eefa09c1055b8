using System.Text.Json.Nodes;
using PluginHub.Sandbox.Jira.Model;
using PluginHub.Sandbox.Jira.Rendering;

namespace PluginHub.Sandbox.Jira.Endpoints;

/// <summary>Identity and metadata (reference §1.3, §6): myself, serverInfo, priorities, statuses, fields, projects, create/edit metadata, users.</summary>
internal static class MetaEndpoints
{
    public static void Map(IEndpointRouteBuilder api, string version, bool cloud)
    {
        api.MapGet("/myself", JiraCall.Handle(version, call => call.OkAsync(Locked(call, () => call.Json.Myself(call.RequireUser())))));
        api.MapGet("/serverInfo", JiraCall.Handle(version, ServerInfoAsync));
        api.MapGet("/priority", JiraCall.Handle(version, call => call.OkAsync(Locked(call, () => Array(call.Store.Priorities.Select(call.Json.Priority))))));
        api.MapGet("/status", JiraCall.Handle(version, call => call.OkAsync(Locked(call, () => Array(call.Store.Statuses.Values.Select(call.Json.Status))))));
        api.MapGet("/status/{idOrName}", JiraCall.Handle(version, StatusAsync));
        api.MapGet("/statuscategory", JiraCall.Handle(version, call => call.OkAsync(Array(StatusCategory.All.Select(call.Json.StatusCategory)))));
        api.MapGet("/resolution", JiraCall.Handle(version, call => call.OkAsync(Locked(call, () => Array(call.Store.Resolutions.Select(call.Json.Resolution))))));
        api.MapGet("/issuetype", JiraCall.Handle(version, call => call.OkAsync(Locked(call, () => Array(call.Store.IssueTypes.Select(call.Json.IssueType))))));
        api.MapGet("/issuetype/{id}", JiraCall.Handle(version, call => call.OkAsync(Locked(call, () =>
            call.Json.IssueType(call.Store.IssueTypes.Find(t => JiraJson.Id(t.Id) == call.Route("id")) ?? throw new JiraError(404, "The issue type with id '" + call.Route("id") + "' does not exist."))))));
        api.MapGet("/priority/{id}", JiraCall.Handle(version, call => call.OkAsync(Locked(call, () =>
            call.Json.Priority(call.Store.Priorities.Find(p => JiraJson.Id(p.Id) == call.Route("id")) ?? throw new JiraError(404, "The priority with id '" + call.Route("id") + "' does not exist."))))));
        api.MapGet("/resolution/{id}", JiraCall.Handle(version, call => call.OkAsync(Locked(call, () =>
            call.Json.Resolution(call.Store.Resolutions.Find(r => JiraJson.Id(r.Id) == call.Route("id")) ?? throw new JiraError(404, "The resolution with id '" + call.Route("id") + "' does not exist."))))));
        api.MapGet("/statuscategory/{idOrKey}", JiraCall.Handle(version, call => call.OkAsync(
            StatusCategory.All.FirstOrDefault(c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == call.Route("idOrKey") || c.Key == call.Route("idOrKey")) is { } category
                ? call.Json.StatusCategory(category)
                : throw new JiraError(404, "The status category does not exist."))));
        api.MapGet("/field", JiraCall.Handle(version, call => call.OkAsync(Locked(call, () => Array(AllFieldIds(call).Select(call.Json.FieldDefinition))))));
        api.MapGet("/project", JiraCall.Handle(version, call => call.OkAsync(Locked(call, () => Array(Visible(call).Select(call.Json.Project))))));
        api.MapGet("/project/{projectIdOrKey}", JiraCall.Handle(version, call => call.OkAsync(Locked(call, () => call.Json.Project(Project(call))))));
        api.MapGet("/project/{projectIdOrKey}/statuses", JiraCall.Handle(version, ProjectStatusesAsync));
        api.MapGet("/issue/createmeta/{projectIdOrKey}/issuetypes", JiraCall.Handle(version, CreateMetaIssueTypesAsync));
        api.MapGet("/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}", JiraCall.Handle(version, CreateMetaFieldsAsync));
        api.MapGet("/issue/{issueIdOrKey}/editmeta", JiraCall.Handle(version, EditMetaAsync));
        api.MapGet("/user", JiraCall.Handle(version, UserAsync));
        api.MapGet("/user/search", JiraCall.Handle(version, UserSearchAsync));
        api.MapGet("/user/assignable/search", JiraCall.Handle(version, UserSearchAsync));
        if (cloud)
        {
            // Dynamic webhooks belong to Connect/OAuth apps; API-token users are refused.
            api.MapPost("/webhook", JiraCall.Handle(version, call =>
            {
                call.RequireUser();
                throw new JiraError(403, "Only Connect and OAuth 2.0 apps can register dynamic webhooks.");
            }));
            api.MapGet("/priority/search", JiraCall.Handle(version, PrioritySearchAsync));
            api.MapGet("/field/search", JiraCall.Handle(version, FieldSearchAsync));
            api.MapGet("/project/search", JiraCall.Handle(version, ProjectSearchAsync));
        }

        // Deprecated on Cloud, removed in DC 9 (where the path falls through to the issue resource).
        api.MapGet("/issue/createmeta", JiraCall.Handle(version, call => call.Store.IsCloud || call.Store.ServerVersion.Major < 9
            ? OldCreateMetaAsync(call)
            : throw new JiraError(404, "Issue Does Not Exist")));
    }

    private static T Locked<T>(JiraCall call, Func<T> render)
    {
        lock (call.Store.Gate)
        {
            return render();
        }
    }

    private static JsonArray Array(IEnumerable<JsonObject> items) => new(items.Select(i => (JsonNode)i).ToArray());

    private static IEnumerable<JiraProject> Visible(JiraCall call) => !call.CanBrowse ? [] : call.Store.Projects;

    private static JiraProject Project(JiraCall call)
    {
        var key = call.Route("projectIdOrKey");
        return Visible(call).FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase) || JiraJson.Id(p.Id) == key)
            ?? throw new JiraError(404, $"No project could be found with key '{key}'.");
    }

    private static List<string> AllFieldIds(JiraCall call) =>
        JiraJson.SystemFields.Concat(call.Store.CustomFields.Select(f => f.FieldId)).ToList();

    private static JsonObject PageBean(string self, int startAt, int maxResults, int total, IEnumerable<JsonNode> values) => new()
    {
        ["self"] = self,
        ["maxResults"] = maxResults,
        ["startAt"] = startAt,
        ["total"] = total,
        ["isLast"] = startAt + maxResults >= total,
        ["values"] = new JsonArray(values.ToArray()),
    };

    private static Task ServerInfoAsync(JiraCall call)
    {
        var cloud = call.Store.IsCloud;
        return call.OkAsync(new JsonObject
        {
            ["baseUrl"] = call.BaseUrl,
            ["version"] = cloud ? "1001.0.0-SNAPSHOT" : call.Store.ServerVersion.ToString(3),
            ["versionNumbers"] = cloud ? new JsonArray(1001, 0, 0) : new JsonArray(call.Store.ServerVersion.Major, call.Store.ServerVersion.Minor, call.Store.ServerVersion.Build),
            ["deploymentType"] = cloud ? "Cloud" : "Server",
            ["buildNumber"] = cloud ? 100284 : 9120000,
            ["buildDate"] = "2026-01-01T00:00:00.000+0000",
            ["serverTime"] = call.Json.Time(call.Store.NowMs()),
            ["scmInfo"] = "pluginhub-sandbox",
            ["serverTitle"] = "PluginHub Jira Sandbox",
        });
    }

    private static Task StatusAsync(JiraCall call)
    {
        var key = call.Route("idOrName");
        return call.OkAsync(Locked(call, () => call.Store.Statuses.Values
            .FirstOrDefault(s => JiraJson.Id(s.Id) == key || string.Equals(s.Name, key, StringComparison.OrdinalIgnoreCase)) is { } s
                ? call.Json.Status(s)
                : throw new JiraError(404, $"The status with id '{key}' does not exist")));
    }

    private static Task PrioritySearchAsync(JiraCall call)
    {
        var startAt = Math.Max(0, call.QueryInt("startAt", 0));
        var maxResults = Math.Clamp(call.QueryInt("maxResults", 50), 1, 50);
        return call.OkAsync(Locked(call, () => PageBean($"{call.Json.Api}/priority/search?maxResults={maxResults}&startAt={startAt}", startAt, maxResults,
            call.Store.Priorities.Count, call.Store.Priorities.Skip(startAt).Take(maxResults).Select(p =>
            {
                var o = call.Json.Priority(p);
                o["isDefault"] = p.Id == 3;
                return (JsonNode)o;
            }))));
    }

    private static Task FieldSearchAsync(JiraCall call)
    {
        var startAt = Math.Max(0, call.QueryInt("startAt", 0));
        var maxResults = Math.Clamp(call.QueryInt("maxResults", 50), 1, 100);
        var ids = call.QueryList("id");
        var query = call.Query("query");
        return call.OkAsync(Locked(call, () =>
        {
            var all = AllFieldIds(call).Select(call.Json.FieldDefinition)
                .Where(f => (ids.Count == 0 || ids.Contains((string)f["id"]!)) && (query is null || ((string)f["name"]!).Contains(query, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            return PageBean($"{call.Json.Api}/field/search?maxResults={maxResults}&startAt={startAt}", startAt, maxResults, all.Count, all.Skip(startAt).Take(maxResults));
        }));
    }

    private static Task ProjectSearchAsync(JiraCall call)
    {
        var startAt = Math.Max(0, call.QueryInt("startAt", 0));
        var maxResults = Math.Clamp(call.QueryInt("maxResults", 50), 1, 100);
        return call.OkAsync(Locked(call, () =>
        {
            var all = Visible(call).ToList();
            return PageBean($"{call.Json.Api}/project/search?maxResults={maxResults}&startAt={startAt}", startAt, maxResults, all.Count,
                all.Skip(startAt).Take(maxResults).Select(p => (JsonNode)call.Json.Project(p)));
        }));
    }

    private static Task ProjectStatusesAsync(JiraCall call) => call.OkAsync(Locked(call, () =>
    {
        Project(call);
        return Array(call.Store.IssueTypes.Select(t =>
        {
            var o = call.Json.IssueType(t);
            o["statuses"] = Array(t.Workflow.StatusIds.Select(id => call.Json.Status(call.Store.Statuses[id])));
            return o;
        }));
    }));

    /// <summary>The field metadata of create/edit screens.</summary>
    public static IEnumerable<JsonObject> FieldMeta(JiraCall call, JiraProject project, JiraIssueType type, bool create) =>
        call.Json.FieldMeta(project, type, create);

    private static Task CreateMetaIssueTypesAsync(JiraCall call)
    {
        var startAt = Math.Max(0, call.QueryInt("startAt", 0));
        var maxResults = Math.Clamp(call.QueryInt("maxResults", 50), 1, 200);
        return call.OkAsync(Locked(call, () =>
        {
            Project(call);
            var types = call.Store.IssueTypes.Skip(startAt).Take(maxResults).Select(t => (JsonNode)call.Json.IssueType(t)).ToArray();
            return Paged(call, startAt, maxResults, call.Store.IssueTypes.Count, "issueTypes", types);
        }));
    }

    /// <summary>Cloud wraps metadata pages as <c>issueTypes</c>/<c>fields</c>; DC uses <c>values</c> and <c>isLast</c>.</summary>
    private static JsonObject Paged(JiraCall call, int startAt, int maxResults, int total, string cloudKey, JsonNode[] items)
    {
        var o = new JsonObject { ["maxResults"] = maxResults, ["startAt"] = startAt, ["total"] = total };
        if (call.Store.IsCloud)
        {
            o[cloudKey] = new JsonArray(items);
        }
        else
        {
            o["isLast"] = startAt + items.Length >= total;
            o["values"] = new JsonArray(items);
        }

        return o;
    }

    private static Task CreateMetaFieldsAsync(JiraCall call)
    {
        var startAt = Math.Max(0, call.QueryInt("startAt", 0));
        var maxResults = Math.Clamp(call.QueryInt("maxResults", 50), 1, 200);
        return call.OkAsync(Locked(call, () =>
        {
            var project = Project(call);
            var typeId = call.Route("issueTypeId");
            var type = call.Store.IssueTypes.Find(t => JiraJson.Id(t.Id) == typeId)
                ?? throw new JiraError(404, $"Issue type with id '{typeId}' does not exist or is not visible in project '{project.Key}'.");
            var all = FieldMeta(call, project, type, create: true).ToList();
            return Paged(call, startAt, maxResults, all.Count, "fields", all.Skip(startAt).Take(maxResults).Select(f => (JsonNode)f).ToArray());
        }));
    }

    private static Task OldCreateMetaAsync(JiraCall call)
    {
        var keys = call.QueryList("projectKeys");
        var typeNames = call.QueryList("issuetypeNames");
        var withFields = call.QueryList("expand").Contains("projects.issuetypes.fields");
        return call.OkAsync(Locked(call, () => new JsonObject
        {
            ["expand"] = "projects",
            ["projects"] = Array(Visible(call).Where(p => keys.Count == 0 || keys.Contains(p.Key, StringComparer.OrdinalIgnoreCase)).Select(p =>
            {
                var o = call.Json.ProjectRef(p);
                o["issuetypes"] = Array(call.Store.IssueTypes.Where(t => typeNames.Count == 0 || typeNames.Contains(t.Name, StringComparer.OrdinalIgnoreCase)).Select(t =>
                {
                    var it = call.Json.IssueType(t);
                    if (withFields)
                    {
                        it["fields"] = new JsonObject(FieldMeta(call, p, t, create: true).Select(f => KeyValuePair.Create((string)f["key"]!, (JsonNode?)f)));
                    }

                    return it;
                }));
                return o;
            })),
        }));
    }

    private static Task EditMetaAsync(JiraCall call) => call.OkAsync(Locked(call, () =>
    {
        var issue = call.Issue(call.Route("issueIdOrKey"));
        var project = call.Store.Project(issue.ProjectId);
        var fields = FieldMeta(call, project, call.Store.IssueType(issue.IssueTypeId), create: false);
        return new JsonObject { ["fields"] = new JsonObject(fields.Select(f => KeyValuePair.Create((string)f["key"]!, (JsonNode?)f))) };
    }));

    private static Task UserAsync(JiraCall call) => call.OkAsync(Locked(call, () =>
    {
        call.RequireUser();
        var id = call.Store.IsCloud ? call.Query("accountId") : call.Query("username") ?? call.Query("key");
        if (string.IsNullOrEmpty(id))
        {
            throw new JiraError(400, call.Store.IsCloud ? "The query parameter 'accountId' is required." : "The username query parameter was not provided");
        }

        var user = call.Store.Users.Find(u => call.Store.IsCloud ? u.AccountId == id : string.Equals(u.Name, id, StringComparison.OrdinalIgnoreCase) || u.Key == id)
            ?? throw new JiraError(404, call.Store.IsCloud ? $"Specified user does not exist or you do not have required permissions" : $"The user named '{id}' does not exist");
        return call.Json.User(user);
    }));

    /// <summary>Cloud searches by <c>query</c> (or <c>accountId</c>); Server by <c>username</c> (login, name or e-mail fragment).</summary>
    private static Task UserSearchAsync(JiraCall call)
    {
        call.RequireUser();
        var cloud = call.Store.IsCloud;
        var query = cloud ? call.Query("query") : call.Query("username");
        var accountId = cloud ? call.Query("accountId") : null;
        if (string.IsNullOrEmpty(query) && string.IsNullOrEmpty(accountId) && string.IsNullOrEmpty(call.Query("property")))
        {
            throw new JiraError(400, cloud ? "One of 'query' or 'accountId' query parameters must be provided." : "The username query parameter was not provided");
        }

        var startAt = Math.Max(0, call.QueryInt("startAt", 0));
        var maxResults = Math.Clamp(call.QueryInt("maxResults", 50), 1, 1000);
        return call.OkAsync(Locked(call, () => Array(call.Store.Users
            .Where(u => u.Active || call.QueryBool("includeInactive", false))
            .Where(u => accountId is not null ? u.AccountId == accountId : Matches(u, query!, cloud))
            .Skip(startAt).Take(maxResults).Select(call.Json.User))));
    }

    /// <summary>Prefix matches on e-mail and name words; a hidden e-mail matches only exactly.</summary>
    private static bool Matches(JiraUser u, string query, bool cloud) =>
        (u.HideEmail && cloud ? string.Equals(u.Email, query, StringComparison.OrdinalIgnoreCase) : u.Email.StartsWith(query, StringComparison.OrdinalIgnoreCase))
        || u.DisplayName.Split(' ').Any(w => w.StartsWith(query, StringComparison.OrdinalIgnoreCase))
        || u.DisplayName.StartsWith(query, StringComparison.OrdinalIgnoreCase)
        || (!cloud && u.Name.StartsWith(query, StringComparison.OrdinalIgnoreCase));
}
