using System.Net.Http.Json;
using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Testing;
using Record = PluginHub.Connectors.Abstractions.Record;
using PluginHub.Testing.EndToEnd;
using Xunit.Abstractions;

namespace PluginHub.Host.Tests;

/// <summary>A checkpoint certifies everything before it: the host killed mid-run and started again loses nothing and creates nothing twice.</summary>
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Cases = 1500;
    private HostAgainstSandboxes _setup = null!;

    private SyncHarness Sandboxes => _setup.Sandboxes;

    public async Task InitializeAsync() => _setup = await HostAgainstSandboxes.StartAsync(output);

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task Killing_the_host_in_the_middle_of_an_initial_sync_and_starting_again_neither_loses_nor_duplicates()
    {
        await Sandboxes.AdminAsync(Sandboxes.SalesforceUrl, HttpMethod.Post, "/_sandbox/seed", new { seed = 7, cases = Cases });
        var id = await _setup.CreateIntegrationAsync("salesforce-cases-to-jira-tasks", new()
        {
            ["initialSync"] = new { enabled = true },
            ["fields"] = new[] { new { source = "Subject", target = "summary" } },
            ["comments"] = new { enabled = false },
            ["attachments"] = new { enabled = false },
        });

        // Slow Jira down so that the kill lands while issues are being created.
        await Sandboxes.AdminAsync(Sandboxes.JiraUrl, HttpMethod.Post, "/_sandbox/latency", new { ms = 150 });
        await Sandboxes.ResetMetricsAsync(Sandboxes.JiraUrl);
        await _setup.PostAsync($"/api/integrations/{id}/runs", null, System.Net.HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () => await BulkCreatesAsync() >= 4, "the run creates issues", TimeSpan.FromSeconds(60));
        await _setup.Host.KillAsync();
        var createdBeforeKill = (await AllIssuesAsync()).Count;
        output.WriteLine($"killed after {createdBeforeKill} of {Cases} issues");
        Assert.InRange(createdBeforeKill, 1, Cases - 1);

        await Sandboxes.AdminAsync(Sandboxes.JiraUrl, HttpMethod.Post, "/_sandbox/latency", new { ms = 0 });
        await _setup.StartHostAsync();
        var run = await _setup.RunAsync(id, TimeSpan.FromMinutes(3));
        output.WriteLine(run.ToString());

        var issues = await AllIssuesAsync();
        Assert.Equal(Cases, issues.Count);
        Assert.Equal(Cases, issues.Select(i => i.Fields["labels"] is MultiChoiceValue labels ? string.Join(",", labels.Values.Select(v => v.Key)) : null).Distinct().Count());
        await using var salesforce = Sandboxes.Open(SyncHarness.SalesforceConnection);
        var cases = new List<Record>();
        await foreach (var page in ((IChangeReader)salesforce).ReadChangesAsync(new ChangeQuery { Entity = "Case", Fields = ["Jira_Key__c"], InitialSince = DateTimeOffset.UnixEpoch }, CancellationToken.None))
        {
            cases.AddRange(page.Records);
        }

        Assert.Equal(Cases, cases.Count);
        Assert.All(cases, c => Assert.IsType<TextValue>(c.Fields["Jira_Key__c"]));
        var runs = await _setup.Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/integrations/{id}/runs", UriKind.Relative));
        Assert.Contains(runs.EnumerateArray(), r => r.GetProperty("status").GetString() == "Failed" && r.GetProperty("message").GetString()!.Contains("host stopped", StringComparison.Ordinal));
    }

    private async Task<long> BulkCreatesAsync()
    {
        var routes = (await Sandboxes.AdminAsync(Sandboxes.JiraUrl, HttpMethod.Get, "/_sandbox/metrics"))!["byRoute"]!.AsObject();
        return routes.Where(r => r.Key.StartsWith("POST /rest/api/", StringComparison.Ordinal) && r.Key.Contains("/issue", StringComparison.Ordinal) && !r.Key.Contains("/comment", StringComparison.Ordinal))
            .Sum(r => r.Value!.GetValue<long>());
    }

    private async Task<List<Record>> AllIssuesAsync()
    {
        await using var jira = Sandboxes.Open(SyncHarness.JiraConnection);
        var all = new List<Record>();
        await foreach (var page in ((IChangeReader)jira).ReadChangesAsync(new ChangeQuery { Entity = "Task", Fields = ["labels"], Scope = new Dictionary<string, string> { ["project"] = "SUP" }, InitialSince = DateTimeOffset.UnixEpoch }, CancellationToken.None))
        {
            all.AddRange(page.Records);
        }

        return all;
    }
}
