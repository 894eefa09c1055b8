using System.Globalization;
using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>Reference §10 "Data model" and the issue operations of §3 (create, bulk, get, edit, assignee, delete, validation).</summary>
public sealed class IssueTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    private static JsonObject Fields(string summary, string type = "Task") => new()
    {
        ["project"] = new JsonObject { ["key"] = "SUP" },
        ["issuetype"] = new JsonObject { ["name"] = type },
        ["summary"] = summary,
    };

    [Fact]
    public async Task Checklist_numeric_string_ids_from_10000_keys_per_project_from_1_lookup_by_id_or_key_case_insensitive()
    {
        // The Server sandbox of this fixture is used by no other test for creates before this one runs in its own class.
        var first = await f.Server.PostAsync("/rest/api/2/issue", new JsonObject { ["fields"] = Fields("first") });
        Assert.Equal(201, first.Code);
        var id = first.Json["id"].Str();
        Assert.True(int.Parse(id, CultureInfo.InvariantCulture) >= 10000);
        Assert.Matches("^SUP-[1-9][0-9]*$", first.Json["key"].Str());
        Assert.Equal($"{f.ServerServer.BaseUrl.ToString().TrimEnd('/')}/rest/api/2/issue/{id}", first.Json["self"].Str());

        var second = await f.Server.PostAsync("/rest/api/2/issue", new JsonObject { ["fields"] = Fields("second") });
        Assert.Equal(int.Parse(id, CultureInfo.InvariantCulture) + 1, int.Parse(second.Json["id"].Str(), CultureInfo.InvariantCulture));
        var n1 = int.Parse(first.Json["key"].Str()[4..], CultureInfo.InvariantCulture);
        Assert.Equal($"SUP-{n1 + 1}", second.Json["key"].Str());

        Assert.Equal(id, (await f.Server.GetAsync($"/rest/api/2/issue/{id}")).Json["id"].Str());
        Assert.Equal(id, (await f.Server.GetAsync($"/rest/api/2/issue/{first.Json["key"].Str().ToLowerInvariant()}")).Json["id"].Str());
        var issue = (await f.Server.GetAsync($"/rest/api/2/issue/{id}")).Json;
        Assert.All(new[] { "issuetype", "project", "status", "priority" }, name => Assert.Matches("^[0-9]+$", issue["fields"]![name]!["id"].Str()));
        Assert.Equal(2, issue["fields"]!["status"]!["statusCategory"]!["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task Checklist_timestamps_in_jira_format_in_the_callers_time_zone_and_updated_bumps_on_every_change()
    {
        var key = await f.Cloud.CreateIssueAsync("timestamps");
        var asIntegration = await f.Cloud.GetAsync($"/rest/api/2/issue/{key}");
        var created = asIntegration.Json["fields"]!["created"].Str();
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$", created);

        // The developer's profile zone is Europe/Berlin: same instant, +0100 (or +0200 in summer), no colon.
        var asDeveloper = await f.CloudDeveloper.GetAsync($"/rest/api/2/issue/{key}");
        var berlin = asDeveloper.Json["fields"]!["created"].Str();
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0[12]00$", berlin);
        Assert.Equal(Parse(created), Parse(berlin));

        var updated = Parse(asIntegration.Json["fields"]!["updated"].Str());
        async Task<DateTimeOffset> UpdatedAfterAsync(Func<Task> change)
        {
            await Task.Delay(5);
            await change();
            var now = Parse((await f.Cloud.GetAsync($"/rest/api/2/issue/{key}?fields=updated")).Json["fields"]!["updated"].Str());
            Assert.True(now > updated, $"updated {now:O} should be after {updated:O}");
            updated = now;
            return now;
        }

        await UpdatedAfterAsync(() => f.Cloud.PutAsync($"/rest/api/2/issue/{key}", new JsonObject { ["fields"] = new JsonObject { ["summary"] = "edited" } }));
        string? commentId = null;
        await UpdatedAfterAsync(async () => commentId = (await f.Cloud.PostAsync($"/rest/api/2/issue/{key}/comment", new JsonObject { ["body"] = "hi" })).Json["id"].Str());
        await UpdatedAfterAsync(() => f.Cloud.PutAsync($"/rest/api/2/issue/{key}/comment/{commentId}", new JsonObject { ["body"] = "hi again" }));
        await UpdatedAfterAsync(() => f.Cloud.SendAsync(HttpMethod.Post, $"/rest/api/2/issue/{key}/attachments", configure: r =>
        {
            r.Content = TransportAndAuthTests.File("x.txt", "x");
            r.Headers.Add("X-Atlassian-Token", "no-check");
        }));
        await UpdatedAfterAsync(() => f.Cloud.PostAsync($"/rest/api/2/issue/{key}/transitions", new JsonObject { ["transition"] = new JsonObject { ["id"] = "11" } }));
    }

    internal static DateTimeOffset Parse(string jira) =>
        DateTimeOffset.ParseExact(jira, "yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture) is var d ? d : default;

    [Fact]
    public async Task Checklist_users_cloud_accountId_shape_and_server_name_key_shape()
    {
        var cloud = (await f.Cloud.GetAsync("/rest/api/2/myself")).Json;
        Assert.Equal("5b10a2844c20165700ede21g", cloud["accountId"].Str());
        Assert.Equal("atlassian", cloud["accountType"].Str());
        Assert.Null(cloud["name"]);
        Assert.Null(cloud["key"]);
        Assert.StartsWith("http://", cloud["avatarUrls"]!["48x48"].Str(), StringComparison.Ordinal);
        Assert.EndsWith("/rest/api/2/user?accountId=5b10a2844c20165700ede21g", cloud["self"].Str(), StringComparison.Ordinal);
        Assert.Equal("UTC", cloud["timeZone"].Str());
        Assert.True(cloud["active"]!.GetValue<bool>());

        var server = (await f.Server.GetAsync("/rest/api/2/myself")).Json;
        Assert.Equal("integration", server["name"].Str());
        Assert.StartsWith("JIRAUSER", server["key"].Str(), StringComparison.Ordinal);
        Assert.Null(server["accountId"]);
        Assert.EndsWith("/rest/api/2/user?username=integration", server["self"].Str(), StringComparison.Ordinal);

        var developer = (await f.CloudDeveloper.GetAsync("/rest/api/3/myself")).Json;
        Assert.Equal("developer@pluginhub.test", developer["emailAddress"].Str());
        Assert.Equal("Europe/Berlin", developer["timeZone"].Str());
        Assert.NotEqual(cloud["accountId"].Str(), developer["accountId"].Str());
    }

    [Fact]
    public async Task Checklist_screens_fields_not_on_the_issue_types_screen_cannot_be_set()
    {
        var onTask = await f.Cloud.PostAsync("/rest/api/2/issue", new JsonObject { ["fields"] = WithField(Fields("points", "Task"), "customfield_10044", 3) });
        Assert.Equal(201, onTask.Code);
        var onBug = await f.Cloud.PostAsync("/rest/api/2/issue", new JsonObject { ["fields"] = WithField(Fields("points", "Bug"), "customfield_10044", 3) });
        Assert.Equal(400, onBug.Code);
        Assert.Equal("Field 'customfield_10044' cannot be set. It is not on the appropriate screen, or unknown.", onBug.Json["errors"]!["customfield_10044"].Str());
        var unknown = await f.Cloud.PostAsync("/rest/api/2/issue", new JsonObject { ["fields"] = WithField(Fields("x"), "customfield_99999", "x") });
        Assert.Contains("cannot be set", unknown.Json["errors"]!["customfield_99999"].Str(), StringComparison.Ordinal);
    }

    private static JsonObject WithField(JsonObject fields, string id, JsonNode? value)
    {
        fields[id] = value;
        return fields;
    }

    [Fact]
    public async Task Checklist_custom_fields_read_and_write_shapes()
    {
        var fields = Fields("custom values");
        fields["customfield_10042"] = "500XX000001";
        fields["customfield_10043"] = new JsonObject { ["value"] = "Gold" };
        fields["customfield_10044"] = 5;
        fields["customfield_10045"] = "Steps *one*";
        var create = await f.Cloud.PostAsync("/rest/api/2/issue", new JsonObject { ["fields"] = fields });
        Assert.Equal(201, create.Code);
        var issue = (await f.Cloud.GetAsync($"/rest/api/2/issue/{create.Json["key"].Str()}?expand=names,schema")).Json;
        Assert.Equal("500XX000001", issue["fields"]!["customfield_10042"].Str());
        Assert.Equal("Gold", issue["fields"]!["customfield_10043"]!["value"].Str());
        Assert.Equal("10100", issue["fields"]!["customfield_10043"]!["id"].Str());
        Assert.Equal(5.0, issue["fields"]!["customfield_10044"]!.GetValue<double>());
        Assert.Equal("Salesforce Case Id", issue["names"]!["customfield_10042"].Str());
        Assert.Equal("com.atlassian.jira.plugin.system.customfieldtypes:textfield", issue["schema"]!["customfield_10042"]!["custom"].Str());
        Assert.Equal(10042, issue["schema"]!["customfield_10042"]!["customId"]!.GetValue<int>());

        var v3 = (await f.Cloud.GetAsync($"/rest/api/3/issue/{create.Json["key"].Str()}?fields=customfield_10045,customfield_10042")).Json;
        Assert.Equal("doc", v3["fields"]!["customfield_10045"]!["type"].Str());
        Assert.Equal("500XX000001", v3["fields"]!["customfield_10042"].Str());

        var badOption = await f.Cloud.PostAsync("/rest/api/2/issue", new JsonObject { ["fields"] = WithField(Fields("x"), "customfield_10043", new JsonObject { ["value"] = "Purple" }) });
        Assert.Equal("Option value 'Purple' is not valid", badOption.Json["errors"]!["customfield_10043"].Str());
    }

    [Fact]
    public async Task Checklist_changelog_records_every_change_with_author_and_history_metadata()
    {
        var key = await f.Cloud.CreateIssueAsync("changelog", extraFields: new JsonObject { ["labels"] = new JsonArray("old") });
        var edit = await f.CloudDeveloper.PutAsync($"/rest/api/2/issue/{key}", Json.Obj("""
            {"fields":{"summary":"changelog 2","customfield_10042":"500A"},
             "update":{"labels":[{"add":"new"},{"remove":"old"}]},
             "historyMetadata":{"type":"pluginhub:sync","activityDescription":"Synced from Salesforce"}}
            """));
        Assert.Equal(204, edit.Code);
        var issue = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}?expand=changelog")).Json;
        var history = issue["changelog"]!["histories"]!.AsArray().Single();
        Assert.Equal("developer@pluginhub.test", history!["author"]!["emailAddress"].Str());
        Assert.Equal("pluginhub:sync", history["historyMetadata"]!["type"].Str());
        var items = history["items"]!.AsArray().ToDictionary(i => i!["field"].Str(), i => i!);
        Assert.Equal("changelog", items["summary"]["fromString"].Str());
        Assert.Equal("changelog 2", items["summary"]["toString"].Str());
        Assert.Equal("jira", items["summary"]["fieldtype"].Str());
        Assert.Equal("old", items["labels"]["fromString"].Str());
        Assert.Equal("new", items["labels"]["toString"].Str());
        Assert.Equal("custom", items["Salesforce Case Id"]["fieldtype"].Str());
        Assert.Equal("customfield_10042", items["Salesforce Case Id"]["fieldId"].Str());

        // Only changed fields count: the same edit again changes nothing and writes no history.
        await f.CloudDeveloper.PutAsync($"/rest/api/2/issue/{key}", Json.Obj("""{"fields":{"summary":"changelog 2"}}"""));
        var page = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/changelog")).Json;
        Assert.Equal(1, page["total"]!.GetValue<int>());
        Assert.True(page["isLast"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Checklist_entity_properties_set_at_create_and_edit_and_limited_to_32k()
    {
        var create = await f.Cloud.PostAsync("/rest/api/2/issue", Json.Obj("""
            {"fields":{"project":{"key":"SUP"},"issuetype":{"id":"10001"},"summary":"props"},
             "properties":[{"key":"pluginhub","value":{"externalId":"500XX000001","source":"salesforce"}}]}
            """));
        var key = create.Json["key"].Str();
        var prop = await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/properties/pluginhub");
        Assert.Equal("500XX000001", prop.Json["value"]!["externalId"].Str());

        await f.Cloud.PutAsync($"/rest/api/2/issue/{key}", Json.Obj("""{"properties":[{"key":"second","value":{"n":2}}]}"""));
        var withProps = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}?fields=summary&properties=pluginhub,second")).Json;
        Assert.Equal(2, withProps["properties"]!["second"]!["n"]!.GetValue<int>());
        Assert.Equal("salesforce", withProps["properties"]!["pluginhub"]!["source"].Str());

        var tooLong = await f.Cloud.PutAsync($"/rest/api/2/issue/{key}/properties/big", new JsonObject { ["v"] = new string('x', 33000) });
        Assert.Equal(400, tooLong.Code);
    }

    [Fact]
    public async Task Checklist_get_with_fields_expand_and_properties()
    {
        var key = await f.Cloud.CreateIssueAsync("expand me", extraFields: new JsonObject { ["description"] = "h2. Steps\n*bold* text" });
        var all = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}?expand=renderedFields,names,schema,transitions,changelog")).Json;
        foreach (var field in new[] { "summary", "description", "issuetype", "project", "status", "priority", "resolution", "assignee", "reporter", "creator", "created", "updated", "labels", "attachment", "comment", "customfield_10042" })
        {
            Assert.True(all["fields"]!.AsObject().ContainsKey(field), field);
        }

        Assert.Null(all["fields"]!["resolution"]);
        Assert.Empty(all["fields"]!["labels"]!.AsArray());
        Assert.Contains("<b>bold</b>", all["renderedFields"]!["description"].Str(), StringComparison.Ordinal);
        Assert.Equal("Summary", all["names"]!["summary"].Str());
        Assert.Equal("string", all["schema"]!["summary"]!["type"].Str());
        Assert.NotEmpty(all["transitions"]!.AsArray());
        Assert.Equal(0, all["changelog"]!["total"]!.GetValue<int>());

        var some = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}?fields=*all,-description,-comment")).Json["fields"]!.AsObject();
        Assert.False(some.ContainsKey("description"));
        Assert.True(some.ContainsKey("summary"));

        var v3 = (await f.Cloud.GetAsync($"/rest/api/3/issue/{key}?fields=description")).Json;
        Assert.Equal("doc", v3["fields"]!["description"]!["type"].Str());
        Assert.Equal("heading", v3["fields"]!["description"]!["content"]![0]!["type"].Str());
    }

    [Fact]
    public async Task Checklist_create_201_bulk_partial_success_edit_204_return_issue_200_assignee_204_delete_204()
    {
        var bulk = await f.Cloud.PostAsync("/rest/api/2/issue/bulk", new JsonObject
        {
            ["issueUpdates"] = new JsonArray(
                new JsonObject { ["fields"] = Fields("bulk ok 1") },
                new JsonObject { ["fields"] = Json.Obj("""{"project":{"key":"SUP"},"issuetype":{"id":"424242"},"summary":"bad"}""") },
                new JsonObject { ["fields"] = Fields("bulk ok 2") }),
        });
        Assert.Equal(201, bulk.Code);
        Assert.Equal(2, bulk.Json["issues"]!.AsArray().Count);
        var error = bulk.Json["errors"]![0]!;
        Assert.Equal(1, error["failedElementNumber"]!.GetValue<int>());
        Assert.Equal(400, error["status"]!.GetValue<int>());
        Assert.Equal("The issue type selected is invalid.", error["elementErrors"]!["errors"]!["issuetype"].Str());

        var allBad = await f.Cloud.PostAsync("/rest/api/2/issue/bulk", new JsonObject { ["issueUpdates"] = new JsonArray(new JsonObject { ["fields"] = new JsonObject() }) });
        Assert.Equal(400, allBad.Code);
        Assert.Empty(allBad.Json["issues"]!.AsArray());

        var tooMany = new JsonArray(Enumerable.Range(0, 51).Select(i => (JsonNode)new JsonObject { ["fields"] = Fields($"n{i}") }).ToArray());
        Assert.Equal(400, (await f.Cloud.PostAsync("/rest/api/2/issue/bulk", new JsonObject { ["issueUpdates"] = tooMany })).Code);

        var key = bulk.Json["issues"]![0]!["key"].Str();
        var returned = await f.Cloud.PutAsync($"/rest/api/2/issue/{key}?returnIssue=true", Json.Obj("""{"fields":{"summary":"returned"}}"""));
        Assert.Equal(200, returned.Code);
        Assert.Equal("returned", returned.Json["fields"]!["summary"].Str());

        var assign = await f.Cloud.PutAsync($"/rest/api/2/issue/{key}/assignee", Json.Obj("""{"accountId":"5b10a2844c20165700ede22h"}"""));
        Assert.Equal(204, assign.Code);
        Assert.Equal("developer@pluginhub.test", (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}")).Json["fields"]!["assignee"]!["emailAddress"].Str());
        var serverKey = await f.Server.CreateIssueAsync("server assign");
        Assert.Equal(204, (await f.Server.PutAsync($"/rest/api/2/issue/{serverKey}/assignee", Json.Obj("""{"name":"developer"}"""))).Code);
        Assert.Equal("developer", (await f.Server.GetAsync($"/rest/api/2/issue/{serverKey}")).Json["fields"]!["assignee"]!["name"].Str());

        Assert.Equal(204, (await f.Cloud.DeleteAsync($"/rest/api/2/issue/{key}")).Code);
        Assert.Equal(404, (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}")).Code);
    }

    [Fact]
    public async Task Checklist_validation_errors_accumulate_in_one_errors_map()
    {
        var missing = await f.Cloud.PostAsync("/rest/api/2/issue", new JsonObject { ["fields"] = new JsonObject() });
        Assert.Equal(400, missing.Code);
        var errors = missing.Json["errors"]!.AsObject();
        Assert.Equal("Specify a valid project ID or key", errors["project"].Str());
        Assert.Equal("Specify an issue type", errors["issuetype"].Str());
        Assert.Equal("You must specify a summary of the issue.", errors["summary"].Str());
        Assert.Empty(missing.Json["errorMessages"]!.AsArray());

        var several = Fields(new string('x', 256));
        several["labels"] = new JsonArray("has space");
        several["customfield_10050"] = "x";
        var r = await f.Cloud.PostAsync("/rest/api/2/issue", new JsonObject { ["fields"] = several });
        var e = r.Json["errors"]!.AsObject();
        Assert.Equal("Summary must be less than 255 characters.", e["summary"].Str());
        Assert.Contains("contains spaces", e["labels"].Str(), StringComparison.Ordinal);
        Assert.Equal("Field 'customfield_10050' cannot be set. It is not on the appropriate screen, or unknown.", e["customfield_10050"].Str());

        var v3String = await f.Cloud.PostAsync("/rest/api/3/issue", new JsonObject { ["fields"] = WithField(Fields("adf"), "description", "plain") });
        Assert.Equal("Operation value must be an Atlassian Document (see the Atlassian Document Format)", v3String.Json["errors"]!["description"].Str());
        var emptyText = await f.Cloud.PostAsync("/rest/api/3/issue", new JsonObject
        {
            ["fields"] = WithField(Fields("adf"), "description", Json.Obj("""{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":""}]}]}""")),
        });
        Assert.Equal(400, emptyText.Code);
        Assert.NotNull(emptyText.Json["errors"]!["description"]);
        var goodAdf = await f.Cloud.PostAsync("/rest/api/3/issue", new JsonObject { ["fields"] = WithField(Fields("adf"), "description", Json.Adf("line one\nline two")) });
        Assert.Equal(201, goodAdf.Code);
        var asWiki = (await f.Cloud.GetAsync($"/rest/api/2/issue/{goodAdf.Json["key"].Str()}?fields=description")).Json;
        Assert.Equal("line one\nline two", asWiki["fields"]!["description"].Str());

        var tooLong = await f.Cloud.PostAsync("/rest/api/2/issue", new JsonObject { ["fields"] = WithField(Fields("long"), "description", new string('x', 32768)) });
        Assert.Equal("The entered text is too long. It exceeds the allowed limit of 32,767 characters.", tooLong.Json["errors"]!["description"].Str());

        var key = await f.Cloud.CreateIssueAsync("status by edit");
        var status = await f.Cloud.PutAsync($"/rest/api/2/issue/{key}", Json.Obj("""{"fields":{"status":{"name":"Done"}}}"""));
        Assert.Equal(400, status.Code);
        Assert.Equal("Field 'status' cannot be set. It is not on the appropriate screen, or unknown.", status.Json["errors"]!["status"].Str());
    }

    [Fact]
    public async Task Concurrent_writers_get_unique_keys_and_every_edit_is_recorded()
    {
        var keys = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? f.Cloud : f.CloudDeveloper).CreateIssueAsync($"parallel {i}",
            extraFields: new JsonObject { ["labels"] = new JsonArray("parallel") })));
        Assert.Equal(40, keys.Distinct().Count());

        var target = keys[0];
        var edits = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            (i % 2 == 0 ? f.Cloud : f.CloudDeveloper).PutAsync($"/rest/api/2/issue/{target}", new JsonObject { ["update"] = new JsonObject { ["labels"] = new JsonArray(new JsonObject { ["add"] = $"l{i}" }) } })));
        Assert.All(edits, e => Assert.Equal(204, e.Code));
        var issue = (await f.Cloud.GetAsync($"/rest/api/2/issue/{target}?expand=changelog")).Json;
        Assert.Equal(31, issue["fields"]!["labels"]!.AsArray().Count);
        Assert.Equal(30, issue["changelog"]!["total"]!.GetValue<int>());
        var count = (await f.Cloud.PostAsync("/rest/api/3/search/approximate-count", Json.Obj("""{"jql":"labels = parallel"}"""))).Json["count"]!.GetValue<int>();
        Assert.Equal(40, count);
    }

    [Fact]
    public async Task Cloud_embeds_the_latest_100_histories_and_the_changelog_endpoint_pages_through_all()
    {
        var key = await f.Cloud.CreateIssueAsync("long history");
        for (var i = 0; i < 105; i++)
        {
            await f.Cloud.PutAsync($"/rest/api/2/issue/{key}", new JsonObject { ["fields"] = new JsonObject { ["summary"] = $"v{i}" } });
        }

        var embedded = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}?fields=summary&expand=changelog")).Json["changelog"]!;
        Assert.Equal(105, embedded["total"]!.GetValue<int>());
        Assert.Equal(100, embedded["histories"]!.AsArray().Count);
        Assert.Equal("v104", embedded["histories"]![99]!["items"]![0]!["toString"].Str());

        var all = new List<string>();
        for (var startAt = 0; ;)
        {
            var page = (await f.Cloud.GetAsync($"/rest/api/2/issue/{key}/changelog?startAt={startAt}&maxResults=40")).Json;
            all.AddRange(page["values"]!.AsArray().Select(h => h!["items"]![0]!["toString"].Str()));
            startAt += page["values"]!.AsArray().Count;
            if (page["isLast"]!.GetValue<bool>())
            {
                Assert.Null(page["nextPage"]);
                break;
            }

            Assert.NotNull(page["nextPage"]);
        }

        Assert.Equal(Enumerable.Range(0, 105).Select(i => $"v{i}"), all);
    }

    [Fact]
    public async Task Malformed_bodies_answer_400_in_jiras_shape()
    {
        var broken = await f.Cloud.SendAsync(HttpMethod.Post, "/rest/api/2/issue", configure: r => r.Content = new StringContent("{\"fields\":", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, broken.Code);
        Assert.Equal("Invalid request payload. Refer to the REST API documentation and try again.", broken.Json["errorMessages"]![0].Str());
        var wrongType = await f.Cloud.PostAsync("/rest/api/3/search/jql", Json.Obj("""{"jql":42}"""));
        Assert.Equal(400, wrongType.Code);
        Assert.NotNull(wrongType.Json["errors"]);
    }
}
