using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Conformance;
using PluginHub.Connectors.Sdk.Text;
using PluginHub.Testing;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Jira.Tests;

/// <summary>What the conformance suite does not cover: Jira's own behaviour, against one flavour of the sandbox.</summary>
public abstract class JiraConnectorTests(JiraSandboxFixture sandbox, ITestOutputHelper output)
{
    protected static readonly IReadOnlyDictionary<string, string> Sup = new Dictionary<string, string> { ["project"] = "SUP" };

    protected JiraSandboxFixture Sandbox { get; } = sandbox;

    protected ITestOutputHelper Output { get; } = output;

    [Fact]
    public async Task Credentials_that_Jira_answers_as_anonymous_are_a_configuration_failure()
    {
        await Sandbox.AdminAsync("jira/settings", new { failedLoginAsAnonymous = true });
        try
        {
            await using var connector = Connect(Sandbox.Settings(token: "wrong-token"));

            var check = await connector.CheckAsync(CancellationToken.None);
            var read = await Assert.ThrowsAsync<ConnectorException>(() => connector.ListEntitiesAsync(Sup, CancellationToken.None));

            Assert.Equal(FailureKind.Configuration, check.FailureKind);
            Assert.Equal(FailureKind.Configuration, read.Kind);
            Assert.DoesNotContain("wrong-token", check.Message, StringComparison.Ordinal);
        }
        finally
        {
            await Sandbox.AdminAsync("jira/settings", new { failedLoginAsAnonymous = false });
        }
    }

    [Fact]
    public async Task The_wrong_flavour_is_a_configuration_failure()
    {
        await using var connector = Connect(Sandbox.Settings(flavor: Sandbox.IsCloud ? "server" : "cloud", apiVersion: "2"));

        var check = await connector.CheckAsync(CancellationToken.None);

        Assert.Equal(FailureKind.Configuration, check.FailureKind);
        Assert.Contains("flavor", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_base_url_with_a_path_is_kept()
    {
        var path = Sandbox.IsCloud ? "ex/jira/0d1c2b3a-cloud-id" : "jira";
        await using var connector = Connect(Sandbox.Settings(baseUrl: new Uri(Sandbox.BaseUrl, path).ToString()));

        var check = await connector.CheckAsync(CancellationToken.None);
        var created = await CreateAsync(connector, Summary("context path"));
        var read = await ((IRecordReader)connector).ReadByIdsAsync("Task", [created.Id], ["summary"], CancellationToken.None);

        Assert.True(check.Healthy, check.Message);
        Assert.Single(read);
    }

    [Fact]
    public async Task Describe_gives_custom_fields_statuses_and_the_rich_text_format()
    {
        var custom = "Incident " + Guid.NewGuid().ToString("N")[..6];
        await Sandbox.AdminAsync("jira/issuetypes", new { name = custom, description = "An admin-made issue type." });
        await using var connector = Connect();

        var entities = await connector.ListEntitiesAsync(Sup, CancellationToken.None);
        var schema = await connector.DescribeEntityAsync("Task", Sup, CancellationToken.None);

        Assert.Contains(entities, e => e.Name == custom && e.IsCustom);
        Assert.Contains(entities, e => e.Name == "Bug" && !e.IsCustom);
        Assert.Equal("id", schema.KeyField);
        Assert.Equal("updated", schema.CursorField);
        var status = Assert.Single(schema.Fields, f => f.Name == "status");
        Assert.Equal(FieldType.Choice, status.Type);
        Assert.False(status.ReadOnly);
        Assert.Contains(status.AllowedValues, v => v.Key == "To Do" && v.Category == "new");
        Assert.Contains(status.AllowedValues, v => v.Key == "Done" && v.Category == "done");
        Assert.DoesNotContain(status.AllowedValues, v => v.Key == "In Review"); // a Bug-only status
        var description = Assert.Single(schema.Fields, f => f.Name == "description");
        Assert.Equal(Sandbox.IsCloud ? RichTextFormat.Adf : RichTextFormat.JiraWiki, description.RichTextFormat);
        var tier = Assert.Single(schema.Fields, f => f.Name == "customfield_10043");
        Assert.True(tier.IsCustom);
        Assert.Equal(FieldType.Choice, tier.Type);
        Assert.Equal(["Gold", "Silver", "Bronze"], tier.AllowedValues.Select(v => v.Key));
        Assert.True(Assert.Single(schema.Fields, f => f.Name == "customfield_10042").CanHoldCorrelationId);
        var labels = Assert.Single(schema.Fields, f => f.Name == "labels");
        Assert.Equal(FieldType.MultiChoice, labels.Type);
        Assert.True(labels.CanHoldCorrelationId);
        Assert.Equal(FieldType.User, Assert.Single(schema.Fields, f => f.Name == "assignee").Type);
        Assert.Contains(Assert.Single(schema.Fields, f => f.Name == "priority").AllowedValues, v => v.Key == "High");
        Assert.DoesNotContain(schema.Fields, f => f.Name is "project" or "issuetype");
        var unknown = await Assert.ThrowsAsync<ConnectorException>(() => connector.DescribeEntityAsync("Nope", Sup, CancellationToken.None));
        Assert.Equal(FailureKind.NotFound, unknown.Kind);

        // Without a project Jira cannot say which fields a type has: every field it knows is offered.
        var unscoped = await connector.DescribeEntityAsync("Task", null, CancellationToken.None);
        Assert.Contains(unscoped.Fields, f => f.Name == "customfield_10044");
        Assert.Contains(await connector.ListEntitiesAsync(null, CancellationToken.None), e => e.Name == "Bug");
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_are_retried()
    {
        await using var connector = Connect();
        var created = await CreateAsync(connector, Summary("retried"));
        await Sandbox.AdminAsync("faults", new { method = "POST", pathPrefix = "/rest/api/", status = 429, times = 2, retryAfterSeconds = 1 });
        await Sandbox.AdminAsync("faults", new { method = "GET", pathPrefix = "/rest/api/", status = 503, times = 2 });
        var before = ((JiraConnector)connector).Calls;
        var watch = Stopwatch.StartNew();

        var check = await connector.CheckAsync(CancellationToken.None);
        var read = await ((IRecordReader)connector).ReadByIdsAsync("Task", [created.Id], ["summary"], CancellationToken.None);

        Assert.True(check.Healthy, check.Message);
        Assert.Single(read);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.5), "the Retry-After of the 429s was not honoured");
        Assert.True(((JiraConnector)connector).Calls - before >= 6);
        Output.WriteLine($"2×429 + 2×503 absorbed in {watch.ElapsedMilliseconds} ms, {((JiraConnector)connector).Calls - before} calls");
    }

    [Fact]
    public async Task A_long_retry_after_is_reported_as_transient_with_the_wait()
    {
        await using var connector = Connect();
        await Sandbox.AdminAsync("faults", new { method = "GET", pathPrefix = "/rest/api/", status = 429, times = 1, retryAfterSeconds = 600 });
        try
        {
            var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.ListEntitiesAsync(Sup, CancellationToken.None));

            Assert.Equal(FailureKind.Transient, error.Kind);
            Assert.Equal(TimeSpan.FromSeconds(600), error.RetryAfter);
        }
        finally
        {
            await Sandbox.ClearFaultsAsync();
        }
    }

    [Fact]
    public async Task A_batch_that_cannot_be_attempted_throws_for_the_host_to_retry_later()
    {
        await using var connector = Connect();
        await Sandbox.AdminAsync("faults", new { method = "POST", pathPrefix = "/rest/api/", status = 429, times = 1, retryAfterSeconds = 300 });
        try
        {
            var error = await Assert.ThrowsAsync<ConnectorException>(() =>
                ((IRecordWriter)connector).WriteAsync([Create("Task", new() { ["summary"] = new TextValue(Summary("throttled")) })], CancellationToken.None));

            Assert.Equal(FailureKind.Transient, error.Kind);
            Assert.Equal(TimeSpan.FromSeconds(300), error.RetryAfter);
        }
        finally
        {
            await Sandbox.ClearFaultsAsync();
        }
    }

