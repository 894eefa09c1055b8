using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>Cloud's <c>POST /rest/api/{2,3}/issue/bulkfetch</c> and the embedded comment page, as the OpenAPI document describes them.</summary>
public sealed class BulkFetchTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    private static async Task SettingsAsync(Uri baseUrl, object settings)
    {
        using var admin = new HttpClient { BaseAddress = baseUrl };
        (await admin.PostAsJsonAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), settings)).EnsureSuccessStatusCode();
    }

    private static JsonObject Body(IEnumerable<string> idsOrKeys, params string[] fields) => new()
    {
        ["issueIdsOrKeys"] = new JsonArray([.. idsOrKeys.Select(i => (JsonNode)JsonValue.Create(i))]),
        ["fields"] = new JsonArray([.. fields.Select(x => (JsonNode)JsonValue.Create(x))]),
    };

    [Theory]
    [InlineData("2")]
    [InlineData("3")]
    public async Task Issues_come_by_id_or_key_in_id_order_and_missing_ones_are_left_out(string version)
    {
        var first = await f.Cloud.CreateIssueAsync("fetched first");
        var second = await f.Cloud.CreateIssueAsync("fetched second", extraFields: new JsonObject { ["labels"] = new JsonArray("fetched") });
        var secondId = (string)(await f.Cloud.GetAsync($"/rest/api/2/issue/{second}?fields=summary")).Json["id"]!;

        var r = await f.Cloud.PostAsync($"/rest/api/{version}/issue/bulkfetch", Body([secondId, first.ToLowerInvariant(), "SUP-999999", "99999999", second], "summary", "labels"));

        Assert.Equal(200, r.Code);
        Assert.StartsWith("application/json", r.ContentType, StringComparison.Ordinal);
        var issues = r.Json["issues"]!.AsArray();
        Assert.Equal([first, second], issues.Select(i => (string)i!["key"]!)); // ascending id, each once
        Assert.Empty(r.Json["issueErrors"]!.AsArray()); // not found or invisible: simply absent
        Assert.EndsWith($"/rest/api/{version}/issue/{secondId}", (string)issues[1]!["self"]!, StringComparison.Ordinal);
        Assert.Equal(["summary", "labels"], issues[1]!["fields"]!.AsObject().Select(p => p.Key));
        OpenApiValidator.AssertValid(r.Json, "BulkIssueResults");
    }

    [Fact]
    public async Task Fields_default_to_navigable_and_expand_and_properties_are_lists()
    {
        var key = await f.Cloud.CreateIssueAsync("fetched with defaults");
        await f.Cloud.PutAsync($"/rest/api/2/issue/{key}/properties/pluginhub", new JsonObject { ["id"] = "500XX" });
        await f.Cloud.PostAsync($"/rest/api/2/issue/{key}/comment", new JsonObject { ["body"] = "hidden by default" });

        var r = await f.Cloud.PostAsync("/rest/api/3/issue/bulkfetch", new JsonObject
        {
            ["issueIdsOrKeys"] = new JsonArray(key),
            ["expand"] = new JsonArray("changelog", "names"),
            ["properties"] = new JsonArray("pluginhub"),
        });

        var issue = r.Json["issues"]![0]!;
        var fields = issue["fields"]!.AsObject();
        Assert.True(fields.ContainsKey("summary"));
        Assert.False(fields.ContainsKey("comment")); // not navigable
        Assert.Equal("500XX", (string?)issue["properties"]!["pluginhub"]!["id"]);
        Assert.NotNull(issue["changelog"]);
        Assert.Equal("Summary", (string?)issue["names"]!["summary"]);
        OpenApiValidator.AssertValid(r.Json, "BulkIssueResults");
    }

    [Fact]
    public async Task Limits_credentials_and_flavour_are_checked()
    {
        var none = await f.Cloud.PostAsync("/rest/api/3/issue/bulkfetch", Body([], "summary"));
        var tooMany = await f.Cloud.PostAsync("/rest/api/3/issue/bulkfetch", Body(Enumerable.Range(10000, 101).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), "summary"));
        var sixProperties = await f.Cloud.PostAsync("/rest/api/3/issue/bulkfetch", new JsonObject
        {
            ["issueIdsOrKeys"] = new JsonArray("SUP-1"),
            ["properties"] = new JsonArray("a", "b", "c", "d", "e", "f"),
        });
        using var wrong = f.Client(f.CloudServer, JiraSandboxFixture.IntegrationEmail, "wrong-token");
        var unauthorized = await wrong.PostAsync("/rest/api/3/issue/bulkfetch", Body(["SUP-1"], "summary"));
        var anonymous = await f.Anonymous.PostAsync("/rest/api/2/issue/bulkfetch", Body([await f.Cloud.CreateIssueAsync("private")], "summary"));
        var server = await f.Server.PostAsync("/rest/api/2/issue/bulkfetch", Body(["SUP-1"], "summary"));

        Assert.Equal(400, none.Code);
        Assert.NotEmpty(none.Json["errorMessages"]!.AsArray());
        Assert.Equal(400, tooMany.Code);
        Assert.Contains("100", (string?)tooMany.Json["errorMessages"]![0], StringComparison.Ordinal);
        Assert.Equal(400, sixProperties.Code);
        Assert.Equal(401, unauthorized.Code);
        Assert.Equal("AUTHENTICATED_FAILED", unauthorized.Header("X-Seraph-LoginReason"));
        Assert.Equal(200, anonymous.Code); // "can be accessed anonymously": it sees nothing without browse rights
        Assert.Empty(anonymous.Json["issues"]!.AsArray());
        Assert.InRange(server.Code, 404, 405); // Server/Data Center has no bulk fetch
    }

    [Fact]
    public async Task It_reads_writes_the_search_index_has_not_caught_up_with()
    {
        await SettingsAsync(f.CloudServer.BaseUrl, new { searchIndexLagMs = 60_000 });
        try
        {
            var key = await f.Cloud.CreateIssueAsync("fresh " + Guid.NewGuid().ToString("N")[..8]);

            var searched = await f.Cloud.PostAsync("/rest/api/3/search/jql", new JsonObject { ["jql"] = $"key = {key}", ["fields"] = new JsonArray("summary") });
            var fetched = await f.Cloud.PostAsync("/rest/api/3/issue/bulkfetch", Body([key], "summary"));

            Assert.Empty(searched.Json["issues"]!.AsArray());
            Assert.Equal(key, (string?)fetched.Json["issues"]![0]!["key"]);
        }
        finally
        {
            await SettingsAsync(f.CloudServer.BaseUrl, new { searchIndexLagMs = 0 });
        }
    }

    [Fact]
    public async Task The_embedded_changelog_holds_the_forty_most_recent_histories()
    {
        var key = await f.Cloud.CreateIssueAsync("edited often");
        for (var i = 0; i < 45; i++)
        {
            Assert.Equal(204, (await f.Cloud.PutAsync($"/rest/api/2/issue/{key}", new JsonObject { ["fields"] = new JsonObject { ["summary"] = $"edit {i}" } })).Code);
        }

        var r = await f.Cloud.PostAsync("/rest/api/2/issue/bulkfetch", new JsonObject { ["issueIdsOrKeys"] = new JsonArray(key), ["fields"] = new JsonArray("summary"), ["expand"] = new JsonArray("changelog") });

        var changelog = r.Json["issues"]![0]!["changelog"]!;
        Assert.Equal(45, (int)changelog["total"]!);
        var histories = changelog["histories"]!.AsArray();
        Assert.Equal(40, histories.Count);
        Assert.Contains(histories, h => (string?)h!["items"]![0]!["toString"] == "edit 44");
        Assert.DoesNotContain(histories, h => (string?)h!["items"]![0]!["toString"] == "edit 0");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_embedded_comment_page_can_be_cut_short_while_total_keeps_the_count(bool cloud)
    {
        var client = cloud ? f.Cloud : f.Server;
        var baseUrl = cloud ? f.CloudServer.BaseUrl : f.ServerServer.BaseUrl;
        var key = await client.CreateIssueAsync("talkative");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(201, (await client.PostAsync($"/rest/api/2/issue/{key}/comment", new JsonObject { ["body"] = $"comment {i}" })).Code);
        }

        await SettingsAsync(baseUrl, new { embeddedCommentLimit = 2 });
        JsonNode embedded, listed;
        try
        {
            embedded = (await client.GetAsync($"/rest/api/2/issue/{key}?fields=comment")).Json["fields"]!["comment"]!;
            listed = (await client.GetAsync($"/rest/api/2/issue/{key}/comment")).Json;
        }
        finally
        {
            await SettingsAsync(baseUrl, new { embeddedCommentLimit = 0 });
        }

        var whole = (await client.GetAsync($"/rest/api/2/issue/{key}?fields=comment")).Json["fields"]!["comment"]!;
        Assert.Equal(["comment 0", "comment 1"], embedded["comments"]!.AsArray().Select(c => (string)c!["body"]!));
        Assert.Equal(3, (int)embedded["total"]!);
        Assert.Equal(2, (int)embedded["maxResults"]!);
        Assert.Equal(3, listed["comments"]!.AsArray().Count); // the comment route is not cut
        Assert.Equal(3, whole["comments"]!.AsArray().Count);
        if (cloud)
        {
            OpenApiValidator.AssertValid(embedded, "PageOfComments");
        }
    }
}
