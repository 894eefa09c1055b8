using PluginHub.Connectors.Abstractions;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>Writes through sObject Collections: batching, upserts, correlation, values checked against the describe, errors.</summary>
public sealed class WriteTests(SalesforceSandbox sandbox, ITestOutputHelper output) : IClassFixture<SalesforceSandbox>
{
    private static readonly CorrelationLocation JiraKey = new("Jira_Key__c", null);

    [Fact]
    public async Task Writes_travel_200_per_call_and_results_keep_the_order()
    {
        await using var connector = sandbox.Connect(output);
        await connector.DescribeEntityAsync("Case", null, CancellationToken.None);
        await sandbox.ResetMetricsAsync();
        var writes = Enumerable.Range(0, 250).Select(i => Create(("Subject", new TextValue($"batch {i}")))).ToList();

        var results = await connector.WriteAsync(writes, CancellationToken.None);

        Assert.Equal(250, results.Count);
        Assert.All(results, r => Assert.True(r.Succeeded && r.Created, r.Error?.Message));
        Assert.Equal(2, (await sandbox.MetricsAsync())["POST /services/data/v{version}/composite/sobjects"]);
        var read = await connector.ReadByIdsAsync("Case", [.. results.Select(r => r.Record!.Id)], ["Subject"], CancellationToken.None);
        var subjects = read.ToDictionary(r => r.Ref.Id, r => ((TextValue)r.Fields["Subject"]).Value);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"batch {i}"), results.Select(r => subjects[r.Record!.Id]));
        Assert.Equal(200, connector.MaxBatchSize);
    }

    [Fact]
    public async Task A_create_with_a_correlation_id_is_an_idempotent_upsert_on_the_correlation_field()
    {
        await using var connector = sandbox.Connect(output);
        var correlation = "SUP-" + Guid.NewGuid().ToString("N")[..10];
        var write = Create(("Subject", new TextValue("correlated"))) with { CorrelationId = correlation, Correlation = JiraKey };

        var first = Assert.Single(await connector.WriteAsync([write], CancellationToken.None));
        var again = Assert.Single(await connector.WriteAsync([write], CancellationToken.None)); // a retry after a crash

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Record!.Id, again.Record!.Id);
        var found = await connector.FindByCorrelationIdsAsync("Case", [correlation], null, JiraKey, CancellationToken.None);
        Assert.Equal(first.Record.Id, found[correlation].Id);
        Assert.Empty(await connector.FindByCorrelationIdsAsync("Case", [correlation], null, CancellationToken.None)); // 1.0 overload: no field, nothing stored there
    }

    [Fact]
    public async Task An_upsert_batch_reports_per_record_whether_it_created()
    {
        await using var connector = sandbox.Connect(output);
        var keys = Enumerable.Range(0, 3).Select(_ => "UP-" + Guid.NewGuid().ToString("N")[..10]).ToList();
        RecordWrite Upsert(string key, string text) => new()
        {
            Operation = WriteOperation.Upsert,
            Entity = "Case",
            ExternalIdField = "jira_key__c",
            ExternalId = key,
            Fields = new Dictionary<string, FieldValue> { ["Subject"] = new TextValue(text) },
        };
        var existing = Assert.Single(await connector.WriteAsync([Upsert(keys[1], "before")], CancellationToken.None));

        var results = await connector.WriteAsync([.. keys.Select(k => Upsert(k, "after"))], CancellationToken.None);

        Assert.Equal([true, false, true], results.Select(r => r.Created));
        Assert.Equal(existing.Record!.Id, results[1].Record!.Id);
        var read = await connector.ReadByIdsAsync("Case", [.. results.Select(r => r.Record!.Id)], ["Subject", "Jira_Key__c"], CancellationToken.None);
        Assert.All(read, r => Assert.Equal(new TextValue("after"), r.Fields["Subject"]));
    }

    [Fact]
    public async Task A_value_outside_the_picklist_costs_that_field_only_with_a_reason_that_does_not_quote_it()
    {
        await using var connector = sandbox.Connect(output);

        var results = await connector.WriteAsync(
            [
                Create(("Subject", new TextValue("picky")), ("Status", new ChoiceValue("Bogus-Status-42", null)), ("Priority", new ChoiceValue("high", "High"))),
                Create(("Subject", new TextValue("fine")), ("Status", new ChoiceValue("Working", "Working"))),
            ],
            CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        var reason = Assert.Single(results[0].RejectedFields).Value;
        Assert.Equal("Status", results[0].RejectedFields.Keys.Single());
        Assert.DoesNotContain("Bogus", reason, StringComparison.Ordinal);
        var read = await connector.ReadByIdsAsync("Case", [results[0].Record!.Id], ["Status", "Priority"], CancellationToken.None);
        Assert.Equal("New", ((ChoiceValue)read[0].Fields["Status"]).Key);
        Assert.Equal("High", ((ChoiceValue)read[0].Fields["Priority"]).Key); // canonical spelling
    }

    [Fact]
    public async Task Owners_given_by_email_are_resolved_and_assignment_rules_do_not_override_them()
    {
        await sandbox.AdminAsync("settings", new { autoAssignCasesToQueue = true });
        try
        {
            await using var connector = sandbox.Connect(output);
            var results = await connector.WriteAsync(
                [
                    Create(("Subject", new TextValue("owned")), ("OwnerId", new UserValue(new UserRef(null, "AGENT@pluginhub.test", null)))),
                    Create(("Subject", new TextValue("unknown owner")), ("OwnerId", new UserValue(new UserRef(null, "nobody@example.com", null)))),
                ],
                CancellationToken.None);

            Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
            var owned = (await connector.ReadByIdsAsync("Case", [results[0].Record!.Id], ["OwnerId"], CancellationToken.None))[0];
            Assert.Equal("agent@pluginhub.test", ((UserValue)owned.Fields["OwnerId"]).User.Email);
            Assert.Contains("OwnerId", results[1].RejectedFields.Keys);
            Assert.DoesNotContain("nobody", results[1].RejectedFields["OwnerId"], StringComparison.Ordinal);
        }
        finally
        {
            await sandbox.AdminAsync("settings", new { autoAssignCasesToQueue = false });
        }
    }

    [Fact]
    public async Task Rich_text_becomes_plain_text_in_plain_fields_and_read_only_fields_are_rejected()
    {
        await using var connector = sandbox.Connect(output);

        var result = Assert.Single(await connector.WriteAsync(
            [Create(("Subject", new RichTextValue(RichTextFormat.Html, "<p>Printer <b>on fire</b></p>")), ("Description", new RichTextValue(RichTextFormat.JiraWiki, "*Steps*\n# plug in\n# smoke")), ("CaseNumber", new TextValue("1")))],
            CancellationToken.None));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Contains("CaseNumber", result.RejectedFields.Keys);
        var read = (await connector.ReadByIdsAsync("Case", [result.Record!.Id], ["Subject", "Description"], CancellationToken.None))[0];
        Assert.Equal("Printer on fire", ((TextValue)read.Fields["Subject"]).Value);
        Assert.DoesNotContain("*", ((TextValue)read.Fields["Description"]).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Salesforce_errors_become_per_record_errors_with_code_and_fields_but_no_values()
    {
        await sandbox.AdminAsync("validation-rules", new { @object = "Case", field = "Subject", equals = "forbidden subject", message = "Subject not allowed", errorField = "Subject" });
        await using var connector = sandbox.Connect(output);

        var results = await connector.WriteAsync(
            [
                Create(("Subject", new TextValue("forbidden subject"))),
                new RecordWrite { Operation = WriteOperation.Create, Entity = "CaseComment", Fields = new Dictionary<string, FieldValue> { ["CommentBody"] = new TextValue("orphan") } },
                new RecordWrite { Operation = WriteOperation.Update, Entity = "Case", Id = SalesforceSandbox.MissingId("500"), Fields = new Dictionary<string, FieldValue> { ["Subject"] = new TextValue("ghost") } },
                new RecordWrite { Operation = WriteOperation.Create, Entity = "NoSuchObject__c", Fields = new Dictionary<string, FieldValue>() },
                Create(("Subject", new TextValue("ok"))),
            ],
            CancellationToken.None);

        Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION", results[0].Error!.RemoteCode);
        Assert.Contains("Subject not allowed", results[0].Error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("forbidden subject", results[0].Error!.Message, StringComparison.Ordinal);
        Assert.Equal("REQUIRED_FIELD_MISSING", results[1].Error!.RemoteCode);
        Assert.Contains("ParentId", results[1].Error!.Fields);
        Assert.Equal(FailureKind.NotFound, results[2].Error!.Kind);
        Assert.DoesNotContain("ghost", results[2].Error!.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.NotFound, results[3].Error!.Kind);
        Assert.True(results[4].Succeeded, results[4].Error?.Message);
    }

    [Fact]
    public async Task Users_are_found_by_email_and_emails_by_id_once_per_instance()
    {
        await using var connector = sandbox.Connect(output);
        var ids = await connector.Users.IdsByEmailAsync(["agent@pluginhub.test", "nobody@example.com"], CancellationToken.None);
        var agent = ids["agent@pluginhub.test"];
        await sandbox.ResetMetricsAsync();

        var again = await connector.Users.IdsByEmailAsync(["Agent@PluginHub.test"], CancellationToken.None);
        var emails = await connector.Users.EmailsByIdAsync([agent], CancellationToken.None);

        Assert.Equal(agent, again["Agent@PluginHub.test"]);
        Assert.Equal("agent@pluginhub.test", emails[agent]);
        Assert.DoesNotContain("nobody@example.com", ids.Keys);
        Assert.Equal(0, await sandbox.CallsAsync("/query"));
    }

    private static RecordWrite Create(params (string Field, FieldValue Value)[] fields) => new()
    {
        Operation = WriteOperation.Create,
        Entity = "Case",
        Fields = fields.ToDictionary(f => f.Field, f => f.Value),
    };
}
