using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>Reference §10 fault injection switches (§8.2, §8.3) and the seeding admin route (DESIGN §9).</summary>
public sealed class FaultAndSeedTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    private static async Task AddFaultAsync(Uri baseUrl, object rule)
    {
        using var admin = new HttpClient { BaseAddress = baseUrl };
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync(new Uri("/_sandbox/faults", UriKind.Relative), rule)).StatusCode);
    }

    [Fact]
    public async Task Checklist_faults_429_with_retry_after_and_rate_limit_headers_503_409_and_slow_responses()
    {
        await AddFaultAsync(f.CloudServer.BaseUrl, new { method = "GET", pathPrefix = "/rest/api/2/myself", status = 429, times = 1, retryAfterSeconds = 7 });
        var limited = await f.Cloud.GetAsync("/rest/api/2/myself");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("100", limited.Header("X-RateLimit-Limit"));
        Assert.Equal("0", limited.Header("X-RateLimit-Remaining"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", limited.Header("X-RateLimit-Reset"));
        Assert.Equal("jira-burst-based", limited.Header("RateLimit-Reason"));
        Assert.Equal("true", limited.Header("X-RateLimit-NearLimit"));
        Assert.Equal(200, (await f.Cloud.GetAsync("/rest/api/2/myself")).Code);

        await AddFaultAsync(f.ServerServer.BaseUrl, new { pathPrefix = "/rest/api/2/search", status = 429 });
        var server = await f.Server.GetAsync("/rest/api/2/search?jql=project%3DSUP");
        Assert.Equal(429, server.Code);
        Assert.NotNull(server.Headers.RetryAfter);
        Assert.Equal("1", server.Header("X-RateLimit-Interval-Seconds"));
        Assert.NotNull(server.Header("X-RateLimit-FillRate"));

        await AddFaultAsync(f.CloudServer.BaseUrl, new { pathPrefix = "/rest/api/3/issue", status = 503, retryAfterSeconds = 2 });
        var unavailable = await f.Cloud.GetAsync("/rest/api/3/issue/SUP-1");
        Assert.Equal(503, unavailable.Code);
        Assert.Equal(TimeSpan.FromSeconds(2), unavailable.Headers.RetryAfter?.Delta);
        Assert.NotEmpty(unavailable.Json["errorMessages"]!.AsArray());

        await AddFaultAsync(f.CloudServer.BaseUrl, new { method = "PUT", pathPrefix = "/rest/api/2/issue", status = 409 });
        Assert.Equal(409, (await f.Cloud.PutAsync("/rest/api/2/issue/SUP-1", new JsonObject())).Code);

        await AddFaultAsync(f.CloudServer.BaseUrl, new { pathPrefix = "/rest/api/2/serverInfo", delayMs = 300 });
        var started = TimeProvider.System.GetTimestamp();
        Assert.Equal(200, (await f.Cloud.GetAsync("/rest/api/2/serverInfo")).Code);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(290));
    }

    [Fact]
    public async Task Checklist_faults_per_issue_write_limit_answers_429_for_that_issue_only()
    {
        var busy = await f.Cloud.CreateIssueAsync("busy");
        var quiet = await f.Cloud.CreateIssueAsync("quiet");
        using var admin = new HttpClient { BaseAddress = f.CloudServer.BaseUrl };
        await admin.PostAsJsonAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), new { perIssueWriteLimit = true });
        try
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(204, (await f.Cloud.PutAsync($"/rest/api/2/issue/{busy}", new JsonObject { ["fields"] = new JsonObject { ["summary"] = $"busy {i}" } })).Code);
            }

            var limited = await f.Cloud.PutAsync($"/rest/api/2/issue/{busy}", new JsonObject { ["fields"] = new JsonObject { ["summary"] = "one too many" } });
            Assert.Equal(429, limited.Code);
            Assert.Equal("jira-per-issue-on-write", limited.Header("RateLimit-Reason"));
            Assert.NotNull(limited.Headers.RetryAfter);
            Assert.Equal(200, (await f.Cloud.GetAsync($"/rest/api/2/issue/{busy}")).Code);
            Assert.Equal(204, (await f.Cloud.PutAsync($"/rest/api/2/issue/{quiet}", new JsonObject { ["fields"] = new JsonObject { ["summary"] = "still fine" } })).Code);
        }
        finally
        {
            await admin.PostAsJsonAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), new { perIssueWriteLimit = false });
        }
    }

    [Fact]
    public async Task Metrics_count_jira_calls_per_route_template()
    {
        using var admin = new HttpClient { BaseAddress = f.ServerServer.BaseUrl };
        await admin.PostAsync(new Uri("/_sandbox/metrics/reset", UriKind.Relative), null);
        var key = await f.Server.CreateIssueAsync("metrics");
        await f.Server.GetAsync($"/rest/api/2/issue/{key}");
        await f.Server.GetAsync($"/rest/api/2/issue/{key.ToLowerInvariant()}");
        var metrics = await admin.GetFromJsonAsync<JsonObject>(new Uri("/_sandbox/metrics", UriKind.Relative));
        Assert.Equal(2, metrics!["byRoute"]!["GET /rest/api/2/issue/{issueIdOrKey}"]!.GetValue<long>());
        Assert.Equal(1, metrics["byRoute"]!["POST /rest/api/2/issue"]!.GetValue<long>());
    }

    [Fact]
    public async Task Seeding_is_deterministic_and_fills_sup_with_issues_comments_and_attachments()
    {
        using var admin = new HttpClient { BaseAddress = f.ServerServer.BaseUrl };
        async Task<string> SnapshotAsync()
        {
            var seeded = await admin.PostAsync(new Uri("/_sandbox/jira/seed", UriKind.Relative), JsonContent.Create(new { seed = 42, issues = 30 }));
            Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
            var page = (await f.Server.GetAsync("/rest/api/2/search?jql=project%3DSUP%20ORDER%20BY%20key%20ASC&maxResults=100&fields=summary,labels,status,priority,comment,attachment,customfield_10042")).Json;
            Assert.Equal(30, page["total"]!.GetValue<int>());
            var issues = page["issues"]!.AsArray();
            Assert.Contains(issues, i => i!["fields"]!["comment"]!["total"]!.GetValue<int>() > 0);
            Assert.Contains(issues, i => i!["fields"]!["attachment"]!.AsArray().Count > 0);
            Assert.Contains(issues, i => i!["fields"]!["customfield_10042"] is not null);
            foreach (var issue in issues)
            {
                // Drop what depends on the clock or the host so that two seedings compare equal.
                foreach (var c in issue!["fields"]!["comment"]!["comments"]!.AsArray())
                {
                    c!.AsObject().Remove("created");
                    c.AsObject().Remove("updated");
                }

                foreach (var a in issue["fields"]!["attachment"]!.AsArray())
                {
                    a!.AsObject().Remove("created");
                }
            }

            return issues.ToJsonString();
        }

        var first = await SnapshotAsync();
        var second = await SnapshotAsync();
        Assert.Equal(first, second);

        var attachment = JsonNode.Parse(first)!.AsArray().SelectMany(i => i!["fields"]!["attachment"]!.AsArray()).First()!;
        var bytes = await f.Server.GetAsync(new Uri(attachment["content"].Str()).PathAndQuery);
        Assert.Equal(200, bytes.Code);
        Assert.Equal(attachment["size"]!.GetValue<int>(), bytes.Bytes.Length);
    }
}

/// <summary>A sandbox started with <c>--seed</c>: reset returns to the seeded state.</summary>
public sealed class SeededStartTests(SeededJiraSandboxFixture f) : IClassFixture<SeededJiraSandboxFixture>
{
    [Fact]
    public async Task A_seed_at_start_gives_seeded_data_and_reset_returns_to_it()
    {
        var before = (await f.Cloud.PostAsync("/rest/api/3/search/approximate-count", Json.Obj("""{"jql":"project = SUP"}"""))).Json["count"]!.GetValue<int>();
        Assert.Equal(25, before);
        await f.Cloud.CreateIssueAsync("extra");
        using var admin = new HttpClient { BaseAddress = f.CloudServer.BaseUrl };
        await admin.PostAsync(new Uri("/_sandbox/reset", UriKind.Relative), null);
        var after = (await f.Cloud.PostAsync("/rest/api/3/search/approximate-count", Json.Obj("""{"jql":"project = SUP"}"""))).Json["count"]!.GetValue<int>();
        Assert.Equal(25, after);
    }
}