    [Fact]
    public async Task A_status_is_reached_through_several_transitions()
    {
        await using var connector = Connect();
        var bug = await CreateAsync(connector, Summary("bug to close"), "Bug");

        var result = await WriteOneAsync(connector, Update(bug, "Bug", new() { ["status"] = new ChoiceValue("Done", "Done") }) with { Scope = null });
        var read = await ReadOneAsync(connector, bug, "Bug", "status", "resolution");

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Empty(result.RejectedFields);
        Assert.Equal("Done", ((ChoiceValue)read.Fields["status"]).Key); // To Do → In Progress → In Review → Done
        Assert.Equal("Done", ((ChoiceValue)read.Fields["resolution"]).Key); // the transition screen asked for one
    }

    [Fact]
    public async Task A_created_issue_gets_its_status_and_an_unreachable_status_is_a_rejected_field()
    {
        await using var connector = Connect();
        var created = await WriteOneAsync(connector, Create("Task", new() { ["summary"] = new TextValue(Summary("born done")), ["status"] = new TextValue("Done") }));
        var text = Summary("still written");

        var result = await WriteOneAsync(connector, Update(created.Record!, "Task", new() { ["summary"] = new TextValue(text), ["status"] = new ChoiceValue("In Review", null) }));
        var read = await ReadOneAsync(connector, created.Record!, "Task", "summary", "status");

        Assert.True(created.Succeeded && created.RejectedFields.Count == 0, created.Error?.Message);
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.False(string.IsNullOrWhiteSpace(Assert.Contains("status", result.RejectedFields)));
        Assert.Equal(text, ((TextValue)read.Fields["summary"]).Value);
        Assert.Equal("Done", ((ChoiceValue)read.Fields["status"]).Key);
    }

    [Fact]
    public async Task Created_issues_reach_their_status_with_one_call_each_once_the_workflow_is_learned()
    {
        await using var connector = Connect();
        var writes = Enumerable.Range(0, 30).Select(i => Create("Task", new() { ["summary"] = new TextValue(Summary($"born in progress {i}")), ["status"] = new ChoiceValue("In Progress", null) })).ToList();
        await Sandbox.ResetMetricsAsync();

        var results = await ((IRecordWriter)connector).WriteAsync(writes, CancellationToken.None);

        var metrics = await Sandbox.MetricsAsync();
        Assert.All(results, r => Assert.True(r.Succeeded && r.RejectedFields.Count == 0, r.Error?.Message ?? string.Join("; ", r.RejectedFields)));
        Assert.All(await ((IRecordReader)connector).ReadByIdsAsync("Task", [.. results.Select(r => r.Record!.Id)], ["status"], CancellationToken.None),
            r => Assert.Equal("In Progress", ((ChoiceValue)r.Fields["status"]).Key));
        Assert.Equal(30, metrics.Where(m => m.Key.StartsWith("POST", StringComparison.Ordinal) && m.Key.EndsWith("/transitions", StringComparison.Ordinal)).Sum(m => m.Value));
        Assert.Equal(1, metrics.Where(m => m.Key.StartsWith("GET", StringComparison.Ordinal) && m.Key.EndsWith("/transitions", StringComparison.Ordinal)).Sum(m => m.Value));
        Assert.Equal(1, metrics.Where(m => m.Key.StartsWith("GET", StringComparison.Ordinal) && m.Key.EndsWith("/issue/{issueIdOrKey}", StringComparison.Ordinal)).Sum(m => m.Value));
    }

    [Fact]
    public async Task Created_issues_take_their_first_workflow_step_with_the_create_on_cloud()
    {
        await using var connector = Connect();
        // 120 Tasks: even ones to Done (To Do → In Progress → Done), odd ones to In Progress; the first (a Done) learns the workflow.
        var writes = Enumerable.Range(0, 120).Select(i => Create("Task", new()
        {
            ["summary"] = new TextValue(Summary($"mixed {i}")),
            ["status"] = new ChoiceValue(i % 2 == 0 ? "Done" : "In Progress", null),
        })).ToList();
        await Sandbox.ResetMetricsAsync();

        var results = await ((IRecordWriter)connector).WriteAsync(writes, CancellationToken.None);

        var metrics = await Sandbox.MetricsAsync();
        Assert.All(results, r => Assert.True(r.Succeeded && r.Created && r.RejectedFields.Count == 0, r.Error?.Message ?? string.Join("; ", r.RejectedFields)));
        var read = await ((IRecordReader)connector).ReadByIdsAsync("Task", [.. results.Select(r => r.Record!.Id)], ["status"], CancellationToken.None);
        var statuses = read.ToDictionary(r => r.Ref.Id, r => ((ChoiceValue)r.Fields["status"]).Key);
        Assert.All(results.Select((r, i) => (r, i)), x => Assert.Equal(x.i % 2 == 0 ? "Done" : "In Progress", statuses[x.r.Record!.Id]));
        Assert.Equal(3, Calls(metrics, "POST", "/issue/bulk"));
        Assert.Equal(1, Calls(metrics, "GET", "/issue/{issueIdOrKey}")); // the first issue's status: where new issues start
        Assert.Equal(2, Calls(metrics, "GET", "/transitions")); // from To Do and from In Progress, once
        // First batch (50, learning): 25 × 2 + 25 × 1 transition calls. Then, on Cloud, the first step rides with the create: the
        // next 70 cost only the 35 second steps. Server ignores a transition on create: every step is a call (before: 180 on both).
        Assert.Equal(Sandbox.IsCloud ? 75 + 35 : 180, Calls(metrics, "POST", "/transitions"));
        Output.WriteLine($"120 creates with statuses: {Calls(metrics, "POST", "/issue/bulk")} bulk calls, {Calls(metrics, "POST", "/transitions")} transition calls, {metrics.Values.Sum()} calls in all");
    }

