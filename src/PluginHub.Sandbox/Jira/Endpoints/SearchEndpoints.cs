using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PluginHub.Sandbox.Jira.Jql;
using PluginHub.Sandbox.Jira.Model;
using PluginHub.Sandbox.Jira.Rendering;

namespace PluginHub.Sandbox.Jira.Endpoints;

/// <summary>
/// Search (reference §2): Server's offset-paged <c>/search</c>; Cloud's token-paged <c>/search/jql</c> and
/// <c>approximate-count</c>, with <c>/search</c> answering 410 Gone (unless the legacy switch is on).
/// </summary>
internal static class SearchEndpoints
{
    public const int ServerMaxResultsCap = 1000;

    public const string RemovedMessage = "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046";

    public const string UnboundedMessage = "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.";

    public static void Map(IEndpointRouteBuilder api, string version, bool cloud)
    {
        api.MapGet("/search", JiraCall.Handle(version, OffsetSearchAsync));
        api.MapPost("/search", JiraCall.Handle(version, OffsetSearchAsync));
        if (cloud)
        {
            api.MapPost("/search/id", JiraCall.Handle(version, call => throw new JiraError(410, RemovedMessage)));
            api.MapGet("/search/jql", JiraCall.Handle(version, EnhancedSearchAsync));
            api.MapPost("/search/jql", JiraCall.Handle(version, EnhancedSearchAsync));
            api.MapPost("/search/approximate-count", JiraCall.Handle(version, CountAsync));
        }
    }

    /// <summary>Search parameters from the query string (GET) or the JSON body (POST), arrays in either form.</summary>
    private sealed record SearchRequest(string Jql, int? StartAt, int? MaxResults, List<string> Fields, List<string> Expand, List<string> Properties, string? NextPageToken, List<int> Reconcile)
    {
        public string? ValidateQuery { get; init; }
    }

