using System.Text.Json;
using PluginHub.Sandbox.Tests.Clients;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>
/// The official jira.js 5.4.0 client drives the sandbox unchanged (tests/js/jira/*.mjs): Version2Client and
/// Version3Client on Cloud, Version2Client with Basic and a PAT on Server.
/// </summary>
public sealed class JiraJsClientTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    private static Dictionary<string, string> Env(Uri url, string email, string token) => new()
    {
        ["JIRA_URL"] = url.ToString().TrimEnd('/'),
        ["JIRA_EMAIL"] = email,
        ["JIRA_TOKEN"] = token,
        ["JIRA_PAT"] = token,
    };

    private static string S(JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            e = int.TryParse(p, out var i) ? e[i] : e.GetProperty(p);
        }

        return e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
    }

    [Fact]
    public async Task Version2Client_on_cloud_covers_myself_create_get_edit_transitions_comments_attachments_properties_bulk_search_and_errors()
    {
        var r = await NodeClient.RunAsync("jira/v2-cloud.mjs", Env(f.CloudServer.BaseUrl, JiraSandboxFixture.IntegrationEmail, JiraSandboxFixture.IntegrationToken));

        Assert.Equal("5b10a2844c20165700ede21g", S(r, "myself", "accountId"));
        var key = S(r, "created", "key");
        Assert.Matches("^SUP-[0-9]+$", key);
        Assert.Equal("h2. Steps\n*bold* text", S(r, "issue", "fields", "description"));
        Assert.Contains("<h2>", S(r, "issue", "renderedFields", "description"), StringComparison.Ordinal);
        Assert.Equal("Salesforce Case Id", S(r, "issue", "names", "customfield_10042"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$", S(r, "issue", "fields", "created"));

        Assert.Equal("Printer still on fire", S(r, "afterEdit", "fields", "summary"));
        Assert.Contains("synced", S(r, "afterEdit", "fields", "labels"), StringComparison.Ordinal);
        Assert.Equal(1, r.GetProperty("afterEdit").GetProperty("changelog").GetProperty("total").GetInt32());

        Assert.Equal("Done", S(r, "afterTransition", "fields", "status", "name"));
        Assert.Equal(3, r.GetProperty("afterTransition").GetProperty("fields").GetProperty("status").GetProperty("statusCategory").GetProperty("id").GetInt32());
        Assert.Equal("400", S(r, "invalidTransition", "error", "status"));

        Assert.Equal("First *comment*", S(r, "comment", "body"));
        Assert.Equal(2, r.GetProperty("commentsPage1").GetProperty("total").GetInt32());
        Assert.Equal("Second comment", S(r, "commentsPage2", "comments", "0", "body"));

        Assert.Equal(2, r.GetProperty("attachments").GetArrayLength());
        Assert.Equal("dump.txt", S(r, "attachments", "0", "filename"));
        Assert.Equal(18, r.GetProperty("attachments")[0].GetProperty("size").GetInt32());
        Assert.Equal("hello from jira.js", S(r, "downloaded"));
        Assert.Equal("hello", S(r, "downloadedRange"));
        Assert.Equal(10485760, r.GetProperty("attachmentMeta").GetProperty("uploadLimit").GetInt64());

        Assert.Equal("500XX000001", S(r, "getProperty", "value", "externalId"));

        Assert.Equal(2, r.GetProperty("bulk").GetProperty("issues").GetArrayLength());
        Assert.Equal(1, r.GetProperty("bulk").GetProperty("errors")[0].GetProperty("failedElementNumber").GetInt32());

        // Transition on create: applied from the initial status, its outcome in each created issue.
        Assert.Equal(200, r.GetProperty("createdStarted").GetProperty("transition").GetProperty("status").GetInt32());
        Assert.Equal("In Progress", S(r, "startedStatus", "fields", "status", "name"));
        Assert.Equal(200, r.GetProperty("bulkTransition").GetProperty("issues")[0].GetProperty("transition").GetProperty("status").GetInt32());
        Assert.Equal(400, r.GetProperty("bulkTransition").GetProperty("issues")[1].GetProperty("transition").GetProperty("status").GetInt32());
        Assert.Equal(0, r.GetProperty("bulkTransition").GetProperty("errors").GetArrayLength());

        var pages = r.GetProperty("searchPages").EnumerateArray().ToList();
        Assert.Equal(3, pages.Count);
        Assert.All(pages.Take(2), p => Assert.False(p.GetProperty("isLast").GetBoolean()));
        Assert.True(pages[^1].GetProperty("isLast").GetBoolean());
        Assert.Equal(key, S(pages[0], "issues", "0", "key"));
        Assert.Equal(3, r.GetProperty("searchPost").GetProperty("issues").GetArrayLength());
        Assert.Equal(3, r.GetProperty("count").GetProperty("count").GetInt32());
        var fetched = Assert.Single(r.GetProperty("bulkFetch").GetProperty("issues").EnumerateArray());
        Assert.Equal(key, S(fetched, "key"));
        Assert.Equal("Done", S(fetched, "fields", "status", "name"));
        Assert.True(fetched.GetProperty("changelog").GetProperty("total").GetInt32() > 0);
        Assert.Equal(0, r.GetProperty("bulkFetch").GetProperty("issueErrors").GetArrayLength());

        Assert.Equal("410", S(r, "removedSearch", "error", "status"));
        Assert.Equal("404", S(r, "notFound", "error", "status"));
        Assert.Equal("Issue does not exist or you do not have permission to see it.", S(r, "notFound", "error", "data", "errorMessages", "0"));
        Assert.Equal("400", S(r, "badJql", "error", "status"));
        Assert.Equal("You must specify a summary of the issue.", S(r, "createError", "error", "data", "errors", "summary"));
        Assert.Equal("401", S(r, "wrongCredentials", "error", "status"));
    }

    [Fact]
    public async Task Version3Client_on_cloud_speaks_adf()
    {
        var r = await NodeClient.RunAsync("jira/v3-cloud.mjs", Env(f.CloudServer.BaseUrl, JiraSandboxFixture.DeveloperEmail, JiraSandboxFixture.DeveloperToken));

        Assert.Equal("developer@pluginhub.test", S(r, "myself", "emailAddress"));
        Assert.EndsWith("/rest/api/3/issue/" + S(r, "created", "id"), S(r, "created", "self"), StringComparison.Ordinal);
        Assert.Equal("doc", S(r, "issue", "fields", "description", "type"));
        Assert.Equal("Described in ADF", S(r, "issue", "fields", "description", "content", "0", "content", "0", "text"));
        Assert.Matches(@"\+0[12]00$", S(r, "issue", "fields", "created"));
        Assert.Equal("Edited in ADF", S(r, "afterEdit", "fields", "description", "content", "0", "content", "0", "text"));
        Assert.Equal("plain", S(r, "stringDescriptionRead", "fields", "description", "content", "0", "content", "0", "text"));
        Assert.Equal("Operation value must be an Atlassian Document (see the Atlassian Document Format)", S(r, "stringEnvironment", "error", "data", "errors", "environment"));

        Assert.Equal("Submit for Review", S(r, "afterTransition", "transitions", "0", "name"));
        Assert.Equal("line one\nline two", S(r, "comment", "body", "content", "0", "content", "0", "text"));
        Assert.Equal(1, r.GetProperty("comments").GetProperty("total").GetInt32());
        Assert.Equal("v3.txt", S(r, "attachments", "0", "filename"));
        Assert.Equal("500XX000004", S(r, "getProperty", "value", "externalId"));
        Assert.Single(r.GetProperty("bulk").GetProperty("issues").EnumerateArray());

        var pages = r.GetProperty("searchPages").EnumerateArray().ToList();
        Assert.Equal(2, pages.Count);
        Assert.Equal("doc", S(pages[0], "issues", "0", "fields", "description", "type"));
        Assert.Equal("doc", S(r, "bulkFetch", "issues", "0", "fields", "description", "type"));
        Assert.Equal("404", S(r, "notFound", "error", "status"));
    }

    [Fact]
    public async Task Version2Client_on_server_uses_offset_search_basic_with_a_username_and_a_pat()
    {
        var r = await NodeClient.RunAsync("jira/v2-server.mjs", Env(f.ServerServer.BaseUrl, "integration", JiraSandboxFixture.IntegrationToken));

        Assert.Equal("integration", S(r, "myself", "name"));
        Assert.Equal("integration", S(r, "patMyself", "name"));
        var pages = r.GetProperty("searchPages").EnumerateArray().ToList();
        Assert.Equal(2, pages.Count);
        Assert.All(pages, p => Assert.Equal(3, p.GetProperty("total").GetInt32()));
        Assert.Equal(2, pages[1].GetProperty("startAt").GetInt32());
        Assert.Equal("developer", S(pages[0], "issues", "0", "fields", "assignee", "name"));
        Assert.Equal(3, r.GetProperty("searchPost").GetProperty("issues").GetArrayLength());
        Assert.Equal("404", S(r, "enhanced", "error", "status"));

        Assert.Equal("edited with a PAT", S(r, "afterEdit", "fields", "summary"));
        Assert.Equal("integration", S(r, "afterEdit", "changelog", "histories", "0", "author", "name"));
        Assert.Equal("server comment", S(r, "comment", "body"));
        Assert.Contains("/secure/attachment/", S(r, "attachments", "0", "content"), StringComparison.Ordinal);
        Assert.Equal("404", S(r, "v3", "error", "status"));
        Assert.Equal("The value 'NOPE' does not exist for the field 'project'.", S(r, "badJql", "error", "data", "errorMessages", "0"));
    }
}