    [Fact]
    public async Task Creates_go_in_bulk_calls_of_fifty()
    {
        await using var connector = Connect();
        var writes = Enumerable.Range(0, 120).Select(i => Create("Task", new() { ["summary"] = new TextValue(Summary($"bulk {i}")) })).ToList();
        await Sandbox.ResetMetricsAsync();
        var watch = Stopwatch.StartNew();

        var results = await ((IRecordWriter)connector).WriteAsync(writes, CancellationToken.None);

        watch.Stop();
        var metrics = await Sandbox.MetricsAsync();
        var bulkCalls = metrics.Where(m => m.Key.StartsWith("POST", StringComparison.Ordinal) && m.Key.EndsWith("/issue/bulk", StringComparison.Ordinal)).Sum(m => m.Value);
        Assert.All(results, r => Assert.True(r.Succeeded && r.Created, r.Error?.Message));
        Assert.Equal(120, results.Select(r => r.Record!.Id).Distinct().Count());
        Assert.Equal(50, ((IRecordWriter)connector).MaxBatchSize);
        Assert.Equal(3, bulkCalls);
        Output.WriteLine($"120 creates: {bulkCalls} bulk calls, {metrics.Values.Sum()} calls in all, {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_failed_create_in_a_bulk_names_the_field_without_its_value()
    {
        await using var connector = Connect();
        var secret = "NoSuchPriority" + Guid.NewGuid().ToString("N")[..6];

        var results = await ((IRecordWriter)connector).WriteAsync(
        [
            Create("Task", new() { ["summary"] = new TextValue(Summary("ok before")) }),
            Create("Task", new() { ["summary"] = new TextValue(Summary("bad priority")), ["priority"] = new ChoiceValue(secret, secret) }),
            Create("Task", new() { ["summary"] = new TextValue(Summary("ok after")) }),
            new RecordWrite { Operation = WriteOperation.Upsert, Entity = "Task", Scope = Sup, ExternalIdField = "summary", ExternalId = "x", Fields = new Dictionary<string, FieldValue>() },
        ], CancellationToken.None);

        Assert.True(results[0].Succeeded && results[2].Succeeded);
        Assert.False(results[1].Succeeded);
        Assert.Contains("priority", results[1].Error!.Fields);
        Assert.DoesNotContain(secret, results[1].Error!.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(results[3].Succeeded);
        Output.WriteLine(results[1].Error!.Message);
    }

    [Fact]
    public async Task Incremental_reads_page_through_many_issues_sharing_a_millisecond_without_loss_or_loops()
    {
        await using var connector = Connect();
        var since = TimeProvider.System.GetUtcNow().AddSeconds(-1);
        var writes = Enumerable.Range(0, 50).Select(i => Create("Task", new() { ["summary"] = new TextValue(Summary($"same ms {i}")) })).ToList();
        var ids = (await ((IRecordWriter)connector).WriteAsync(writes, CancellationToken.None)).Select(r => r.Record!.Id).ToHashSet();
        var reader = (IChangeReader)connector;

        var pages = await ReadAllAsync(reader, null, since, pageSize: 3);
        var records = pages.SelectMany(p => p.Records).Where(r => ids.Contains(r.Ref.Id)).ToList();
        var sharedMillis = records.GroupBy(r => r.Version).Max(g => g.Count());
        Output.WriteLine($"{records.Count} records in {pages.Count} pages; up to {sharedMillis} share one millisecond");

        Assert.Equal(ids.Order(), records.Select(r => r.Ref.Id).Order());
        Assert.True(sharedMillis > 3, "the test needs more issues in one millisecond than a page holds");
        Assert.Equal(records.OrderBy(r => r.ModifiedAt).ThenBy(r => long.Parse(r.Ref.Id, System.Globalization.CultureInfo.InvariantCulture)).Select(r => r.Ref.Id), records.Select(r => r.Ref.Id));
        foreach (var (page, index) in pages.Select((p, i) => (p, i)).Where(p => p.i % 4 == 0))
        {
            var before = pages.Take(index + 1).SelectMany(p => p.Records).Select(r => r.Ref.Id);
            var after = await ReadAllAsync(reader, page.Checkpoint, since, pageSize: 3);
            Assert.Superset(ids, before.Concat(after.SelectMany(p => p.Records).Select(r => r.Ref.Id)).ToHashSet());
        }

        var idle = await ReadAllAsync(reader, pages[^1].Checkpoint, since, pageSize: 3);
        Assert.DoesNotContain(idle.SelectMany(p => p.Records), r => ids.Contains(r.Ref.Id));
    }

    [Fact]
    public async Task Reads_only_the_fields_asked_for_and_the_filter_stays_in_its_parentheses()
    {
        await using var connector = Connect();
        var since = TimeProvider.System.GetUtcNow().AddSeconds(-1);
        var label = "flt" + Guid.NewGuid().ToString("N")[..8];
        var tagged = await WriteOneAsync(connector, Create("Task", new() { ["summary"] = new TextValue(Summary("tagged")), ["labels"] = new MultiChoiceValue([new ChoiceValue(label, label)]) }));
        var untagged = await CreateAsync(connector, Summary("untagged"));

        // Unparenthesised, "… AND updated >= since AND labels = x OR project = SUP" would return every issue of SUP.
        var pages = await ReadAllAsync((IChangeReader)connector, null, since, pageSize: 10, filter: $"labels = {label} OR project = SUP", fields: ["labels", "key"]);

        var records = pages.SelectMany(p => p.Records).ToList();
        var record = Assert.Single(records, r => r.Ref.Id == tagged.Record!.Id);
        Assert.Equal(["key", "labels"], record.Fields.Keys.Order());
        Assert.Equal(record.Ref.DisplayKey, ((TextValue)record.Fields["key"]).Value);
        Assert.Contains(label, ((MultiChoiceValue)record.Fields["labels"]).Values.Select(v => v.Key));
        Assert.Contains(records, r => r.Ref.Id == untagged.Id);
        Assert.All(records, r => Assert.True(r.ModifiedAt >= since.AddMilliseconds(-1), "the filter escaped its parentheses"));
    }

    [Fact]
    public async Task Issues_are_read_by_id_or_key_and_missing_keys_are_absent()
    {
        await using var connector = Connect();
        var a = await CreateAsync(connector, Summary("by key"));
        var b = await CreateAsync(connector, Summary("by id"));

        var read = await ((IRecordReader)connector).ReadByIdsAsync("Task", [a.DisplayKey!, b.Id, "SUP-999999", "99999999"], ["key", "summary"], CancellationToken.None);

        Assert.Equal(new[] { a.Id, b.Id }.Order(), read.Select(r => r.Ref.Id).Order());
        Assert.Equal(a.DisplayKey, ((TextValue)read.Single(r => r.Ref.Id == a.Id).Fields["key"]).Value);
    }

    [Fact]
    public async Task Who_made_the_latest_change_comes_from_the_changelog()
    {
        await using var connector = Connect();
        var created = await CreateAsync(connector, Summary("edited by a person"));
        var mine = await ReadOneAsync(connector, created, "Task", "summary");
        using var edit = await Sandbox.Developer.PutAsJsonAsync($"rest/api/2/issue/{created.Id}", new { fields = new { summary = Summary("a person's edit") } });
        edit.EnsureSuccessStatusCode();

        var theirs = await ReadOneAsync(connector, created, "Task", "summary");

        Assert.Equal(JiraSandboxFixture.IntegrationEmail, mine.ModifiedBy?.Email);
        Assert.Equal(JiraSandboxFixture.DeveloperEmail, theirs.ModifiedBy?.Email);
        Assert.NotEqual(mine.Version, theirs.Version);
    }

    [Fact]
    public async Task Users_are_written_by_email_and_unknown_ones_are_rejected_fields_while_the_rest_is_written()
    {
        await using var connector = Connect();
        var created = await CreateAsync(connector, Summary("assigned"));

        var assigned = await WriteOneAsync(connector, Update(created, "Task", new() { ["assignee"] = new UserValue(new UserRef(null, JiraSandboxFixture.DeveloperEmail, null)) }));
        var unknown = await WriteOneAsync(connector, Update(created, "Task", new()
        {
            ["assignee"] = new UserValue(new UserRef(null, "nobody@example.com", null)),
            ["customfield_10043"] = new ChoiceValue("Gold", "Gold"),
            ["priority"] = new ChoiceValue("High", "High"),
            ["customfield_10044"] = new DecimalValue(3.5m),
            ["duedate"] = new DateValue(new DateOnly(2026, 12, 24)),
        }));
        var read = await ReadOneAsync(connector, created, "Task", "assignee", "customfield_10043", "priority", "customfield_10044", "duedate");

        Assert.True(assigned.Succeeded && assigned.RejectedFields.Count == 0, assigned.Error?.Message);
        Assert.True(unknown.Succeeded, unknown.Error?.Message);
        Assert.Equal(["assignee"], unknown.RejectedFields.Keys);
        var user = ((UserValue)read.Fields["assignee"]).User;
        Assert.Equal(JiraSandboxFixture.DeveloperEmail, user.Email);
        Assert.Equal(Sandbox.IsCloud ? "5b10a2844c20165700ede22h" : "developer", user.Id);
        Assert.Equal("Gold", ((ChoiceValue)read.Fields["customfield_10043"]).Key);
        Assert.Equal("High", ((ChoiceValue)read.Fields["priority"]).Key);
        Assert.Equal(new DecimalValue(3.5m), read.Fields["customfield_10044"]);
        Assert.Equal(new DateValue(new DateOnly(2026, 12, 24)), read.Fields["duedate"]);
    }

    [Fact]
    public async Task Descriptions_and_comments_are_converted_to_the_versions_format_and_back()
    {
        await using var connector = Connect();
        const string Text = "Printer *on* fire\nsecond line\n\n- first\n- second";
        var created = await WriteOneAsync(connector, Create("Task", new()
        {
            ["summary"] = new TextValue(Summary("rich")),
            ["description"] = new RichTextValue(RichTextFormat.Plain, Text),
            ["customfield_10045"] = new RichTextValue(RichTextFormat.Html, "<p>Step <b>one</b></p>"),
        }));
        var issue = created.Record!;

        var raw = await Sandbox.Integration.GetFromJsonAsync<JsonObject>($"rest/api/{Sandbox.ApiVersion}/issue/{issue.Id}?fields=description");
        var read = await ReadOneAsync(connector, issue, "Task", "description", "customfield_10045");
        var comments = (ICommentStore)connector;
        var added = await comments.AddCommentAsync(issue, new NewComment(new RichTextValue(RichTextFormat.JiraWiki, "A *wiki* comment\n\nwith two paragraphs")), CancellationToken.None);
        var listed = await comments.ListCommentsAsync("Task", [issue.Id], null, CancellationToken.None).ToListAsync();

        var description = (RichTextValue)read.Fields["description"];
        if (Sandbox.IsCloud)
        {
            Assert.Equal("doc", (string?)raw!["fields"]!["description"]!["type"]);
            Assert.Equal(RichTextFormat.Adf, description.Format);
        }
        else
        {
            Assert.IsAssignableFrom<JsonValue>(raw!["fields"]!["description"]);
            Assert.Equal(RichTextFormat.JiraWiki, description.Format);
        }

        Assert.Equal(Text, PlainText.Of(description));
        Assert.Equal("Step one", PlainText.Of((RichTextValue)read.Fields["customfield_10045"]));
        var comment = Assert.Single(listed);
        Assert.Equal(added.Id, comment.Id);
        Assert.Equal(Sandbox.IsCloud ? RichTextFormat.Adf : RichTextFormat.JiraWiki, comment.Body.Format);
        Assert.Equal("A wiki comment\n\nwith two paragraphs", PlainText.Of(comment.Body));
        Assert.Equal(JiraSandboxFixture.IntegrationEmail, comment.Author?.Email);
    }

    [Fact]
    public async Task Correlation_ids_are_found_in_an_indexed_issue_property_or_a_custom_field()
    {
        await Sandbox.AdminAsync("jira/settings", new { indexedPropertyKeys = new[] { "pluginhub.correlation" } });
        await using var connector = Connect();
        var byProperty = "ph-" + Guid.NewGuid().ToString("N");
        var byField = "ph-" + Guid.NewGuid().ToString("N");
        var propertyOnly = new CorrelationLocation(null, "pluginhub.correlation");
        var fieldToo = new CorrelationLocation("customfield_10042", "pluginhub.correlation");

        var results = await ((IRecordWriter)connector).WriteAsync(
        [
            Create("Task", new() { ["summary"] = new TextValue(Summary("by property")) }) with { CorrelationId = byProperty, Correlation = propertyOnly },
            Create("Task", new() { ["summary"] = new TextValue(Summary("by field")) }) with { CorrelationId = byField, Correlation = fieldToo },
        ], CancellationToken.None);
        var reader = (IRecordReader)connector;
        var foundByProperty = await reader.FindByCorrelationIdsAsync("Task", [byProperty, byField], Sup, propertyOnly, CancellationToken.None);
        var foundByField = await reader.FindByCorrelationIdsAsync("Task", [byProperty, byField], Sup, fieldToo, CancellationToken.None);
        var stored = await Sandbox.Integration.GetFromJsonAsync<JsonObject>($"rest/api/2/issue/{results[0].Record!.Id}/properties/pluginhub.correlation");

        Assert.Equal(results[0].Record!.Id, foundByProperty[byProperty].Id);
        Assert.Equal(results[1].Record!.Id, foundByProperty[byField].Id); // the property is written wherever the field is
        Assert.Equal(results[1].Record!.Id, Assert.Single(foundByField).Value.Id);
        Assert.Equal(byProperty, (string?)stored!["value"]!["id"]);
    }

    [Fact]
    public async Task Webhooks_are_registered_once_and_deliveries_name_the_issue_the_actor_and_deletions()
    {
        await using var listener = await DeliveryListener.StartAsync();
        var secret = "s3cret-" + Guid.NewGuid().ToString("N");
        var registration = new WebhookRegistration { Name = "pluginhub-" + Guid.NewGuid().ToString("N")[..8], Url = listener.Url, Entity = "Task", Scope = Sup, Secret = secret };
        await using var connector = Connect();
        await using var restarted = Connect();
        var webhooks = (IWebhookReceiver)connector;

        var first = await webhooks.EnsureRegisteredAsync(registration, CancellationToken.None);
        var second = await ((IWebhookReceiver)restarted).EnsureRegisteredAsync(registration with { Url = new Uri(listener.Url, "moved") }, CancellationToken.None);
        var again = await webhooks.EnsureRegisteredAsync(registration, CancellationToken.None);
        try
        {
            var created = await CreateAsync(connector, Summary("hooked"));
            using (var edit = await Sandbox.Developer.PutAsJsonAsync($"rest/api/2/issue/{created.Id}", new { fields = new { summary = Summary("edited") } }))
            {
                edit.EnsureSuccessStatusCode();
            }

            using (var delete = await Sandbox.Integration.DeleteAsync($"rest/api/2/issue/{created.Id}"))
            {
                delete.EnsureSuccessStatusCode();
            }

            var verification = new WebhookVerification { Secret = secret };
            var parsed = await Poll.UntilAsync(
                () => Task.FromResult(listener.Received.Select(r => webhooks.Parse(r, verification)).ToList()),
                list => list.Count(p => p.Notices.Any(n => n.Record.Id == created.Id)) >= 3,
                "created, updated and deleted deliveries");

            Assert.True(first.Created);
            Assert.False(second.Created);
            Assert.False(again.Created);
            Assert.Equal(first.RemoteId, second.RemoteId);
            Assert.All(parsed, p => Assert.True(p.Accepted, p.RejectionReason));
            Assert.All(parsed, p => Assert.False(string.IsNullOrEmpty(p.DeliveryId)));
            var notices = parsed.SelectMany(p => p.Notices).Where(n => n.Record.Id == created.Id).ToList();
            Assert.All(notices, n => Assert.Equal(created.DisplayKey, n.Record.DisplayKey));
            Assert.Contains(notices, n => n.ActingUser?.Email == JiraSandboxFixture.DeveloperEmail);
            Assert.Contains(notices, n => n.Deleted);

            var delivery = listener.Received[0];
            var tampered = delivery with { Body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(delivery.Body.Span).Replace(created.Id, "1", StringComparison.Ordinal)) };
            var unsigned = delivery with { Headers = delivery.Headers.Where(h => !h.Key.Equals("X-Hub-Signature", StringComparison.OrdinalIgnoreCase)).ToDictionary() };
            Assert.False(webhooks.Parse(tampered, verification).Accepted);
            Assert.False(webhooks.Parse(unsigned, verification).Accepted);
            Assert.Empty(webhooks.Parse(tampered, verification).Notices);
        }
        finally
        {
            await webhooks.RemoveRegistrationAsync(registration, CancellationToken.None);
        }

        var afterRemoval = await webhooks.EnsureRegisteredAsync(registration, CancellationToken.None);
        Assert.True(afterRemoval.Created);
        await webhooks.RemoveRegistrationAsync(registration, CancellationToken.None);
    }

    [Fact]
    public async Task Without_admin_rights_webhooks_are_left_to_an_admin()
    {
        await using var connector = Connect(Sandbox.Settings(username: JiraSandboxFixture.DeveloperEmail, token: JiraSandboxFixture.DeveloperToken));
        var registration = new WebhookRegistration { Name = "pluginhub-manual", Url = new Uri("https://pluginhub.example.com/hooks/jira/1"), Entity = "Task", Scope = Sup, Secret = "s" };

        var result = await ((IWebhookReceiver)connector).EnsureRegisteredAsync(registration, CancellationToken.None);
        await ((IWebhookReceiver)connector).RemoveRegistrationAsync(registration, CancellationToken.None);

        Assert.Null(result.RemoteId);
        Assert.Contains("https://pluginhub.example.com/hooks/jira/1", result.ManualSetup, StringComparison.Ordinal);
        Assert.Contains("jira:issue_updated", result.ManualSetup, StringComparison.Ordinal);
        Assert.DoesNotContain("secret\"", result.ManualSetup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attachments_stream_byte_for_byte_and_are_listed_since()
    {
        await using var connector = Connect();
        var files = (IAttachmentStore)connector;
        var parents = new[] { await CreateAsync(connector, Summary("file a")), await CreateAsync(connector, Summary("file b")) };
        var bytes = RandomNumberGenerator.GetBytes(1_500_000);
        var since = TimeProvider.System.GetUtcNow().AddSeconds(-1);

        using (var content = new MemoryStream(bytes))
        {
            await files.UploadAsync(parents[0], "dump file.bin", "application/octet-stream", content, CancellationToken.None);
        }

        using (var small = new MemoryStream("hello"u8.ToArray()))
        {
            await files.UploadAsync(parents[1], "note.txt", "text/plain", small, CancellationToken.None);
        }

        var listed = await files.ListAttachmentsAsync("Task", [.. parents.Select(p => p.Id)], since, CancellationToken.None).ToListAsync();
        var none = await files.ListAttachmentsAsync("Task", [.. parents.Select(p => p.Id)], TimeProvider.System.GetUtcNow().AddMinutes(1), CancellationToken.None).ToListAsync();

        Assert.Equal(2, listed.Count);
        Assert.Empty(none);
        var big = Assert.Single(listed, a => a.FileName == "dump file.bin");
        Assert.Equal(bytes.Length, big.Size);
        await using var stream = await files.OpenReadAsync(big, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(copy.ToArray()));
        var gone = await Assert.ThrowsAsync<ConnectorException>(() => files.OpenReadAsync(big with { Id = "987654" }, CancellationToken.None));
        Assert.Equal(FailureKind.NotFound, gone.Kind);
    }

    [Fact]
    public async Task A_file_over_the_sites_upload_limit_is_refused_before_it_is_sent()
    {
        await Sandbox.AdminAsync("jira/settings", new { attachmentUploadLimit = 1000 });
        try
        {
            await using var connector = Connect();
            var parent = await CreateAsync(connector, Summary("too big"));
            await Sandbox.ResetMetricsAsync();
            using var content = new MemoryStream(new byte[2000]);

            var error = await Assert.ThrowsAsync<ConnectorException>(() => ((IAttachmentStore)connector).UploadAsync(parent, "big.bin", "application/octet-stream", content, CancellationToken.None));

            Assert.Equal(FailureKind.Internal, error.Kind);
            Assert.Contains("1000", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(await Sandbox.MetricsAsync(), m => m.Key.EndsWith("/attachments", StringComparison.Ordinal));
        }
        finally
        {
            await Sandbox.AdminAsync("jira/settings", new { attachmentUploadLimit = 10 * 1024 * 1024 });
        }
    }

    [Fact]
    public async Task Comments_of_many_parents_are_listed_since_an_instant()
    {
        await using var connector = Connect();
        var comments = (ICommentStore)connector;
        var parents = new[] { await CreateAsync(connector, Summary("quiet")), await CreateAsync(connector, Summary("talked about")), await CreateAsync(connector, Summary("also")) };
        await comments.AddCommentAsync(parents[1], new NewComment(new RichTextValue(RichTextFormat.Plain, "first")), CancellationToken.None);
        await comments.AddCommentAsync(parents[2], new NewComment(new RichTextValue(RichTextFormat.Plain, "second")), CancellationToken.None);
        var ids = parents.Select(p => p.Id).ToList();

        var all = await comments.ListCommentsAsync("Task", ids, TimeProvider.System.GetUtcNow().AddMinutes(-1), CancellationToken.None).ToListAsync();
        var future = await comments.ListCommentsAsync("Task", ids, TimeProvider.System.GetUtcNow().AddMinutes(1), CancellationToken.None).ToListAsync();

        Assert.Equal([parents[1].Id, parents[2].Id], all.Select(c => c.Parent.Id).Order());
        Assert.Equal(["first", "second"], all.Select(c => PlainText.Of(c.Body)).Order());
        Assert.Empty(future);
    }

    [Fact]
    public async Task A_comment_longer_than_jira_allows_is_truncated_and_says_so()
    {
        await using var connector = Connect();
        var parent = await CreateAsync(connector, Summary("long comment"));
        var body = string.Join("\n\n", Enumerable.Range(0, 800).Select(i => $"Paragraph {i} of a very long support conversation."));

        var added = await ((ICommentStore)connector).AddCommentAsync(parent, new NewComment(new RichTextValue(RichTextFormat.Plain, body)), CancellationToken.None);

        var text = PlainText.Of(added.Body);
        Assert.True(body.Length > 32_767);
        Assert.StartsWith("Paragraph 0 of", text, StringComparison.Ordinal);
        Assert.Contains("Truncated by PluginHub", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_activity_feed_lists_new_comments_and_files_of_many_issues_in_a_few_searches()
    {
        await using var connector = Connect();
        var since = TimeProvider.System.GetUtcNow(); // the sandbox's clock: only this test's issues changed since
        var parents = await CreateManyAsync(connector, 120, "feed");
        var comments = (ICommentStore)connector;
        var added = new List<Comment>();
        foreach (var parent in parents.Take(5))
        {
            added.Add(await comments.AddCommentAsync(parent, new NewComment(new RichTextValue(RichTextFormat.Plain, "fed " + parent.Id)), CancellationToken.None));
        }

        AttachmentInfo file;
        using (var content = new MemoryStream("fed file"u8.ToArray()))
        {
            file = await ((IAttachmentStore)connector).UploadAsync(parents[^1], "fed.txt", "text/plain", content, CancellationToken.None);
        }

        var feed = (IActivityFeed)connector;
        await Sandbox.ResetMetricsAsync();

        var listedComments = await feed.ListCommentsSinceAsync("Task", Sup, since, CancellationToken.None).ToListAsync();
        var listedFiles = await feed.ListAttachmentsSinceAsync("Task", Sup, since, CancellationToken.None).ToListAsync();

        var metrics = await Sandbox.MetricsAsync();
        Assert.Equal(added.Select(c => c.Id).Order(), listedComments.Where(c => added.Any(a => a.Id == c.Id)).Select(c => c.Id).Order());
        Assert.All(listedComments, c => Assert.True(c.CreatedAt >= since || c.UpdatedAt >= since));
        Assert.Equal(parents[^1].Id, Assert.Single(listedFiles, f => f.Id == file.Id).Parent.Id);
        // 120+ issues changed since: two pages of a hundred per feed, whatever the number of issues with comments.
        Assert.Equal(4, Searches(metrics));
        Assert.Equal(0, Calls(metrics, "GET", "/comment"));
        Output.WriteLine($"feed over {parents.Count} changed issues: {metrics.Values.Sum()} calls ({Searches(metrics)} searches); per-issue listing would take {parents.Count}");
    }

    [Fact]
    public async Task Comments_and_files_of_many_parents_come_from_one_search_per_chunk()
    {
        await using var connector = Connect();
        var parents = await CreateManyAsync(connector, 120, "chunked");
        var comments = (ICommentStore)connector;
        foreach (var parent in parents)
        {
            await comments.AddCommentAsync(parent, new NewComment(new RichTextValue(RichTextFormat.Plain, "about " + parent.Id)), CancellationToken.None);
        }

        var ids = parents.Select(p => p.Id).ToList();
        await Sandbox.ResetMetricsAsync();

        var listed = await comments.ListCommentsAsync("Task", ids, TimeProvider.System.GetUtcNow().AddMinutes(-1), CancellationToken.None).ToListAsync();
        var all = await comments.ListCommentsAsync("Task", ids, null, CancellationToken.None).ToListAsync();
        var files = await ((IAttachmentStore)connector).ListAttachmentsAsync("Task", ids, null, CancellationToken.None).ToListAsync();

        var metrics = await Sandbox.MetricsAsync();
        var perList = Sandbox.IsCloud ? 3 : 2; // 50 ids per search on Cloud (reconciled), 100 on Server
        Assert.Equal(ids.Order(), listed.Select(c => c.Parent.Id).Order());
        Assert.Equal(ids.Order(), all.Select(c => c.Parent.Id).Order());
        Assert.Empty(files);
        Assert.Equal(3 * perList, Searches(metrics));
        Assert.Equal(0, Calls(metrics, "GET", "/comment"));
        Output.WriteLine($"comments of {ids.Count} parents: {perList} calls (before: {ids.Count / 50 + 1} searches + {ids.Count} comment listings)");
    }

    [Fact]
    public async Task An_issue_whose_embedded_comments_are_cut_short_is_listed_through_its_own_comments()
    {
        await Sandbox.AdminAsync("jira/settings", new { embeddedCommentLimit = 2 });
        try
        {
            await using var connector = Connect();
            var since = TimeProvider.System.GetUtcNow().AddSeconds(-1);
            var parents = await CreateManyAsync(connector, 2, "cut short");
            var comments = (ICommentStore)connector;
            foreach (var (parent, count) in new[] { (parents[0], 3), (parents[1], 1) })
            {
                for (var i = 0; i < count; i++)
                {
                    await comments.AddCommentAsync(parent, new NewComment(new RichTextValue(RichTextFormat.Plain, $"{parent.Id} #{i}")), CancellationToken.None);
                }
            }

            await Sandbox.ResetMetricsAsync();

            var listed = await comments.ListCommentsAsync("Task", [.. parents.Select(p => p.Id)], since, CancellationToken.None).ToListAsync();
            var fed = await ((IActivityFeed)connector).ListCommentsSinceAsync("Task", Sup, since, CancellationToken.None).ToListAsync();

            var metrics = await Sandbox.MetricsAsync();
            Assert.Equal([$"{parents[0].Id} #0", $"{parents[0].Id} #1", $"{parents[0].Id} #2", $"{parents[1].Id} #0"], listed.Select(c => PlainText.Of(c.Body)).Order(StringComparer.Ordinal));
            Assert.Equal(4, fed.Count(c => parents.Any(p => p.Id == c.Parent.Id)));
            Assert.Equal(2, Calls(metrics, "GET", "/comment")); // parents[0] once per listing; parents[1] came complete
        }
        finally
        {
            await Sandbox.AdminAsync("jira/settings", new { embeddedCommentLimit = 0 });
        }
    }

    [Fact]
    public async Task Correlation_ids_in_labels_are_searched_two_hundred_per_search()
    {
        await using var connector = Connect();
        var labels = new CorrelationLocation("labels", "pluginhub.correlation");
        var known = Enumerable.Range(0, 3).Select(_ => "ph-" + Guid.NewGuid().ToString("N")).ToList();
        var results = await ((IRecordWriter)connector).WriteAsync(
            [.. known.Select(c => Create("Task", new() { ["summary"] = new TextValue(Summary("correlated")) }) with { CorrelationId = c, Correlation = labels })], CancellationToken.None);
        var wanted = known.Concat(Enumerable.Range(0, 247).Select(_ => "ph-" + Guid.NewGuid().ToString("N"))).ToList();
        await Sandbox.ResetMetricsAsync();

        var found = await ((IRecordReader)connector).FindByCorrelationIdsAsync("Task", wanted, Sup, labels, CancellationToken.None);

        var metrics = await Sandbox.MetricsAsync();
        Assert.Equal(known, known.Where(found.ContainsKey));
        Assert.Equal(results.Select(r => r.Record!.Id), known.Select(k => found[k].Id));
        Assert.Equal(3, found.Count);
        Assert.Equal(2, Searches(metrics)); // 250 ids: before, five searches of fifty
    }

    [Fact]
    public async Task Statuses_of_created_issues_are_moved_side_by_side()
    {
        await using var connector = Connect();
        await CreateAsync(connector, Summary("warm-up")); // metadata caches, so that the timing below is the writes'
        const int Count = 24, LatencyMs = 150;
        var writes = Enumerable.Range(0, Count).Select(i => Create("Task", new() { ["summary"] = new TextValue(Summary($"moved {i}")), ["status"] = new ChoiceValue("In Progress", null) })).ToList();
        await Sandbox.AdminAsync("latency", new { ms = LatencyMs });
        IReadOnlyList<WriteResult> results;
        var watch = Stopwatch.StartNew();
        try
        {
            results = await ((IRecordWriter)connector).WriteAsync(writes, CancellationToken.None);
        }
        finally
        {
            watch.Stop();
            await Sandbox.AdminAsync("latency", new { ms = 0 });
        }

        Assert.All(results, r => Assert.True(r.Succeeded && r.RejectedFields.Count == 0, r.Error?.Message ?? string.Join("; ", r.RejectedFields)));
        Assert.All(await ((IRecordReader)connector).ReadByIdsAsync("Task", [.. results.Select(r => r.Record!.Id)], ["status"], CancellationToken.None),
            r => Assert.Equal("In Progress", ((ChoiceValue)r.Fields["status"]).Key));
        // One after another, the transitions alone would take Count × latency.
        Assert.True(watch.ElapsedMilliseconds < Count * LatencyMs, $"{Count} creates with a status took {watch.ElapsedMilliseconds} ms");
        Output.WriteLine($"{Count} creates + transitions at {LatencyMs} ms per call: {watch.ElapsedMilliseconds} ms (sequential transitions alone: {Count * LatencyMs} ms)");
    }

    protected static long Calls(IReadOnlyDictionary<string, long> metrics, string method, string pathEnd) =>
        metrics.Where(m => m.Key.StartsWith(method + " ", StringComparison.Ordinal) && m.Key.EndsWith(pathEnd, StringComparison.Ordinal)).Sum(m => m.Value);

    /// <summary>JQL searches of either flavour: Cloud's <c>/search/jql</c>, Server's <c>/search</c>.</summary>
    protected static long Searches(IReadOnlyDictionary<string, long> metrics) => Calls(metrics, "POST", "/search/jql") + Calls(metrics, "POST", "/search");

    protected static async Task<List<RecordRef>> CreateManyAsync(IConnector connector, int count, string prefix)
    {
        var results = await ((IRecordWriter)connector).WriteAsync([.. Enumerable.Range(0, count).Select(i => Create("Task", new() { ["summary"] = new TextValue(Summary($"{prefix} {i}")) }))], CancellationToken.None);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        return [.. results.Select(r => r.Record!)];
    }

    protected IConnector Connect(System.Text.Json.JsonElement? settings = null) => new JiraConnectorFactory().Create(new ConnectorContext
    {
        ConnectionId = "jira-tests",
        Settings = settings ?? Sandbox.Settings(),
        LoggerFactory = NullLoggerFactory.Instance,
    });

    protected static string Summary(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 9)];

    protected static RecordWrite Create(string entity, Dictionary<string, FieldValue> fields) =>
        new() { Operation = WriteOperation.Create, Entity = entity, Scope = Sup, Fields = fields };

    protected static RecordWrite Update(RecordRef record, string entity, Dictionary<string, FieldValue> fields) =>
        new() { Operation = WriteOperation.Update, Entity = entity, Id = record.Id, Scope = Sup, Fields = fields };

    protected static async Task<WriteResult> WriteOneAsync(IConnector connector, RecordWrite write) =>
        Assert.Single(await ((IRecordWriter)connector).WriteAsync([write], CancellationToken.None));

    protected static async Task<RecordRef> CreateAsync(IConnector connector, string summary, string entity = "Task")
    {
        var result = await WriteOneAsync(connector, Create(entity, new() { ["summary"] = new TextValue(summary) }));
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Record!;
    }

    protected static async Task<PluginHub.Connectors.Abstractions.Record> ReadOneAsync(IConnector connector, RecordRef record, string entity, params string[] fields) =>
        Assert.Single(await ((IRecordReader)connector).ReadByIdsAsync(entity, [record.Id], fields, CancellationToken.None));

    private static async Task<List<ChangePage>> ReadAllAsync(IChangeReader reader, string? watermark, DateTimeOffset since, int pageSize, string? filter = null, string[]? fields = null)
    {
        var pages = new List<ChangePage>();
        var query = new ChangeQuery { Entity = "Task", Fields = fields ?? ["summary"], Watermark = watermark, InitialSince = since, Scope = Sup, PageSizeHint = pageSize, Filter = filter };
        await foreach (var page in reader.ReadChangesAsync(query, CancellationToken.None))
        {
            pages.Add(page);
            Assert.True(pages.Count < 1000, "the read does not end");
        }

        return pages;
    }
}

/// <summary>Jira Cloud, REST v3.</summary>
public sealed class CloudJiraConnectorTests(CloudSandbox sandbox, ITestOutputHelper output) : JiraConnectorTests(sandbox, output), IClassFixture<CloudSandbox>
{
    /// <summary>An issue type with To Do → In Progress by transition <paramref name="startId"/>, made or changed by an admin.</summary>
    private async Task WorkflowAsync(string type, int startId, bool create)
    {
        var workflow = new
        {
            initial = "To Do",
            transitions = new object[]
            {
                new { id = startId, name = "Start Progress", from = new[] { "To Do" }, to = "In Progress" },
                new { id = 21, name = "Done", from = new[] { "In Progress" }, to = "Done", resolutionOnScreen = true },
            },
        };
        if (create)
        {
            await Sandbox.AdminAsync("jira/issuetypes", new { name = type, workflow });
        }
        else
        {
            using var response = await Sandbox.Admin.PutAsJsonAsync($"_sandbox/jira/issuetypes/{Uri.EscapeDataString(type)}/workflow", workflow);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private static RecordWrite Born(string type, string status) =>
        Create(type, new() { ["summary"] = new TextValue(Summary("born " + status)), ["status"] = new ChoiceValue(status, null) });

    [Fact]
    public async Task A_transition_that_fails_on_create_falls_back_to_transition_calls()
    {
        var type = "Flow " + Guid.NewGuid().ToString("N")[..6];
        await WorkflowAsync(type, 11, create: true);
        await using var connector = Connect();
        Assert.True((await WriteOneAsync(connector, Born(type, "In Progress"))).Succeeded); // learns the workflow
        await WorkflowAsync(type, 12, create: false); // an admin replaces "Start Progress": the learned id is stale
        await Sandbox.ResetMetricsAsync();

        var stale = await WriteOneAsync(connector, Born(type, "In Progress"));
        var staleMetrics = await Sandbox.MetricsAsync();
        await Sandbox.ResetMetricsAsync();
        var later = await ((IRecordWriter)connector).WriteAsync([Born(type, "In Progress"), Born(type, "In Progress"), Born(type, "To Do")], CancellationToken.None);
        var laterMetrics = await Sandbox.MetricsAsync();

        Assert.True(stale.Succeeded && stale.Created && stale.RejectedFields.Count == 0, stale.Error?.Message ?? string.Join("; ", stale.RejectedFields));
        Assert.Equal("In Progress", ((ChoiceValue)(await ReadOneAsync(connector, stale.Record!, type, "status")).Fields["status"]).Key);
        // The create carried id 11 (Jira created the issue and reported the refused transition), then the walker tried 11 again,
        // read the issue's transitions and took 12.
        Assert.Equal(1, Calls(staleMetrics, "POST", "/issue/bulk"));
        Assert.Equal(2, Calls(staleMetrics, "POST", "/transitions"));
        Assert.Equal(1, Calls(staleMetrics, "GET", "/transitions"));
        // The relearned step rides with the next creates again.
        Assert.All(later, r => Assert.True(r.Succeeded && r.RejectedFields.Count == 0, r.Error?.Message ?? string.Join("; ", r.RejectedFields)));
        Assert.Equal(1, Calls(laterMetrics, "POST", "/issue/bulk"));
        Assert.Equal(0, Calls(laterMetrics, "POST", "/transitions"));
    }

    [Fact]
    public async Task An_entry_rejected_for_its_transition_is_created_again_without_it()
    {
        var type = "Strict " + Guid.NewGuid().ToString("N")[..6];
        await WorkflowAsync(type, 11, create: true);
        await using var connector = Connect();
        Assert.True((await WriteOneAsync(connector, Born(type, "In Progress"))).Succeeded);
        await WorkflowAsync(type, 12, create: false);
        await Sandbox.AdminAsync("jira/settings", new { createTransitionRejectsIssue = true });
        try
        {
            var secret = "NoSuchPriority" + Guid.NewGuid().ToString("N")[..6];
            var badPriority = Create(type, new() { ["summary"] = new TextValue(Summary("bad")), ["status"] = new ChoiceValue("In Progress", null), ["priority"] = new ChoiceValue(secret, secret) });
            await Sandbox.ResetMetricsAsync();

            var results = await ((IRecordWriter)connector).WriteAsync([Born(type, "In Progress"), badPriority, Born(type, "Done")], CancellationToken.None);
            var metrics = await Sandbox.MetricsAsync();
            await Sandbox.ResetMetricsAsync();
            var next = await WriteOneAsync(connector, Born(type, "In Progress"));
            var nextMetrics = await Sandbox.MetricsAsync();

            Assert.True(results[0].Succeeded && results[0].Created && results[0].RejectedFields.Count == 0, results[0].Error?.Message ?? string.Join("; ", results[0].RejectedFields));
            Assert.True(results[2].Succeeded && results[2].Created && results[2].RejectedFields.Count == 0, results[2].Error?.Message ?? string.Join("; ", results[2].RejectedFields));
            Assert.False(results[1].Succeeded);
            Assert.Contains("priority", results[1].Error!.Fields);
            Assert.DoesNotContain(secret, results[1].Error!.Message, StringComparison.OrdinalIgnoreCase);
            var read = await ((IRecordReader)connector).ReadByIdsAsync(type, [results[0].Record!.Id, results[2].Record!.Id], ["status"], CancellationToken.None);
            Assert.Equal(["In Progress", "Done"], read.OrderBy(r => long.Parse(r.Ref.Id, System.Globalization.CultureInfo.InvariantCulture)).Select(r => ((ChoiceValue)r.Fields["status"]).Key));
            Assert.Equal(2, Calls(metrics, "POST", "/issue/bulk")); // the batch, then the three refused entries without their transition
            // After that, this workflow's creates carry no transition: one call per step.
            Assert.True(next.Succeeded && next.RejectedFields.Count == 0, next.Error?.Message ?? string.Join("; ", next.RejectedFields));
            Assert.Equal(1, Calls(nextMetrics, "POST", "/issue/bulk"));
            Assert.Equal(1, Calls(nextMetrics, "POST", "/transitions"));
        }
        finally
        {
            await Sandbox.AdminAsync("jira/settings", new { createTransitionRejectsIssue = false });
        }
    }

    [Fact]
    public async Task Reads_by_id_see_issues_the_search_index_has_not_caught_up_with()
    {
        await Sandbox.AdminAsync("jira/settings", new { searchIndexLagMs = 60_000 });
        try
        {
            await using var connector = Connect();
            var created = await CreateAsync(connector, Summary("fresh"));
            var files = (IAttachmentStore)connector;
            using (var content = new MemoryStream("x"u8.ToArray()))
            {
                await files.UploadAsync(created, "x.txt", "text/plain", content, CancellationToken.None);
            }

            var read = await ((IRecordReader)connector).ReadByIdsAsync("Task", [created.Id], ["summary"], CancellationToken.None);
            var listed = await files.ListAttachmentsAsync("Task", [created.Id], null, CancellationToken.None).ToListAsync();

            Assert.Single(read);
            Assert.Single(listed);
        }
        finally
        {
            await Sandbox.AdminAsync("jira/settings", new { searchIndexLagMs = 0 });
        }
    }

    [Fact]
    public async Task Reads_by_id_use_bulk_fetch_a_hundred_per_call()
    {
        await using var connector = Connect();
        var created = await CreateManyAsync(connector, 150, "fetched");
        var wanted = created.Take(10).Select(r => r.DisplayKey!.ToLowerInvariant()).Concat(created.Skip(10).Select(r => r.Id)).Append("SUP-999999").Append("99999999").ToList();
        await Sandbox.ResetMetricsAsync();

        var read = await ((IRecordReader)connector).ReadByIdsAsync("Task", wanted, ["key", "summary"], CancellationToken.None);

        var metrics = await Sandbox.MetricsAsync();
        Assert.Equal(created.Select(r => r.Id).Order(), read.Select(r => r.Ref.Id).Order());
        Assert.All(read, r => Assert.Equal(r.Ref.DisplayKey, ((TextValue)r.Fields["key"]).Value));
        Assert.Equal(2, Calls(metrics, "POST", "/issue/bulkfetch")); // before: 3 reconciled id searches, 1 key search refused for the missing key, 11 key reads
        Assert.Equal(0, Searches(metrics));
    }

    [Fact]
    public async Task Writes_to_one_issue_are_paced_by_the_per_issue_limit()
    {
        await Sandbox.AdminAsync("jira/settings", new { perIssueWriteLimit = true });
        try
        {
            await using var connector = Connect();
            var created = await CreateAsync(connector, Summary("busy"));
            var edits = Enumerable.Range(0, 24).Select(i => Update(created, "Task", new() { ["summary"] = new TextValue(Summary($"edit {i}")) })).ToList();
            var watch = Stopwatch.StartNew();

            var results = await ((IRecordWriter)connector).WriteAsync(edits, CancellationToken.None);
            var read = await ReadOneAsync(connector, created, "Task", "summary");

            Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
            Assert.Equal(((TextValue)edits[^1].Fields["summary"]).Value, ((TextValue)read.Fields["summary"]).Value); // in order, one at a time
            Output.WriteLine($"24 edits of one issue in {watch.ElapsedMilliseconds} ms");
        }
        finally
        {
            await Sandbox.AdminAsync("jira/settings", new { perIssueWriteLimit = false });
        }
    }

    [Fact]
    public async Task Cloud_on_rest_v2_reads_and_writes_wiki_markup()
    {
        await using var connector = Connect(Sandbox.Settings(apiVersion: "2"));
        var created = await WriteOneAsync(connector, Create("Task", new() { ["summary"] = new TextValue(Summary("v2")), ["description"] = new RichTextValue(RichTextFormat.Adf, AdfText.FromText("from ADF")) }));

        var read = await ReadOneAsync(connector, created.Record!, "Task", "description");

        Assert.Equal(new RichTextValue(RichTextFormat.JiraWiki, "from ADF"), read.Fields["description"]);
    }
}

/// <summary>Jira Server/Data Center, REST v2.</summary>
public sealed class ServerJiraConnectorTests(ServerSandbox sandbox, ITestOutputHelper output) : JiraConnectorTests(sandbox, output), IClassFixture<ServerSandbox>
{
    [Fact]
    public async Task A_personal_access_token_is_sent_as_bearer()
    {
        await using var connector = Connect(Sandbox.Settings(username: null));

        var check = await connector.CheckAsync(CancellationToken.None);

        Assert.True(check.Healthy, check.Message);
        Assert.Contains("PluginHub Integration", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_center_10_webhooks_are_used_where_the_classic_api_is_gone()
    {
        await Sandbox.AdminAsync("faults", new { method = "GET", pathPrefix = "/rest/webhooks/1.0/webhook", status = 404, times = 100 });
        try
        {
            await using var connector = Connect();
            var webhooks = (IWebhookReceiver)connector;
            var registration = new WebhookRegistration { Name = "pluginhub-dc10", Url = new Uri("http://127.0.0.1:9/hooks/dc10"), Entity = "Task", Scope = Sup, Secret = "s" };

            var first = await webhooks.EnsureRegisteredAsync(registration, CancellationToken.None);
            var second = await webhooks.EnsureRegisteredAsync(registration, CancellationToken.None);
            var listed = await Sandbox.Integration.GetFromJsonAsync<JsonArray>("rest/jira-webhook/1.0/webhooks");
            await webhooks.RemoveRegistrationAsync(registration, CancellationToken.None);
            var after = await Sandbox.Integration.GetFromJsonAsync<JsonArray>("rest/jira-webhook/1.0/webhooks");

            Assert.True(first.Created);
            Assert.False(second.Created);
            Assert.Equal(first.RemoteId, second.RemoteId);
            var hook = Assert.Single(listed!, h => (string?)h!["name"] == "pluginhub-dc10")!;
            Assert.Equal("project = \"SUP\" AND issuetype = \"Task\"", (string?)hook["configuration"]!["FILTERS"]);
            Assert.DoesNotContain(after!, h => (string?)h!["name"] == "pluginhub-dc10");
        }
        finally
        {
            await Sandbox.ClearFaultsAsync();
        }
    }

    [Fact]
    public async Task Reads_by_id_search_a_hundred_ids_per_jql()
    {
        await using var connector = Connect();
        var created = await CreateManyAsync(connector, 150, "searched");
        await Sandbox.ResetMetricsAsync();

        var read = await ((IRecordReader)connector).ReadByIdsAsync("Task", [.. created.Select(r => r.Id)], ["summary"], CancellationToken.None);

        var metrics = await Sandbox.MetricsAsync();
        Assert.Equal(created.Select(r => r.Id).Order(), read.Select(r => r.Ref.Id).Order());
        Assert.Equal(2, Searches(metrics)); // before: three of fifty
    }

    [Fact]
    public async Task Rest_v3_is_refused_on_server()
    {
        var error = Assert.Throws<ConnectorException>(() => Connect(Sandbox.Settings(apiVersion: "3")));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        await Task.CompletedTask;
    }
}
