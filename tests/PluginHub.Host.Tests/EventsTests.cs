using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Text;
using PluginHub.Testing;
using PluginHub.Testing.EndToEnd;
using Xunit.Abstractions;

namespace PluginHub.Host.Tests;

/// <summary>Event-based sync: Jira webhooks and Salesforce outbound messages reach the host and trigger runs; polling is off.</summary>
public sealed class EventsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Project = new() { ["project"] = "SUP" };
    private HostAgainstSandboxes _setup = null!;

    private SyncHarness Sandboxes => _setup.Sandboxes;

    public async Task InitializeAsync() => _setup = await HostAgainstSandboxes.StartAsync(output);

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task Edits_on_either_side_arrive_through_events_alone_duplicates_write_once_and_forgeries_are_refused()
    {
        var id = await _setup.CreateIntegrationAsync("salesforce-cases-to-jira-tasks", new()
        {
            ["direction"] = "bidirectional",
            ["events"] = true,
            ["schedule"] = new { pollSeconds = 86400 },
            ["comments"] = new { enabled = false },
            ["attachments"] = new { enabled = false },
        });
        await _setup.RunAsync(id);
        var @case = await CreateCaseAsync("Events please");
        await _setup.RunAsync(id);
        var issue = await IssueOfAsync(@case);

        await _setup.PostAsync($"/api/integrations/{id}/enable", null, HttpStatusCode.OK);
        var setups = await _setup.Api.PostAsync(new Uri($"/api/integrations/{id}/events", UriKind.Relative), null);
        var sides = (await setups.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.True(sides.Single(s => s.GetProperty("connector").GetString() == "jira").GetProperty("registered").GetBoolean());
        var salesforceSide = sides.Single(s => s.GetProperty("connector").GetString() == "salesforce");
        Assert.False(string.IsNullOrWhiteSpace(salesforceSide.GetProperty("manualSetup").GetString()));
        await Sandboxes.AdminAsync(Sandboxes.SalesforceUrl, HttpMethod.Post, "/_sandbox/outbound-messages", new
        {
            @object = "Case",
            fields = new[] { "Id" },
            url = salesforceSide.GetProperty("url").GetString(),
            retryBaseMs = 200,
            duplicateDeliveries = true,
        });

        // A developer edits the issue: only the Jira webhook can carry it to Salesforce (polling is once a day).
        await using (var developer = Sandboxes.Developer())
        {
            await WriteAsync(developer, new RecordWrite { Operation = WriteOperation.Update, Entity = "Task", Id = issue.Id, Scope = Project, Fields = new Dictionary<string, FieldValue> { ["summary"] = new TextValue("Changed in Jira") } });
        }

        await Poll.UntilAsync(async () => await SubjectAsync(@case) == "Changed in Jira", "the Jira edit reaches the Case", TimeSpan.FromSeconds(30));

        // The agent edits the Case: the outbound message carries it to Jira, delivered twice but written once.
        await Sandboxes.ResetMetricsAsync(Sandboxes.JiraUrl);
        await using (var agent = Sandboxes.Agent())
        {
            await WriteAsync(agent, new RecordWrite { Operation = WriteOperation.Update, Entity = "Case", Id = @case.Id, Fields = new Dictionary<string, FieldValue> { ["Subject"] = new TextValue("Changed in Salesforce") } });
        }

        await Poll.UntilAsync(async () => await SummaryAsync(issue) == "Changed in Salesforce", "the Case edit reaches the issue", TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(async () => (await Sandboxes.AdminAsync(Sandboxes.SalesforceUrl, HttpMethod.Get, "/_sandbox/outbound-messages"))!.ToJsonString().Contains("\"pending\":0", StringComparison.Ordinal), "every outbound message is acknowledged", TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(
            async () => (await _setup.Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/integrations/{id}/runs", UriKind.Relative))).EnumerateArray()
                .All(r => r.GetProperty("status").GetString() is not ("Queued" or "Running")),
            "the runs the deliveries started have ended",
            TimeSpan.FromSeconds(30));
        var metrics = (await Sandboxes.AdminAsync(Sandboxes.JiraUrl, HttpMethod.Get, "/_sandbox/metrics"))!["byRoute"]!.AsObject();
        Assert.Equal(1, metrics.Where(r => r.Key.StartsWith("PUT /rest/api/3/issue/", StringComparison.Ordinal)).Sum(r => r.Value!.GetValue<long>()));

        var runs = await _setup.Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/integrations/{id}/runs", UriKind.Relative));
        Assert.Contains(runs.EnumerateArray(), r => r.GetProperty("trigger").GetString() == "Event");

        // Forgeries: a wrong signature, a wrong key.
        using var forgedJira = new StringContent("""{"webhookEvent":"jira:issue_updated","issue":{"id":"10000","key":"SUP-1"}}""", Encoding.UTF8, "application/json");
        forgedJira.Headers.Add("X-Hub-Signature", "sha256=" + new string('0', 64));
        using var jiraAnswer = await _setup.Api.PostAsync(new Uri($"/hooks/jira/{id}", UriKind.Relative), forgedJira);
        Assert.Equal(HttpStatusCode.Unauthorized, jiraAnswer.StatusCode);
        Assert.Equal("application/problem+json", jiraAnswer.Content.Headers.ContentType?.MediaType);
        using var forgedSalesforce = new StringContent("<soapenv:Envelope/>", Encoding.UTF8, "text/xml");
        using var salesforceAnswer = await _setup.Api.PostAsync(new Uri($"/hooks/salesforce/{id}?key=forged", UriKind.Relative), forgedSalesforce);
        Assert.Equal(HttpStatusCode.Unauthorized, salesforceAnswer.StatusCode);
    }

    [Fact]
    public async Task A_lost_event_is_caught_by_the_reconciliation_poll()
    {
        var id = await _setup.CreateIntegrationAsync("salesforce-cases-to-jira-tasks", new()
        {
            ["events"] = true,
            ["schedule"] = new { pollSeconds = 5 },
            ["comments"] = new { enabled = false },
            ["attachments"] = new { enabled = false },
        });
        await _setup.RunAsync(id);
        var @case = await CreateCaseAsync("Nobody told us");
        await _setup.RunAsync(id);
        var issue = await IssueOfAsync(@case);
        await _setup.PostAsync($"/api/integrations/{id}/enable", null, HttpStatusCode.OK);

        // No outbound message is set up in Salesforce: the change's event never comes; the poll finds it.
        await using (var agent = Sandboxes.Agent())
        {
            await WriteAsync(agent, new RecordWrite { Operation = WriteOperation.Update, Entity = "Case", Id = @case.Id, Fields = new Dictionary<string, FieldValue> { ["Subject"] = new TextValue("Found by the poll") } });
        }

        await Poll.UntilAsync(async () => await SummaryAsync(issue) == "Found by the poll", "the poll carries the change", TimeSpan.FromSeconds(30));

        // The run that wrote it is recorded once it finishes (the write lands before the run ends).
        await Poll.UntilAsync(
            async () => (await _setup.Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/integrations/{id}/runs", UriKind.Relative))).EnumerateArray()
                .Any(r => r.GetProperty("trigger").GetString() == "Schedule" && r.GetProperty("counts").GetProperty("updated").GetInt32() == 1),
            "a scheduled run records the update",
            TimeSpan.FromSeconds(30));
    }

    private async Task<RecordRef> CreateCaseAsync(string subject)
    {
        await using var agent = Sandboxes.Agent();
        return await WriteAsync(agent, new RecordWrite
        {
            Operation = WriteOperation.Create,
            Entity = "Case",
            Fields = new Dictionary<string, FieldValue> { ["Subject"] = new TextValue(subject), ["Status"] = new ChoiceValue("New", null), ["Priority"] = new ChoiceValue("Medium", null) },
        });
    }

    private async Task<RecordRef> IssueOfAsync(RecordRef @case)
    {
        await using var salesforce = Sandboxes.Open(SyncHarness.SalesforceConnection);
        var read = await ((IRecordReader)salesforce).ReadByIdsAsync("Case", [@case.Id], ["Jira_Key__c"], CancellationToken.None);
        var key = Assert.IsType<TextValue>(read.Single().Fields["Jira_Key__c"]).Value;
        await using var jira = Sandboxes.Open(SyncHarness.JiraConnection);
        return (await ((IRecordReader)jira).ReadByIdsAsync("Task", [key], ["summary"], CancellationToken.None)).Single().Ref;
    }

    private async Task<string?> SubjectAsync(RecordRef @case)
    {
        await using var salesforce = Sandboxes.Open(SyncHarness.SalesforceConnection);
        var read = await ((IRecordReader)salesforce).ReadByIdsAsync("Case", [@case.Id], ["Subject"], CancellationToken.None);
        return (read.Single().Fields["Subject"] as TextValue)?.Value;
    }

    private async Task<string?> SummaryAsync(RecordRef issue)
    {
        await using var jira = Sandboxes.Open(SyncHarness.JiraConnection);
        var read = await ((IRecordReader)jira).ReadByIdsAsync("Task", [issue.Id], ["summary"], CancellationToken.None);
        return read.Single().Fields["summary"] switch { TextValue t => t.Value, RichTextValue r => PlainText.Of(r), _ => null };
    }

    private static async Task<RecordRef> WriteAsync(IConnector connector, RecordWrite write)
    {
        var result = (await ((IRecordWriter)connector).WriteAsync([write], CancellationToken.None)).Single();
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Record!;
    }
}
