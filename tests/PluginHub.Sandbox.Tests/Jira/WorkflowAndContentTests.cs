using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>Reference §10: workflows and statusCategory, transitions, comments, attachments, properties (§4, §5, §7).</summary>
public sealed class WorkflowAndContentTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    private static async Task<string[]> TransitionNamesAsync(JiraHttp http, string key) =>
        (await http.GetAsync($"/rest/api/2/issue/{key}/transitions")).Json["transitions"]!.AsArray().Select(t => t!["name"].Str()).ToArray();

    private static Task<JiraResponse> DoAsync(JiraHttp http, string key, string id, JsonObject? fields = null) =>
        http.PostAsync($"/rest/api/2/issue/{key}/transitions", new JsonObject { ["transition"] = new JsonObject { ["id"] = id }, ["fields"] = fields ?? new JsonObject() });

    [Fact]
    public async Task Checklist_status_categories_have_ids_1_to_4_and_fixed_keys()
    {
        var categories = (await f.Cloud.GetAsync("/rest/api/2/statuscategory")).Json.AsArray()
            .ToDictionary(c => c!["id"]!.GetValue<int>(), c => c!["key"].Str());
        Assert.Equal(new Dictionary<int, string> { [1] = "undefined", [2] = "new", [3] = "done", [4] = "indeterminate" }, categories);
        var statuses = (await f.Cloud.GetAsync("/rest/api/2/status")).Json.AsArray();
        Assert.Contains(statuses, s => s!["name"].Str() == "In Progress" && s["statusCategory"]!["key"].Str() == "indeterminate");
    }

    [Fact]
    public async Task Checklist_transitions_list_only_from_the_current_status_do_204_and_keep_status_category_right()
    {
        var key = await f.Cloud.CreateIssueAsync("workflow");
        // Done is not reachable from To Do: the step needs In Progress first.
        Assert.Equal(["Start Progress"], await TransitionNamesAsync(f.Cloud, key));
        var direct = await DoAsync(f.Cloud, key, "21");
        Assert.Equal(400, direct.Code);
        Assert.Equal("Transition id '21' is not valid for this issue.", direct.Json["errorMessages"]![0].Str());

        Assert.Equal(204, (await DoAsync(f.Cloud, key, "11")).Code);
        var inProgress = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}")).Json["fields"]!;
        Assert.Equal("In Progress", inProgress["status"]!["name"].Str());
        Assert.Equal(4, inProgress["status"]!["statusCategory"]!["id"]!.GetValue<int>());
        Assert.Equal(["Done", "Stop Progress"], (await TransitionNamesAsync(f.Cloud, key)).Order(StringComparer.Ordinal).ToArray());

        Assert.Equal(204, (await DoAsync(f.Cloud, key, "21")).Code);
        var done = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}?expand=changelog")).Json;
        Assert.Equal("done", done["fields"]!["status"]!["statusCategory"]!["key"].Str());
        Assert.Equal("Done", done["fields"]!["resolution"]!["name"].Str());
        Assert.NotNull(done["fields"]!["resolutiondate"]);
        var statusItems = done["changelog"]!["histories"]!.AsArray().SelectMany(h => h!["items"]!.AsArray()).Where(i => i!["field"].Str() == "status").ToList();
        Assert.Equal("3", statusItems[^1]!["from"].Str());
        Assert.Equal("10002", statusItems[^1]!["to"].Str());

        Assert.Equal(204, (await DoAsync(f.Cloud, key, "41")).Code);
        var reopened = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}")).Json["fields"]!;
        Assert.Equal("new", reopened["status"]!["statusCategory"]!["key"].Str());
        Assert.Null(reopened["resolution"]);

        Assert.Empty((await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/transitions?transitionId=999")).Json["transitions"]!.AsArray());
    }

    [Fact]
    public async Task Checklist_transition_screen_fields_with_expand_and_required_resolution()
    {
        var key = await f.Cloud.CreateIssueAsync("bug flow", "Bug");
        await DoAsync(f.Cloud, key, "11");
        await DoAsync(f.Cloud, key, "51");
        var list = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/transitions?expand=transitions.fields")).Json["transitions"]!.AsArray();
        var approve = list.Single(t => t!["id"].Str() == "61")!;
        Assert.True(approve["fields"]!["resolution"]!["required"]!.GetValue<bool>());
        Assert.Null((await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/transitions")).Json["transitions"]![0]!["fields"]);

        var missing = await DoAsync(f.Cloud, key, "61");
        Assert.Equal(400, missing.Code);
        Assert.NotNull(missing.Json["errors"]!["resolution"]);
        var notOnScreen = await DoAsync(f.Cloud, key, "71", new JsonObject { ["resolution"] = new JsonObject { ["name"] = "Done" } });
        Assert.Equal(400, notOnScreen.Code);

        Assert.Equal(204, (await DoAsync(f.Cloud, key, "61", new JsonObject { ["resolution"] = new JsonObject { ["name"] = "Won't Do" } })).Code);
        Assert.Equal("Won't Do", (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}")).Json["fields"]!["resolution"]!["name"].Str());
    }

    [Fact]
    public async Task Checklist_comments_list_add_get_update_delete_visibility_and_order_by()
    {
        var key = await f.Cloud.CreateIssueAsync("comments");
        var added = await f.Cloud.PostAsync($"/rest/api/2/issue/{key}/comment", Json.Obj("""{"body":"first *bold*","visibility":{"type":"group","value":"jira-users"}}"""));
        Assert.Equal(201, added.Code);
        Assert.Equal("first *bold*", added.Json["body"].Str());
        Assert.Equal("jira-users", added.Json["visibility"]!["value"].Str());
        var second = await f.CloudDeveloper.PostAsync($"/rest/api/3/issue/{key}/comment", new JsonObject { ["body"] = Json.Adf("second") });
        Assert.Equal(201, second.Code);
        Assert.Equal("doc", second.Json["body"]!["type"].Str());
        Assert.Equal("developer@pluginhub.test", second.Json["author"]!["emailAddress"].Str());
        Assert.Equal(400, (await f.Cloud.PostAsync($"/rest/api/3/issue/{key}/comment", new JsonObject { ["body"] = "not adf" })).Code);

        var page = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/comment?maxResults=1&orderBy=-created")).Json;
        Assert.Equal(2, page["total"]!.GetValue<int>());
        Assert.Equal(1, page["maxResults"]!.GetValue<int>());
        Assert.Equal("second", page["comments"]![0]!["body"].Str());
        var next = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/comment?startAt=1&maxResults=1&orderBy=-created")).Json;
        Assert.Equal(added.Json["id"].Str(), next["comments"]![0]!["id"].Str());
        Assert.Equal(400, (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/comment?orderBy=updated")).Code);

        var id = added.Json["id"].Str();
        var one = await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/comment/{id}?expand=renderedBody");
        Assert.Contains("<b>bold</b>", one.Json["renderedBody"].Str(), StringComparison.Ordinal);
        var updated = await f.CloudDeveloper.PutAsync($"/rest/api/2/issue/{key}/comment/{id}", Json.Obj("""{"body":"edited"}"""));
        Assert.Equal(200, updated.Code);
        Assert.Equal("edited", updated.Json["body"].Str());
        Assert.Equal("developer@pluginhub.test", updated.Json["updateAuthor"]!["emailAddress"].Str());
        Assert.Equal("integration@pluginhub.test", updated.Json["author"]!["emailAddress"].Str());
        Assert.Equal(204, (await f.Cloud.DeleteAsync($"/rest/api/2/issue/{key}/comment/{id}")).Code);
        Assert.Equal(404, (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/comment/{id}")).Code);

        // Server returns every comment and echoes maxResults = total.
        var serverKey = await f.Server.CreateIssueAsync("server comments");
        await f.Server.PostAsync($"/rest/api/2/issue/{serverKey}/comment", Json.Obj("""{"body":"a"}"""));
        await f.Server.PostAsync($"/rest/api/2/issue/{serverKey}/comment", Json.Obj("""{"body":"b"}"""));
        var all = (await f.Server.GetAsync($"/rest/api/2/issue/{serverKey}/comment")).Json;
        Assert.Equal(2, all["maxResults"]!.GetValue<int>());
        Assert.Equal(2, all["comments"]!.AsArray().Count);
    }

    private static Task<JiraResponse> UploadAsync(JiraHttp http, string key, params (string Name, string Content, string Mime)[] files) =>
        http.SendAsync(HttpMethod.Post, $"/rest/api/2/issue/{key}/attachments", configure: r =>
        {
            var form = new MultipartFormDataContent();
            foreach (var (name, content, mime) in files)
            {
                var part = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content));
                part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mime);
                form.Add(part, "file", name);
            }

            r.Content = form;
            r.Headers.Add("X-Atlassian-Token", "no-check");
        });

    [Fact]
    public async Task Checklist_attachments_upload_array_200_metadata_download_303_or_bytes_delete_meta_and_413()
    {
        var key = await f.Cloud.CreateIssueAsync("attachments");
        var upload = await UploadAsync(f.Cloud, key, ("dump.txt", "hello dump", "text/plain"), ("pic.png", "PNG", "image/png"));
        Assert.Equal(200, upload.Code);
        var items = upload.Json.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal("dump.txt", items[0]!["filename"].Str());
        Assert.Equal(10, items[0]!["size"]!.GetValue<int>());
        Assert.Null(items[0]!["thumbnail"]);
        Assert.NotNull(items[1]!["thumbnail"]);
        var id = items[0]!["id"].Str();

        var meta = await f.Cloud.GetAsync($"/rest/api/2/attachment/{id}");
        Assert.Equal(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture), meta.Json["id"]!.GetValue<int>());

        var content = items[0]!["content"].Str();
        var redirect = await f.Cloud.GetAsync(new Uri(content).PathAndQuery);
        Assert.Equal(303, redirect.Code);
        // The media URL is signed: HTTP clients drop Authorization on redirects, and it still works.
        var bytes = await f.Anonymous.GetAsync(redirect.Headers.Location!.PathAndQuery);
        Assert.Equal("hello dump", bytes.Text);
        Assert.Equal(404, (await f.Anonymous.GetAsync(redirect.Headers.Location!.AbsolutePath + "?token=forged")).Code);
        Assert.Equal("hello dump", (await f.Cloud.GetAsync($"/rest/api/2/attachment/content/{id}?redirect=false")).Text);
        var range = await f.Cloud.SendAsync(HttpMethod.Get, $"/rest/api/2/attachment/content/{id}?redirect=false", configure: r => r.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 4));
        Assert.Equal(206, range.Code);
        Assert.Equal("hello", range.Text);

        var issue = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}?fields=attachment&expand=changelog")).Json;
        Assert.Equal(2, issue["fields"]!["attachment"]!.AsArray().Count);
        var item = issue["changelog"]!["histories"]![0]!["items"]![0]!;
        Assert.Equal("Attachment", item["field"].Str());
        Assert.Equal("dump.txt", item["toString"].Str());

        Assert.Equal(204, (await f.Cloud.DeleteAsync($"/rest/api/2/attachment/{id}")).Code);
        Assert.Equal(404, (await f.Cloud.GetAsync($"/rest/api/2/attachment/{id}")).Code);

        var limit = (await f.Cloud.GetAsync("/rest/api/2/attachment/meta")).Json;
        Assert.True(limit["enabled"]!.GetValue<bool>());
        Assert.Equal(10485760, limit["uploadLimit"]!.GetValue<long>());
        using var admin = new HttpClient { BaseAddress = f.CloudServer.BaseUrl };
        await admin.PostAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), new StringContent("""{"attachmentUploadLimit":5}""", System.Text.Encoding.UTF8, "application/json"));
        try
        {
            Assert.Equal(413, (await UploadAsync(f.Cloud, key, ("big.txt", "123456", "text/plain"))).Code);
        }
        finally
        {
            await admin.PostAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), new StringContent("""{"attachmentUploadLimit":10485760}""", System.Text.Encoding.UTF8, "application/json"));
        }

        // Server: content is /secure/attachment/{id}/{filename} and streams the bytes.
        var serverKey = await f.Server.CreateIssueAsync("server attachment");
        var serverUpload = await UploadAsync(f.Server, serverKey, ("log.txt", "server bytes", "text/plain"));
        var serverContent = serverUpload.Json[0]!["content"].Str();
        Assert.Contains("/secure/attachment/", serverContent, StringComparison.Ordinal);
        Assert.Equal("server bytes", (await f.Server.GetAsync(new Uri(serverContent).PathAndQuery)).Text);
    }

    [Fact]
    public async Task Checklist_properties_put_201_then_200_get_list_delete()
    {
        var key = await f.Cloud.CreateIssueAsync("properties");
        var before = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}?fields=updated")).Json["fields"]!["updated"].Str();
        var created = await f.Cloud.PutAsync($"/rest/api/2/issue/{key}/properties/pluginhub", Json.Obj("""{"externalId":"500XX1"}"""));
        Assert.Equal(201, created.Code);
        Assert.Empty(created.Bytes);
        Assert.Equal(200, (await f.Cloud.PutAsync($"/rest/api/2/issue/{key}/properties/pluginhub", Json.Obj("""{"externalId":"500XX2"}"""))).Code);
        Assert.Equal("500XX2", (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/properties/pluginhub")).Json["value"]!["externalId"].Str());
        var keys = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/properties")).Json["keys"]!.AsArray();
        Assert.Equal("pluginhub", keys.Single()!["key"].Str());
        Assert.EndsWith("/properties/pluginhub", keys.Single()!["self"].Str(), StringComparison.Ordinal);
        // Property writes do not bump "updated".
        Assert.Equal(before, (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}?fields=updated")).Json["fields"]!["updated"].Str());

        Assert.Equal(204, (await f.Cloud.DeleteAsync($"/rest/api/2/issue/{key}/properties/pluginhub")).Code);
        Assert.Equal(404, (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/properties/pluginhub")).Code);
        var rawString = await f.Cloud.SendAsync(HttpMethod.Put, $"/rest/api/2/issue/{key}/properties/raw", configure: r => r.Content = new StringContent("bare", System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal(415, rawString.Code);
    }
}
