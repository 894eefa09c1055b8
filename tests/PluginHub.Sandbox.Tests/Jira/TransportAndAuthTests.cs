using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>Reference §10 "Transport &amp; auth" and §1 (authentication, 401 vs silently anonymous).</summary>
public sealed class TransportAndAuthTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    [Fact]
    public async Task Checklist_base_path_every_self_and_content_url_keeps_the_context_path()
    {
        var key = await f.Cloud.CreateIssueAsync("context path");
        var cloudBase = f.CloudServer.BaseUrl.ToString().TrimEnd('/');
        var viaGateway = await f.Cloud.GetAsync($"/ex/jira/abc-123/rest/api/3/issue/{key}");
        Assert.Equal(200, viaGateway.Code);
        Assert.Equal($"{cloudBase}/ex/jira/abc-123/rest/api/3/issue/{viaGateway.Json["id"].Str()}", viaGateway.Json["self"].Str());
        Assert.StartsWith($"{cloudBase}/ex/jira/abc-123/rest/api/3/", viaGateway.Json["fields"]!["status"]!["self"].Str(), StringComparison.Ordinal);

        var serverKey = await f.Server.CreateIssueAsync("context path");
        var serverBase = f.ServerServer.BaseUrl.ToString().TrimEnd('/');
        var dc = await f.Server.GetAsync($"/jira/rest/api/2/issue/{serverKey}");
        Assert.Equal(200, dc.Code);
        Assert.StartsWith($"{serverBase}/jira/rest/api/2/issue/", dc.Json["self"].Str(), StringComparison.Ordinal);
        Assert.StartsWith($"{serverBase}/jira/rest/api/2/user?username=", dc.Json["fields"]!["reporter"]!["self"].Str(), StringComparison.Ordinal);

        var plain = await f.Cloud.GetAsync($"/rest/api/2/issue/{key}");
        Assert.Equal($"{cloudBase}/rest/api/2/issue/{plain.Json["id"].Str()}", plain.Json["self"].Str());

        // Every link in an issue resolves on this host: self URLs answer JSON, avatars and icons an image.
        var fields = plain.Json["fields"]!;
        foreach (var url in new[]
        {
            fields["status"]!["self"].Str(), fields["priority"]!["self"].Str(), fields["issuetype"]!["self"].Str(), fields["project"]!["self"].Str(),
            fields["reporter"]!["self"].Str(), fields["reporter"]!["avatarUrls"]!["48x48"].Str(), fields["issuetype"]!["iconUrl"].Str(),
            fields["status"]!["iconUrl"].Str(), fields["priority"]!["iconUrl"].Str(), fields["project"]!["avatarUrls"]!["16x16"].Str(),
        })
        {
            Assert.StartsWith(cloudBase, url, StringComparison.Ordinal);
            Assert.True((await f.Cloud.GetAsync(new Uri(url).PathAndQuery)).Code == 200, url);
        }
    }

    [Fact]
    public async Task Checklist_modes_cloud_serves_v2_v3_and_search_jql_server_serves_v2_and_search_only()
    {
        Assert.Equal(200, (await f.Cloud.GetAsync("/rest/api/3/myself")).Code);
        Assert.Equal(200, (await f.Cloud.GetAsync("/rest/api/2/myself")).Code);
        Assert.Equal(200, (await f.Cloud.GetAsync("/rest/api/latest/myself")).Code);
        var removed = await f.Cloud.GetAsync("/rest/api/2/search?jql=project%3DSUP");
        Assert.Equal(410, removed.Code);
        Assert.Contains("/rest/api/3/search/jql", removed.Json["errorMessages"]![0].Str(), StringComparison.Ordinal);
        Assert.Equal(410, (await f.Cloud.PostAsync("/rest/api/3/search", new JsonObject { ["jql"] = "project = SUP" })).Code);

        var v3 = await f.Server.GetAsync("/rest/api/3/myself");
        Assert.Equal(404, v3.Code);
        Assert.StartsWith("null for uri", v3.Json["message"].Str(), StringComparison.Ordinal);
        Assert.Equal(404, (await f.Server.GetAsync("/rest/api/2/search/jql?jql=project%3DSUP")).Code);
        Assert.Equal(200, (await f.Server.GetAsync("/rest/api/2/search?jql=project%3DSUP")).Code);

        var cloudInfo = await f.Cloud.GetAsync("/rest/api/2/serverInfo");
        Assert.Equal("Cloud", cloudInfo.Json["deploymentType"].Str());
        Assert.Equal("Server", (await f.Server.GetAsync("/rest/api/2/serverInfo")).Json["deploymentType"].Str());
    }

    [Fact]
    public async Task Checklist_modes_cloud_legacy_switch_serves_the_removed_search()
    {
        using var admin = new HttpClient { BaseAddress = f.CloudServer.BaseUrl };
        await admin.PostAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), new StringContent("""{"legacySearch":true}""", Encoding.UTF8, "application/json"));
        try
        {
            var r = await f.Cloud.GetAsync("/rest/api/2/search?jql=project%3DSUP&maxResults=1");
            Assert.Equal(200, r.Code);
            Assert.NotNull(r.Json["total"]);
        }
        finally
        {
            await admin.PostAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), new StringContent("""{"legacySearch":false}""", Encoding.UTF8, "application/json"));
        }
    }

    [Fact]
    public async Task Checklist_auth_basic_and_pat_work_and_wrong_credentials_get_401_with_seraph_header()
    {
        var me = await f.Cloud.GetAsync("/rest/api/2/myself");
        Assert.Equal("integration@pluginhub.test", me.Json["emailAddress"].Str());

        using var wrong = f.Client(f.CloudServer, "integration@pluginhub.test", "nope");
        var denied = await wrong.GetAsync("/rest/api/2/myself");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.Status);
        Assert.Equal("AUTHENTICATED_FAILED", denied.Header("X-Seraph-LoginReason"));
        Assert.NotEmpty(denied.Headers.WwwAuthenticate);
        // Wrong credentials fail even where anonymous access would be allowed.
        Assert.Equal(401, (await wrong.GetAsync("/rest/api/2/serverInfo")).Code);

        using var serverPat = f.Client(f.ServerServer, null, "sandbox-token", bearer: true);
        Assert.Equal("integration", (await serverPat.GetAsync("/rest/api/2/myself")).Json["name"].Str());
        using var serverByEmail = f.Client(f.ServerServer, "developer@pluginhub.test", "developer-token");
        Assert.Equal("developer", (await serverByEmail.GetAsync("/rest/api/2/myself")).Json["name"].Str());

        using var cloudBearer = f.Client(f.CloudServer, null, "sandbox-token", bearer: true);
        Assert.Equal(401, (await cloudBearer.GetAsync("/rest/api/2/myself")).Code);
        using var cloudUsername = f.Client(f.CloudServer, "integration", "sandbox-token");
        Assert.Equal(401, (await cloudUsername.GetAsync("/rest/api/2/myself")).Code);
    }

    [Fact]
    public async Task Checklist_auth_anonymous_callers_look_silently_anonymous_except_on_myself()
    {
        var key = await f.Cloud.CreateIssueAsync("hidden from anonymous");
        Assert.Equal(401, (await f.Anonymous.GetAsync("/rest/api/2/myself")).Code);

        var issue = await f.Anonymous.GetAsync($"/rest/api/2/issue/{key}");
        Assert.Equal(404, issue.Code);
        Assert.Equal("Issue does not exist or you do not have permission to see it.", issue.Json["errorMessages"]![0].Str());

        var search = await f.Anonymous.GetAsync("/rest/api/3/search/jql?jql=project%20%3D%20SUP");
        Assert.Equal(400, search.Code);
        Assert.Equal("The value 'SUP' does not exist for the field 'project'.", search.Json["errorMessages"]![0].Str());

        Assert.Equal(401, (await f.Anonymous.PostAsync("/rest/api/2/issue", new JsonObject())).Code);
    }

    [Fact]
    public async Task Checklist_json_content_type_204_empty_body_and_request_id_header()
    {
        var key = await f.Cloud.CreateIssueAsync("content type");
        var get = await f.Cloud.GetAsync($"/rest/api/2/issue/{key}");
        Assert.Equal("application/json; charset=UTF-8", get.ContentType);
        Assert.NotNull(get.Header("X-AREQUESTID"));

        var edit = await f.Cloud.PutAsync($"/rest/api/2/issue/{key}", new JsonObject { ["fields"] = new JsonObject { ["summary"] = "changed" } });
        Assert.Equal(HttpStatusCode.NoContent, edit.Status);
        Assert.Empty(edit.Bytes);

        var error = await f.Cloud.GetAsync("/rest/api/2/issue/SUP-99999");
        Assert.Equal("application/json; charset=UTF-8", error.ContentType);
        Assert.NotNull(error.Json["errors"]);
    }

    [Fact]
    public async Task Checklist_query_arrays_comma_joined_repeated_and_mixed_and_unknown_params_ignored()
    {
        var key = await f.Cloud.CreateIssueAsync("array params", extraFields: new JsonObject { ["labels"] = new JsonArray("a1") });
        foreach (var query in new[] { "fields=summary,labels,status", "fields=summary&fields=labels&fields=status", "fields=summary,labels&fields=status&unknownParam=1" })
        {
            var r = await f.Cloud.GetAsync($"/rest/api/2/issue/{key}?{query}");
            var fields = r.Json["fields"]!.AsObject();
            Assert.Equal(["labels", "status", "summary"], fields.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray());
        }

        // jira-client leaves characters such as spaces and quotes unencoded in URLs.
        var raw = await f.Server.GetAsync("/rest/api/2/search?jql=project = SUP AND status = \"To Do\"&maxResults=1");
        Assert.Equal(200, raw.Code);
    }

    [Fact]
    public async Task Checklist_multipart_needs_xsrf_header_and_json_endpoints_reject_other_content_types()
    {
        var key = await f.Cloud.CreateIssueAsync("xsrf");
        var noHeader = await f.Cloud.SendAsync(HttpMethod.Post, $"/rest/api/2/issue/{key}/attachments", configure: r => r.Content = File("a.txt", "x"));
        Assert.Equal(403, noHeader.Code);
        Assert.Equal("XSRF check failed", noHeader.Text);

        foreach (var token in new[] { "no-check", "nocheck" })
        {
            var ok = await f.Cloud.SendAsync(HttpMethod.Post, $"/rest/api/2/issue/{key}/attachments", configure: r =>
            {
                r.Content = File("a.txt", "x");
                r.Headers.Add("X-Atlassian-Token", token);
            });
            Assert.Equal(200, ok.Code);
        }

        var text = await f.Cloud.SendAsync(HttpMethod.Post, "/rest/api/2/issue", configure: r => r.Content = new StringContent("{}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.Status);
    }

    internal static MultipartFormDataContent File(string name, string content, string mime = "text/plain")
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        part.Headers.ContentType = new MediaTypeHeaderValue(mime);
        form.Add(part, "file", name);
        return form;
    }
}
