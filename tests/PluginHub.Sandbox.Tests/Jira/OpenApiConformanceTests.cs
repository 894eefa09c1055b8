using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>Reference §10 "strict response validation": the main v3 responses against Atlassian's OpenAPI schemas.</summary>
public sealed class OpenApiConformanceTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    [Fact]
    public void The_validator_rejects_what_the_schema_forbids()
    {
        var bad = Json.Obj("""{"id":10001,"key":"SUP-1","unexpected":true}""");
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => OpenApiValidator.AssertValid(bad, "CreatedIssue"));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => OpenApiValidator.AssertValid(Json.Obj("""{"id":"1","colorName":"x","key":"new","statusCategory":{"id":"2"}}"""), "StatusDetails"));
        OpenApiValidator.AssertValid(Json.Obj("""{"id":"10001","key":"SUP-1","self":"http://x/rest/api/3/issue/10001"}"""), "CreatedIssue");
    }

    [Fact]
    public async Task Created_issue_bulk_result_issue_transitions_comments_and_searches_match_the_v3_schemas()
    {
        var create = await f.Cloud.PostAsync("/rest/api/3/issue", new JsonObject
        {
            ["fields"] = new JsonObject
            {
                ["project"] = new JsonObject { ["key"] = "SUP" },
                ["issuetype"] = new JsonObject { ["name"] = "Task" },
                ["summary"] = "schema",
                ["description"] = Json.Adf("described"),
                ["labels"] = new JsonArray("schema"),
                ["customfield_10043"] = new JsonObject { ["value"] = "Gold" },
                ["assignee"] = new JsonObject { ["accountId"] = "5b10a2844c20165700ede22h" },
            },
        });
        Assert.Equal(201, create.Code);
        OpenApiValidator.AssertValid(create.Json, "CreatedIssue");
        var key = create.Json["key"].Str();

        var bulk = await f.Cloud.PostAsync("/rest/api/3/issue/bulk", new JsonObject { ["issueUpdates"] = new JsonArray(new JsonObject { ["fields"] = new JsonObject() }, new JsonObject { ["fields"] = Json.Obj("""{"project":{"key":"SUP"},"issuetype":{"name":"Bug"},"summary":"b"}""") }) });
        OpenApiValidator.AssertValid(bulk.Json, "CreatedIssues");
        OpenApiValidator.AssertValid(bulk.Json["errors"]![0], "BulkOperationErrorResult");

        await f.Cloud.PostAsync($"/rest/api/3/issue/{key}/comment", new JsonObject { ["body"] = Json.Adf("a comment"), ["visibility"] = Json.Obj("""{"type":"role","value":"Administrators"}""") });
        await f.Cloud.SendAsync(HttpMethod.Post, $"/rest/api/3/issue/{key}/attachments", configure: r =>
        {
            r.Content = TransportAndAuthTests.File("s.txt", "schema");
            r.Headers.Add("X-Atlassian-Token", "no-check");
        });
        await f.Cloud.PostAsync($"/rest/api/3/issue/{key}/transitions", Json.Obj("""{"transition":{"id":"11"}}"""));

        var issue = (await f.Cloud.GetAsync($"/rest/api/3/issue/{key}?expand=renderedFields,names,schema,transitions,changelog,editmeta&properties=*all")).Json;
        OpenApiValidator.AssertValid(issue, "IssueBean");
        var fields = issue["fields"]!;
        OpenApiValidator.AssertValid(fields["status"], "StatusDetails");
        OpenApiValidator.AssertValid(fields["issuetype"], "IssueTypeDetails");
        OpenApiValidator.AssertValid(fields["project"], "ProjectDetails");
        OpenApiValidator.AssertValid(fields["priority"], "Priority");
        OpenApiValidator.AssertValid(fields["assignee"], "UserDetails");
        OpenApiValidator.AssertValid(fields["reporter"], "UserDetails");
        OpenApiValidator.AssertValid(fields["comment"], "PageOfComments");
        OpenApiValidator.AssertValid(fields["attachment"]![0], "Attachment");
        OpenApiValidator.AssertValid(issue["changelog"], "PageOfChangelogs");
        Assert.True(issue["editmeta"]!["fields"]!["summary"]!["required"]!.GetValue<bool>());
        foreach (var history in issue["changelog"]!["histories"]!.AsArray())
        {
            OpenApiValidator.AssertValid(history, "Changelog");
            OpenApiValidator.AssertValid(history!["items"]![0], "ChangeDetails");
        }

        foreach (var transition in issue["transitions"]!.AsArray())
        {
            OpenApiValidator.AssertValid(transition, "IssueTransition");
        }

        OpenApiValidator.AssertValid((await f.Cloud.GetAsync($"/rest/api/3/issue/{key}/transitions?expand=transitions.fields")).Json, "Transitions");
        var comments = (await f.Cloud.GetAsync($"/rest/api/3/issue/{key}/comment?expand=renderedBody")).Json;
        OpenApiValidator.AssertValid(comments, "PageOfComments");
        OpenApiValidator.AssertValid(comments["comments"]![0], "Comment");
        OpenApiValidator.AssertValid((await f.Cloud.GetAsync($"/rest/api/3/issue/{key}/changelog")).Json, "PageBeanChangelog");
        OpenApiValidator.AssertValid((await f.Cloud.GetAsync($"/rest/api/3/attachment/{fields["attachment"]![0]!["id"].Str()}")).Json, "AttachmentMetadata");

        var search = (await f.Cloud.PostAsync("/rest/api/3/search/jql", Json.Obj("""{"jql":"labels = schema","fields":["*all"],"expand":"renderedFields,names,schema,changelog","maxResults":1}"""))).Json;
        OpenApiValidator.AssertValid(search, "SearchAndReconcileResults");
        OpenApiValidator.AssertValid((await f.Cloud.GetAsync("/rest/api/3/search/jql?jql=labels%3Dschema")).Json, "SearchAndReconcileResults");
        OpenApiValidator.AssertValid((await f.Cloud.PostAsync("/rest/api/3/search/approximate-count", Json.Obj("""{"jql":"labels = schema"}"""))).Json, "JQLCountResultsBean");
    }

    [Fact]
    public async Task Metadata_responses_match_the_v3_schemas()
    {
        OpenApiValidator.AssertValid((await f.Cloud.GetAsync("/rest/api/3/myself")).Json, "User");
        OpenApiValidator.AssertValid((await f.Cloud.GetAsync("/rest/api/3/serverInfo")).Json, "ServerInformation");
        OpenApiValidator.AssertValid((await f.Cloud.GetAsync("/rest/api/3/project/SUP")).Json, "Project");
        OpenApiValidator.AssertValid((await f.Cloud.GetAsync("/rest/api/3/priority/search")).Json, "PageBeanPriority");
        OpenApiValidator.AssertValid((await f.Cloud.GetAsync("/rest/api/3/issue/createmeta/SUP/issuetypes")).Json, "PageOfCreateMetaIssueTypes");
        OpenApiValidator.AssertValid((await f.Cloud.GetAsync("/rest/api/3/issue/createmeta/SUP/issuetypes/10001")).Json, "PageOfCreateMetaIssueTypeWithField");
        foreach (var field in (await f.Cloud.GetAsync("/rest/api/3/field")).Json.AsArray())
        {
            OpenApiValidator.AssertValid(field, "FieldDetails");
        }

        foreach (var user in (await f.Cloud.GetAsync("/rest/api/3/user/search?query=d")).Json.AsArray())
        {
            OpenApiValidator.AssertValid(user, "User");
        }

        var key = await f.Cloud.CreateIssueAsync("meta schema");
        OpenApiValidator.AssertValid((await f.Cloud.GetAsync($"/rest/api/3/issue/{key}/editmeta")).Json, "IssueUpdateMetadata");
        await f.Cloud.PutAsync($"/rest/api/3/issue/{key}/properties/p", Json.Obj("""{"a":1}"""));
        OpenApiValidator.AssertValid((await f.Cloud.GetAsync($"/rest/api/3/issue/{key}/properties/p")).Json, "EntityProperty");
        var error = (await f.Cloud.GetAsync("/rest/api/3/issue/NOPE-1")).Json;
        OpenApiValidator.AssertValid(error, "ErrorCollection");
    }
}
