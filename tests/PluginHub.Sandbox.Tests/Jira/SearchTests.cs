using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>Reference §10 search: Server <c>/search</c> (offset, total, cap, stable order), Cloud <c>/search/jql</c> (tokens, bounded JQL, reconcile, count).</summary>
public sealed class SearchTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    private static async Task<List<string>> CreateLabelledAsync(JiraHttp http, string label, int count)
    {
        var keys = new List<string>();
        var updates = new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject
        {
            ["fields"] = new JsonObject
            {
                ["project"] = new JsonObject { ["key"] = "SUP" },
                ["issuetype"] = new JsonObject { ["name"] = "Task" },
                ["summary"] = $"{label} {i}",
                ["labels"] = new JsonArray(label),
            },
        }).ToArray());
        var r = await http.PostAsync("/rest/api/2/issue/bulk", new JsonObject { ["issueUpdates"] = updates });
        Assert.Equal(201, r.Code);
        keys.AddRange(r.Json["issues"]!.AsArray().Select(i => i!["key"].Str()));
        return keys;
    }

    [Fact]
    public async Task Checklist_server_search_pages_with_startAt_maxResults_total_and_stable_order_get_and_post()
    {
        var keys = await CreateLabelledAsync(f.Server, "paging", 7);
        var seen = new List<string>();
        for (var startAt = 0; ; startAt += 3)
        {
            var page = (await f.Server.GetAsync($"/rest/api/2/search?jql=labels%20%3D%20paging%20ORDER%20BY%20key%20ASC&startAt={startAt}&maxResults=3&fields=summary")).Json;
            Assert.Equal(7, page["total"]!.GetValue<int>());
            Assert.Equal(startAt, page["startAt"]!.GetValue<int>());
            var issues = page["issues"]!.AsArray();
            if (issues.Count == 0)
            {
                break;
            }

            Assert.True(issues[0]!["fields"]!.AsObject().ContainsKey("summary"));
            Assert.False(issues[0]!["fields"]!.AsObject().ContainsKey("status"));
            seen.AddRange(issues.Select(i => i!["key"].Str()));
        }

        Assert.Equal(keys, seen);

        var post = (await f.Server.PostAsync("/rest/api/2/search", Json.Obj("""
            {"jql":"labels = paging ORDER BY key DESC","startAt":0,"maxResults":2,"fields":["summary","status"],"expand":["names"]}
            """))).Json;
        Assert.Equal(keys[^1], post["issues"]![0]!["key"].Str());
        Assert.Equal("Summary", post["names"]!["summary"].Str());
        Assert.True(post["issues"]![0]!["fields"]!.AsObject().ContainsKey("status"));

        var capped = (await f.Server.GetAsync("/rest/api/2/search?jql=labels%3Dpaging&maxResults=5000")).Json;
        Assert.Equal(1000, capped["maxResults"]!.GetValue<int>());
        var defaults = (await f.Server.GetAsync("/rest/api/2/search?jql=labels%3Dpaging")).Json;
        Assert.Equal(50, defaults["maxResults"]!.GetValue<int>());
        Assert.True(defaults["issues"]![0]!["fields"]!.AsObject().ContainsKey("status"), "default fields are *navigable");
    }

    [Fact]
    public async Task Checklist_cloud_search_jql_token_paging_is_last_no_total_default_id_only()
    {
        var keys = await CreateLabelledAsync(f.Cloud, "tokens", 5);
        var ids = new List<string>();
        string? token = null;
        var tokens = new HashSet<string>();
        do
        {
            var url = "/rest/api/3/search/jql?jql=labels%20%3D%20tokens%20ORDER%20BY%20updated%20ASC&maxResults=2" + (token is null ? "" : $"&nextPageToken={token}");
            var page = (await f.Cloud.GetAsync(url)).Json.AsObject();
            Assert.False(page.ContainsKey("total"));
            Assert.False(page.ContainsKey("startAt"));
            var issues = page["issues"]!.AsArray();
            Assert.All(issues, i => Assert.Equal(["id"], i!.AsObject().Select(p => p.Key).ToArray()));
            ids.AddRange(issues.Select(i => i!["id"].Str()));
            token = (string?)page["nextPageToken"];
            Assert.Equal(token is null, page["isLast"]!.GetValue<bool>());
            Assert.True(token is null || tokens.Add(token));
        }
        while (token is not null);

        Assert.Equal(5, ids.Count);

        var post = (await f.Cloud.PostAsync("/rest/api/2/search/jql", Json.Obj("""
            {"jql":"labels = tokens ORDER BY key ASC","maxResults":10,"fields":["summary","updated"],"expand":"renderedFields,names"}
            """))).Json;
        var first = post["issues"]![0]!;
        Assert.Equal(keys[0], first["key"].Str());
        Assert.Equal(["summary", "updated"], first["fields"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray());
        Assert.NotNull(first["renderedFields"]);
        Assert.True(post["isLast"]!.GetValue<bool>());
        Assert.Null(post["nextPageToken"]);
    }

    [Fact]
    public async Task Checklist_cloud_search_jql_rejects_unbounded_jql_counts_and_accepts_reconcile_issues()
    {
        foreach (var jql in new[] { "", "order by key desc" })
        {
            var r = await f.Cloud.PostAsync("/rest/api/3/search/jql", new JsonObject { ["jql"] = jql });
            Assert.Equal(400, r.Code);
            Assert.Equal("Unbounded JQL queries are not allowed here. Please add a search restriction to your query.", r.Json["errorMessages"]![0].Str());
        }

        var keys = await CreateLabelledAsync(f.Cloud, "counted", 3);
        var count = await f.Cloud.PostAsync("/rest/api/3/search/approximate-count", Json.Obj("""{"jql":"labels = counted"}"""));
        Assert.Equal(3, count.Json["count"]!.GetValue<int>());

        // Index lag: a fresh issue is invisible until reconciled.
        using var admin = new HttpClient { BaseAddress = f.CloudServer.BaseUrl };
        await admin.PostAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), new StringContent("""{"searchIndexLagMs":60000}""", System.Text.Encoding.UTF8, "application/json"));
        try
        {
            var id = (await f.Cloud.GetAsync($"/rest/api/2/issue/{keys[0]}")).Json["id"].Str();
            var lagging = (await f.Cloud.PostAsync("/rest/api/3/search/jql", Json.Obj("""{"jql":"labels = counted"}"""))).Json;
            Assert.Empty(lagging["issues"]!.AsArray());
            var reconciled = (await f.Cloud.PostAsync("/rest/api/3/search/jql", new JsonObject { ["jql"] = "labels = counted", ["reconcileIssues"] = new JsonArray(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)) })).Json;
            Assert.Equal(id, reconciled["issues"]!.AsArray().Single()!["id"].Str());
        }
        finally
        {
            await admin.PostAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), new StringContent("""{"searchIndexLagMs":0}""", System.Text.Encoding.UTF8, "application/json"));
        }

        // Words that are not JQL are a text search on Cloud; broken JQL is a 400.
        Assert.Equal(200, (await f.Cloud.GetAsync("/rest/api/3/search/jql?jql=this%20is%20not%20jql")).Code);
        var broken = await f.Cloud.GetAsync("/rest/api/3/search/jql?jql=project%20%3D%20%22unterminated");
        Assert.Equal(400, broken.Code);
        Assert.StartsWith("Error in the JQL Query: The quoted string", broken.Json["errorMessages"]![0].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polling_with_epoch_ms_and_minute_literals_in_the_users_zone_finds_changes()
    {
        var key = await f.Cloud.CreateIssueAsync("poll me", extraFields: new JsonObject { ["labels"] = new JsonArray("polled") });
        var updated = IssueTests.Parse((await f.Cloud.GetAsync($"/rest/api/2/issue/{key}")).Json["fields"]!["updated"].Str());
        var epoch = updated.ToUnixTimeMilliseconds();
        async Task<int> CountAsync(JiraHttp http, string jql) =>
            (await http.PostAsync("/rest/api/3/search/approximate-count", new JsonObject { ["jql"] = jql })).Json["count"]!.GetValue<int>();

        Assert.Equal(1, await CountAsync(f.Cloud, $"labels = polled AND updated >= {epoch}"));
        Assert.Equal(0, await CountAsync(f.Cloud, $"labels = polled AND updated > {epoch}"));

        // Minute literals are read in the caller's zone: the same wall-clock text means different instants.
        var minuteUtc = updated.ToUniversalTime().ToString("yyyy/MM/dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, await CountAsync(f.Cloud, $"labels = polled AND updated >= \"{minuteUtc}\""));
        Assert.Equal(0, await CountAsync(f.CloudDeveloper, $"labels = polled AND updated <= \"{minuteUtc}\""));
        var berlin = TimeZoneInfo.ConvertTime(updated, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Equal(1, await CountAsync(f.CloudDeveloper, $"labels = polled AND updated >= \"{berlin:yyyy-MM-dd HH:mm}\""));
        Assert.Equal(1, await CountAsync(f.Cloud, "labels = polled AND updated >= -5m"));
        Assert.Equal(0, await CountAsync(f.Cloud, "labels = polled AND updated <= -1d"));
    }

    [Fact]
    public async Task Search_limits_properties_order_by_fields_and_server_validate_query_modes()
    {
        var six = await f.Cloud.PostAsync("/rest/api/3/search/jql", Json.Obj("""{"jql":"project = SUP","properties":["a","b","c","d","e","f"]}"""));
        Assert.Equal(400, six.Code);
        var eight = await f.Cloud.PostAsync("/rest/api/3/search/jql", Json.Obj("""{"jql":"project = SUP ORDER BY key, id, created, updated, priority, status, summary, issuetype"}"""));
        Assert.Equal(400, eight.Code);

        Assert.Equal(400, (await f.Server.GetAsync("/rest/api/2/search?jql=project%3DNOPE")).Code);
        var warn = (await f.Server.GetAsync("/rest/api/2/search?jql=project%3DNOPE&validateQuery=warn")).Json;
        Assert.Equal(0, warn["total"]!.GetValue<int>());
        Assert.Equal("The value 'NOPE' does not exist for the field 'project'.", warn["warningMessages"]![0].Str());
        var none = (await f.Server.PostAsync("/rest/api/2/search", Json.Obj("""{"jql":"project = NOPE","validateQuery":"none"}"""))).Json;
        Assert.Empty(none["warningMessages"]!.AsArray());
        // Syntax errors stay errors whatever the validation mode.
        Assert.Equal(400, (await f.Server.GetAsync("/rest/api/2/search?jql=project%3D%22x&validateQuery=warn")).Code);
    }
}
