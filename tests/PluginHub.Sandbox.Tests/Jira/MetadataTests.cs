using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>Reference §10 "Operations": myself, serverInfo, field, priority, status, project, createmeta, editmeta, users (§6).</summary>
public sealed class MetadataTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    [Fact]
    public async Task Checklist_fields_priorities_statuses_projects()
    {
        var fields = (await f.Cloud.GetAsync("/rest/api/2/field")).Json.AsArray();
        var sfId = fields.Single(x => x!["id"].Str() == "customfield_10042")!;
        Assert.Equal("Salesforce Case Id", sfId["name"].Str());
        Assert.True(sfId["custom"]!.GetValue<bool>());
        Assert.Equal(["cf[10042]", "Salesforce Case Id"], sfId["clauseNames"]!.AsArray().Select(c => c.Str()).ToArray());
        Assert.Equal(10042, sfId["schema"]!["customId"]!.GetValue<int>());
        Assert.Contains(fields, x => x!["id"].Str() == "summary" && !x["custom"]!.GetValue<bool>());

        var priorities = (await f.Cloud.GetAsync("/rest/api/2/priority")).Json.AsArray();
        Assert.Equal(["Highest", "High", "Medium", "Low", "Lowest"], priorities.Select(p => p!["name"].Str()).ToArray());
        var prioritySearch = (await f.Cloud.GetAsync("/rest/api/2/priority/search?maxResults=2")).Json;
        Assert.Equal(5, prioritySearch["total"]!.GetValue<int>());
        Assert.Equal(2, prioritySearch["values"]!.AsArray().Count);
        Assert.False(prioritySearch["isLast"]!.GetValue<bool>());

        var project = (await f.Cloud.GetAsync("/rest/api/2/project/sup")).Json;
        Assert.Equal("SUP", project["key"].Str());
        Assert.Equal("10000", project["id"].Str());
        Assert.Contains(project["issueTypes"]!.AsArray(), t => t!["name"].Str() == "Bug");
        Assert.Equal(404, (await f.Cloud.GetAsync("/rest/api/2/project/NOPE")).Code);
        Assert.Equal(1, (await f.Cloud.GetAsync("/rest/api/3/project/search")).Json["total"]!.GetValue<int>());
        Assert.Single((await f.Server.GetAsync("/rest/api/2/project")).Json.AsArray());

        var statuses = (await f.Cloud.GetAsync("/rest/api/2/project/SUP/statuses")).Json.AsArray();
        var bug = statuses.Single(s => s!["name"].Str() == "Bug")!;
        Assert.Contains(bug["statuses"]!.AsArray(), s => s!["name"].Str() == "In Review");
        var task = statuses.Single(s => s!["name"].Str() == "Task")!;
        Assert.DoesNotContain(task["statuses"]!.AsArray(), s => s!["name"].Str() == "In Review");
    }

    [Fact]
    public async Task Checklist_createmeta_new_paginated_forms_cloud_issueTypes_fields_server_values_and_old_form()
    {
        var types = (await f.Cloud.GetAsync("/rest/api/2/issue/createmeta/SUP/issuetypes")).Json;
        Assert.Equal(2, types["total"]!.GetValue<int>());
        Assert.Equal("Task", types["issueTypes"]![0]!["name"].Str());
        var fields = (await f.Cloud.GetAsync("/rest/api/2/issue/createmeta/SUP/issuetypes/10001?maxResults=200")).Json;
        var summary = fields["fields"]!.AsArray().Single(x => x!["fieldId"].Str() == "summary")!;
        Assert.True(summary["required"]!.GetValue<bool>());
        var tier = fields["fields"]!.AsArray().Single(x => x!["fieldId"].Str() == "customfield_10043")!;
        Assert.Equal(["Gold", "Silver", "Bronze"], tier["allowedValues"]!.AsArray().Select(v => v!["value"].Str()).ToArray());
        var bugFields = (await f.Cloud.GetAsync("/rest/api/2/issue/createmeta/SUP/issuetypes/10002")).Json["fields"]!.AsArray();
        Assert.DoesNotContain(bugFields, x => x!["fieldId"].Str() == "customfield_10044");
        var paged = (await f.Cloud.GetAsync("/rest/api/2/issue/createmeta/SUP/issuetypes/10001?startAt=1&maxResults=2")).Json;
        Assert.Equal(2, paged["fields"]!.AsArray().Count);
        Assert.Equal(1, paged["startAt"]!.GetValue<int>());

        var server = (await f.Server.GetAsync("/rest/api/2/issue/createmeta/SUP/issuetypes")).Json;
        Assert.NotNull(server["values"]);
        Assert.True(server["isLast"]!.GetValue<bool>());
        Assert.NotNull((await f.Server.GetAsync("/rest/api/2/issue/createmeta/SUP/issuetypes/10001")).Json["values"]);

        var old = (await f.Cloud.GetAsync("/rest/api/2/issue/createmeta?projectKeys=SUP&issuetypeNames=Task&expand=projects.issuetypes.fields")).Json;
        Assert.True(old["projects"]![0]!["issuetypes"]![0]!["fields"]!["summary"]!["required"]!.GetValue<bool>());
        var removed = await f.Server.GetAsync("/rest/api/2/issue/createmeta?projectKeys=SUP");
        Assert.Equal(404, removed.Code);
        Assert.Equal("Issue Does Not Exist", removed.Json["errorMessages"]![0].Str());

        // A DC 8 instance still has it.
        using var admin = new HttpClient { BaseAddress = f.ServerServer.BaseUrl };
        await admin.PostAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), new StringContent("""{"serverVersion":"8.20.1"}""", System.Text.Encoding.UTF8, "application/json"));
        try
        {
            Assert.Equal(new[] { 8, 20, 1 }, (await f.Server.GetAsync("/rest/api/2/serverInfo")).Json["versionNumbers"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray());
            Assert.Equal("SUP", (await f.Server.GetAsync("/rest/api/2/issue/createmeta?projectKeys=SUP")).Json["projects"]![0]!["key"].Str());
        }
        finally
        {
            await admin.PostAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), new StringContent("""{"serverVersion":"9.12.0"}""", System.Text.Encoding.UTF8, "application/json"));
        }
    }

    [Fact]
    public async Task Checklist_editmeta_lists_the_editable_fields()
    {
        var key = await f.Cloud.CreateIssueAsync("editmeta", "Bug");
        var meta = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/editmeta")).Json["fields"]!.AsObject();
        Assert.True(meta.ContainsKey("summary"));
        Assert.True(meta.ContainsKey("customfield_10042"));
        Assert.False(meta.ContainsKey("customfield_10044"));
        Assert.Equal(["add", "set", "remove"], meta["labels"]!["operations"]!.AsArray().Select(o => o.Str()).ToArray());
    }

    [Fact]
    public async Task Checklist_user_search_query_on_cloud_username_on_server_and_assignable()
    {
        var cloud = (await f.Cloud.GetAsync("/rest/api/2/user/search?query=developer@pluginhub.test")).Json.AsArray();
        Assert.Equal("5b10a2844c20165700ede22h", cloud.Single()!["accountId"].Str());
        Assert.Single((await f.Cloud.GetAsync("/rest/api/2/user/search?query=Dana")).Json.AsArray());
        Assert.Single((await f.Cloud.GetAsync("/rest/api/2/user/search?accountId=5b10a2844c20165700ede21g")).Json.AsArray());
        Assert.Equal(400, (await f.Cloud.GetAsync("/rest/api/2/user/search")).Code);
        Assert.Equal(400, (await f.Cloud.GetAsync("/rest/api/2/user/search?username=developer")).Code);
        Assert.Equal("PluginHub Integration", (await f.Cloud.GetAsync("/rest/api/2/user/assignable/search?project=SUP&query=plugin")).Json.AsArray().Single()!["displayName"].Str());

        var server = (await f.Server.GetAsync("/rest/api/2/user/search?username=dev")).Json.AsArray();
        Assert.Equal("developer", server.Single()!["name"].Str());
        Assert.Equal(400, (await f.Server.GetAsync("/rest/api/2/user/search?query=dev")).Code);
        Assert.Equal("developer", (await f.Server.GetAsync("/rest/api/2/user?username=developer")).Json["name"].Str());
        Assert.Equal("Dana Developer", (await f.Cloud.GetAsync("/rest/api/2/user?accountId=5b10a2844c20165700ede22h")).Json["displayName"].Str());
    }

    [Fact]
    public async Task Admin_routes_add_custom_fields_issue_types_and_users_and_reset_restores_the_initial_state()
    {
        using var admin = new HttpClient { BaseAddress = f.ServerServer.BaseUrl };
        async Task<JsonNode> PostAsync(string path, string json)
        {
            var r = await admin.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(201, (int)r.StatusCode);
            return JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        }

        var field = await PostAsync("/_sandbox/jira/customfields", """{"name":"Severity","type":"select","options":["S1","S2"]}""");
        var fieldId = field["id"].Str();
        Assert.StartsWith("customfield_", fieldId, StringComparison.Ordinal);
        var type = await PostAsync("/_sandbox/jira/issuetypes", """{"name":"Incident"}""");
        var user = await PostAsync("/_sandbox/jira/users", """{"email":"qa@pluginhub.test","token":"qa-token","displayName":"Quinn QA","timeZone":"America/New_York"}""");
        Assert.Equal("qa", user["name"].Str());

        using var qa = f.Client(f.ServerServer, "qa", "qa-token");
        var create = await qa.PostAsync("/rest/api/2/issue", new JsonObject
        {
            ["fields"] = new JsonObject
            {
                ["project"] = new JsonObject { ["key"] = "SUP" },
                ["issuetype"] = new JsonObject { ["id"] = type["id"].Str() },
                ["summary"] = "incident",
                [fieldId] = new JsonObject { ["value"] = "S2" },
            },
        });
        Assert.Equal(201, create.Code);
        var issue = (await qa.GetAsync($"/rest/api/2/issue/{create.Json["key"].Str()}")).Json;
        Assert.Equal("S2", issue["fields"]![fieldId]!["value"].Str());
        Assert.Equal("qa", issue["fields"]!["reporter"]!["name"].Str());
        Assert.EndsWith("-0500", issue["fields"]!["created"].Str(), StringComparison.Ordinal);

        Assert.Equal(204, (int)(await admin.PostAsync(new Uri("/_sandbox/reset", UriKind.Relative), null)).StatusCode);
        Assert.Equal(401, (await qa.GetAsync("/rest/api/2/myself")).Code);
        Assert.Equal(0, (await f.Server.GetAsync("/rest/api/2/search?jql=project%3DSUP")).Json["total"]!.GetValue<int>());
        Assert.DoesNotContain((await f.Server.GetAsync("/rest/api/2/field")).Json.AsArray(), x => x!["id"].Str() == fieldId);
    }
}