    private static async Task<SearchRequest> ReadAsync(JiraCall call)
    {
        if (HttpMethods.IsGet(call.Http.Request.Method))
        {
            return new SearchRequest(call.Query("jql") ?? "", Int(call.Query("startAt")), Int(call.Query("maxResults")), call.QueryList("fields"), call.QueryList("expand"),
                call.QueryList("properties"), call.Query("nextPageToken"), call.QueryList("reconcileIssues").Select(s => Int(s) ?? 0).ToList())
            {
                ValidateQuery = call.Query("validateQuery"),
            };
        }

        var body = await call.ReadObjectAsync();
        static List<string> Strings(JsonNode? node) => node switch
        {
            JsonArray a => a.Select(x => (string?)x ?? "").SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
            JsonValue v when v.TryGetValue<string>(out var s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            _ => [],
        };
        return new SearchRequest((string?)body["jql"] ?? "", (int?)body["startAt"], (int?)body["maxResults"], Strings(body["fields"]), Strings(body["expand"]),
            Strings(body["properties"]), (string?)body["nextPageToken"], (body["reconcileIssues"] as JsonArray ?? []).Select(x => (int?)x ?? 0).ToList())
        {
            ValidateQuery = body["validateQuery"]?.ToString(),
        };
    }

    private static int? Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public const int MaxProperties = 5;

    public const int MaxOrderByFields = 7;

    private static CompiledJql Compile(JiraCall call, string jql, bool enhanced = false)
    {
        try
        {
            var query = JqlSearch.Parse(jql, call.Store.IsCloud);
            if (enhanced && query.OrderBy.Count > MaxOrderByFields)
            {
                throw new JiraError(400, $"The ORDER BY clause can contain at most {MaxOrderByFields} fields.");
            }

            return new JqlCompiler(call.Store, call.User, call.Store.Time.GetUtcNow()).Compile(query);
        }
        catch (JqlException e)
        {
            throw new JiraError(400, e.Message);
        }
    }

    private static void CheckProperties(SearchRequest request)
    {
        if (request.Properties.Count > MaxProperties)
        {
            throw new JiraError(400, $"The maximum number of properties is {MaxProperties}.");
        }
    }

    private static async Task OffsetSearchAsync(JiraCall call)
    {
        if (call.Store.IsCloud && !call.Store.LegacySearch)
        {
            throw new JiraError(410, RemovedMessage);
        }

        var request = await ReadAsync(call);
        CheckProperties(request);
        var startAt = Math.Max(0, request.StartAt ?? 0);
        var maxResults = Math.Clamp(request.MaxResults ?? 50, 0, ServerMaxResultsCap);
        var validate = request.ValidateQuery?.ToLowerInvariant() ?? "strict";
        JsonObject result;
        JsonObject? warning = null;
        lock (call.Store.Gate)
        {
            CompiledJql? compiled;
            try
            {
                compiled = Compile(call, request.Jql);
            }
            catch (JiraError e) when (validate is "warn" or "none" or "false" && e.Message.StartsWith("The value '", StringComparison.Ordinal))
            {
                // Non-strict validation: an unknown value matches nothing and becomes a warning instead of a 400.
                warning = new JsonObject
                {
                    ["expand"] = "schema,names",
                    ["startAt"] = startAt,
                    ["maxResults"] = maxResults,
                    ["total"] = 0,
                    ["issues"] = new JsonArray(),
                    ["warningMessages"] = validate == "warn" ? new JsonArray(e.Message) : new JsonArray(),
                };
                compiled = null;
            }

            if (compiled is null)
            {
                result = warning!;
            }
            else
            {
                var found = JqlSearch.Run(call.Store, compiled, startAt, maxResults, needTotal: true);
                var fields = FieldSelection.Parse(request.Fields, "*navigable");
                var expand = request.Expand.ToHashSet(StringComparer.Ordinal);
                result = new JsonObject
                {
                    ["expand"] = "schema,names",
                    ["startAt"] = startAt,
                    ["maxResults"] = maxResults,
                    ["total"] = found.Total,
                    ["issues"] = Render(call, found.Issues, fields, expand, request.Properties),
                };
                AddNamesAndSchema(call, result, expand, fields);
            }
        }

        await call.OkAsync(result);
    }

    private static JsonArray Render(JiraCall call, List<JiraIssue> page, FieldSelection fields, HashSet<string> expand, List<string> properties)
    {
        var issueExpand = expand.Where(e => e is not ("names" or "schema")).ToHashSet(StringComparer.Ordinal);
        return new JsonArray(page.Select(i =>
        {
            var o = call.Json.Issue(i, fields, issueExpand, properties.Contains("*all") ? i.Properties?.Keys.ToList() ?? [] : properties);
            return (JsonNode)o;
        }).ToArray());
    }

    private static void AddNamesAndSchema(JiraCall call, JsonObject result, HashSet<string> expand, FieldSelection fields)
    {
        var ids = call.Store.IssueTypes.SelectMany(call.Json.FieldIds).Distinct().Where(fields.Includes).ToList();
        if (expand.Contains("names"))
        {
            result["names"] = new JsonObject(ids.Select(id => KeyValuePair.Create(id, (JsonNode?)call.Json.FieldName(id))));
        }

        if (expand.Contains("schema"))
        {
            result["schema"] = new JsonObject(ids.Select(id => KeyValuePair.Create(id, (JsonNode?)call.Json.FieldSchema(id))));
        }
    }

    private static async Task EnhancedSearchAsync(JiraCall call)
    {
        var request = await ReadAsync(call);
        CheckProperties(request);
        var offset = 0;
        if (!string.IsNullOrEmpty(request.NextPageToken))
        {
            offset = DecodeToken(request.NextPageToken) ?? throw new JiraError(400, "The provided next page token is invalid or expired.");
        }

        JsonObject result;
        lock (call.Store.Gate)
        {
            var compiled = Compile(call, request.Jql, enhanced: true);
            if (!compiled.HasRestriction)
            {
                throw new JiraError(400, UnboundedMessage);
            }

            var fields = FieldSelection.Parse(request.Fields, "id");
            // Page size is advisory: large pages only when nothing but ids is asked for.
            var cap = fields.IdOnly ? 5000 : 100;
            var maxResults = Math.Clamp(request.MaxResults ?? 50, 1, cap);
            var found = JqlSearch.Run(call.Store, compiled, offset, maxResults, needTotal: false, Visible(call.Store, request.Reconcile));
            var page = found.Issues;
            var expand = request.Expand.ToHashSet(StringComparer.Ordinal);
            var issues = fields.IdOnly && expand.Count == 0 && request.Properties.Count == 0
                ? new JsonArray(page.Select(i => (JsonNode)new JsonObject { ["id"] = JiraJson.Id(i.Id) }).ToArray())
                : Render(call, page, fields, expand, request.Properties);
            var isLast = !found.HasMore;
            result = new JsonObject { ["issues"] = issues };
            if (expand.Contains("names") || expand.Contains("schema"))
            {
                AddNamesAndSchema(call, result, expand, fields);
            }

            if (!isLast)
            {
                result["nextPageToken"] = EncodeToken(offset + page.Count);
            }

            result["isLast"] = isLast;
        }

        await call.OkAsync(result);
    }

    /// <summary>Index lag (fault switch): recently updated issues stay invisible unless the caller reconciles them.</summary>
    private static Func<JiraIssue, bool>? Visible(JiraStore store, List<int> reconcile)
    {
        if (store.SearchIndexLagMs <= 0)
        {
            return null;
        }

        var horizon = store.NowMs() - store.SearchIndexLagMs;
        return i => i.Updated <= horizon || reconcile.Contains(i.Id);
    }

    private static async Task CountAsync(JiraCall call)
    {
        var body = await call.ReadObjectAsync();
        int count;
        lock (call.Store.Gate)
        {
            var compiled = Compile(call, (string?)body["jql"] ?? "");
            if (!compiled.HasRestriction)
            {
                throw new JiraError(400, UnboundedMessage);
            }

            count = JqlSearch.Count(call.Store, compiled);
        }

        await call.OkAsync(new JsonObject { ["count"] = count });
    }

    private static string EncodeToken(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"sbx:{offset}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static int? DecodeToken(string token)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return text.StartsWith("sbx:", StringComparison.Ordinal) ? Int(text[4..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
