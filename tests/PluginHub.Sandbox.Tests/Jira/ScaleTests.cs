using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>100,000 issues fit in memory and the poller's queries answer correctly at that size (timing lives in the benchmarks).</summary>
public sealed class ScaleTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    [Fact]
    public async Task One_hundred_thousand_issues_answer_updated_range_queries_and_paging()
    {
        using var admin = new HttpClient { BaseAddress = f.CloudServer.BaseUrl, Timeout = TimeSpan.FromMinutes(2) };
        var seeded = await admin.PostAsync(new Uri("/_sandbox/jira/seed", UriKind.Relative), JsonContent.Create(new { seed = 3, issues = 100_000 }));
        Assert.True(seeded.IsSuccessStatusCode);

        var count = (await f.Cloud.PostAsync("/rest/api/3/search/approximate-count", Json.Obj("""{"jql":"project = SUP"}"""))).Json["count"]!.GetValue<int>();
        Assert.Equal(100_000, count);

        // The most recent page of a poller: updated >= (newest - 1h), ordered, paged by token.
        var newest = (await f.Cloud.PostAsync("/rest/api/3/search/jql", Json.Obj("""{"jql":"project = SUP ORDER BY updated DESC","maxResults":1,"fields":["updated"]}"""))).Json;
        var newestUpdated = IssueTests.Parse(newest["issues"]![0]!["fields"]!["updated"].Str());
        var since = newestUpdated.AddHours(-1).ToUnixTimeMilliseconds();
        var seen = new List<DateTimeOffset>();
        string? token = null;
        do
        {
            var body = new JsonObject { ["jql"] = $"project = SUP AND updated >= {since} ORDER BY updated ASC, key ASC", ["maxResults"] = 100, ["fields"] = new JsonArray("updated") };
            if (token is not null)
            {
                body["nextPageToken"] = token;
            }

            var page = (await f.Cloud.PostAsync("/rest/api/3/search/jql", body)).Json;
            seen.AddRange(page["issues"]!.AsArray().Select(i => IssueTests.Parse(i!["fields"]!["updated"].Str())));
            token = (string?)page["nextPageToken"];
        }
        while (token is not null);

        Assert.NotEmpty(seen);
        Assert.True(seen.Count < 1000, "an hour of a 100k backlog spread over weeks is a small slice");
        Assert.All(seen, u => Assert.True(u.ToUnixTimeMilliseconds() >= since));
        Assert.Equal(seen.OrderBy(u => u).ToList(), seen);
        Assert.Equal(newestUpdated, seen[^1]);
    }
}
