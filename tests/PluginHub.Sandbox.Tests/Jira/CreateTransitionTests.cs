using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>
/// A <c>transition</c> in a create or bulk-create request (reference §3.2, OpenAPI <c>IssueUpdateDetails.transition</c>,
/// <c>CreatedIssue.transition</c>): Cloud creates the issue, then applies the transition as the workflow allows from the
/// initial status, and reports the transition's own outcome in the created issue; Server/Data Center ignores it.
/// </summary>
public sealed class CreateTransitionTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    private static JsonObject Entry(string summary, string? transitionId, string type = "Task") => new()
    {
        ["fields"] = new JsonObject { ["project"] = new JsonObject { ["key"] = "SUP" }, ["issuetype"] = new JsonObject { ["name"] = type }, ["summary"] = summary },
        ["transition"] = transitionId is null ? null : new JsonObject { ["id"] = transitionId },
    };

    private static async Task<JsonNode> StatusAsync(JiraHttp http, string key) =>
        (await http.GetAsync($"/rest/api/2/issue/{key}?fields=status,resolution")).Json["fields"]!;

    private async Task SettingsAsync(object settings)
    {
        using var admin = new HttpClient { BaseAddress = f.CloudServer.BaseUrl };
        (await admin.PostAsJsonAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), settings)).EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData("2")]
    [InlineData("3")]
    public async Task A_create_applies_a_transition_available_from_the_initial_status(string version)
    {
        var response = await f.Cloud.PostAsync($"/rest/api/{version}/issue", Entry("born in progress", "11"));

        Assert.Equal(201, response.Code);
        OpenApiValidator.AssertValid(response.Json, "CreatedIssue");
        Assert.Equal(200, response.Json["transition"]!["status"]!.GetValue<int>());
        Assert.Empty(response.Json["transition"]!["errorCollection"]!["errorMessages"]!.AsArray());
        var fields = await StatusAsync(f.Cloud, response.Json["key"].Str());
        Assert.Equal("In Progress", fields["status"]!["name"].Str());
        var history = (await f.Cloud.GetAsync($"/rest/api/2/issue/{response.Json["key"].Str()}/changelog")).Json["values"]!.AsArray();
        Assert.Contains(history, h => h!["items"]!.AsArray().Any(i => i!["field"].Str() == "status" && i["toString"].Str() == "In Progress"));
    }

    [Fact]
    public async Task A_transition_not_available_from_the_initial_status_leaves_the_issue_created_and_reports_the_error()
    {
        // Done (21) leads from In Progress only.
        var response = await f.Cloud.PostAsync("/rest/api/2/issue", Entry("not done yet", "21"));

        Assert.Equal(201, response.Code);
        OpenApiValidator.AssertValid(response.Json, "CreatedIssue");
        Assert.Equal(400, response.Json["transition"]!["status"]!.GetValue<int>());
        Assert.Equal("Transition id '21' is not valid for this issue.", response.Json["transition"]!["errorCollection"]!["errorMessages"]![0].Str());
        Assert.Equal("To Do", (await StatusAsync(f.Cloud, response.Json["key"].Str()))["status"]!["name"].Str());
    }

    [Fact]
    public async Task A_bulk_create_reports_each_issues_transition_and_a_required_resolution_cannot_be_given_on_create()
    {
        using var admin = new HttpClient { BaseAddress = f.CloudServer.BaseUrl };
        var type = "Quick " + Guid.NewGuid().ToString("N")[..6];
        (await admin.PostAsJsonAsync(new Uri("/_sandbox/jira/issuetypes", UriKind.Relative), new
        {
            name = type,
            workflow = new
            {
                initial = "To Do",
                transitions = new object[]
                {
                    new { id = 11, name = "Start Progress", from = new[] { "To Do" }, to = "In Progress" },
                    new { id = 81, name = "Resolve", from = new[] { "To Do" }, to = "Done", resolutionOnScreen = true, resolutionRequired = true },
                },
            },
        })).EnsureSuccessStatusCode();

        var response = await f.Cloud.PostAsync("/rest/api/2/issue/bulk", new JsonObject
        {
            ["issueUpdates"] = new JsonArray(Entry("started", "11", type), Entry("plain", null, type), Entry("resolved", "81", type), Entry("bad", "999", type),
                new JsonObject { ["fields"] = new JsonObject { ["project"] = new JsonObject { ["key"] = "SUP" }, ["issuetype"] = new JsonObject { ["name"] = type } }, ["transition"] = new JsonObject { ["id"] = "11" } }),
        });

        Assert.Equal(201, response.Code);
        OpenApiValidator.AssertValid(response.Json, "CreatedIssues");
        var issues = response.Json["issues"]!.AsArray();
        Assert.Equal(4, issues.Count);
        Assert.Equal(4, Assert.Single(response.Json["errors"]!.AsArray())!["failedElementNumber"]!.GetValue<int>()); // no summary: the create itself fails
        Assert.Equal(200, issues[0]!["transition"]!["status"]!.GetValue<int>());
        Assert.Null(issues[1]!["transition"]);
        Assert.Equal(400, issues[2]!["transition"]!["status"]!.GetValue<int>());
        Assert.Equal("Resolution is required.", issues[2]!["transition"]!["errorCollection"]!["errors"]!["resolution"].Str());
        Assert.Equal(400, issues[3]!["transition"]!["status"]!.GetValue<int>());
        Assert.Equal(["In Progress", "To Do", "To Do", "To Do"],
            await Task.WhenAll(issues.Select(async i => (await StatusAsync(f.Cloud, i!["key"].Str()))["status"]!["name"].Str())));
    }

    [Fact]
    public async Task The_rejecting_variant_fails_the_whole_create_and_creates_nothing()
    {
        await SettingsAsync(new { createTransitionRejectsIssue = true });
        try
        {
            var before = (await f.Cloud.PostAsync("/rest/api/3/search/approximate-count", new JsonObject { ["jql"] = "project = SUP" })).Json["count"]!.GetValue<int>();

            var single = await f.Cloud.PostAsync("/rest/api/2/issue", Entry("rejected", "21"));
            var bulk = await f.Cloud.PostAsync("/rest/api/2/issue/bulk", new JsonObject { ["issueUpdates"] = new JsonArray(Entry("fine", "11"), Entry("rejected", "21")) });

            Assert.Equal(400, single.Code);
            Assert.Equal("Transition id '21' is not valid for this issue.", single.Json["errorMessages"]![0].Str());
            Assert.Equal(201, bulk.Code);
            Assert.Single(bulk.Json["issues"]!.AsArray());
            var error = Assert.Single(bulk.Json["errors"]!.AsArray())!;
            Assert.Equal(1, error["failedElementNumber"]!.GetValue<int>());
            Assert.Equal("Transition id '21' is not valid for this issue.", error["elementErrors"]!["errorMessages"]![0].Str());
            var after = (await f.Cloud.PostAsync("/rest/api/3/search/approximate-count", new JsonObject { ["jql"] = "project = SUP" })).Json["count"]!.GetValue<int>();
            Assert.Equal(before + 1, after);
        }
        finally
        {
            await SettingsAsync(new { createTransitionRejectsIssue = false });
        }
    }

    [Fact]
    public async Task Server_ignores_a_transition_on_create()
    {
        var response = await f.Server.PostAsync("/rest/api/2/issue", Entry("server", "11"));

        Assert.Equal(201, response.Code);
        Assert.Null(response.Json["transition"]);
        Assert.Equal("To Do", (await StatusAsync(f.Server, response.Json["key"].Str()))["status"]!["name"].Str());
    }
}
