using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Text;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Core.Runs;
using PluginHub.Core.Sync;
using Record = PluginHub.Connectors.Abstractions.Record;
using PluginHub.Testing.EndToEnd;
using Xunit.Abstractions;

namespace PluginHub.Core.Tests.EndToEnd;

/// <summary>The two templates end to end: the sync engine with the real connectors against both sandboxes.</summary>
public sealed class CasesAndTasksTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Project = new() { ["project"] = "SUP" };
    private static readonly string[] CaseFields = ["Subject", "Description", "Priority", "Status", "OwnerId", "Jira_Key__c"];
    private static readonly string[] IssueFields = ["summary", "description", "priority", "status", "assignee"];

    private SyncHarness _h = null!;

    public async Task InitializeAsync() => _h = await SyncHarness.StartAsync(output);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Cases_become_Tasks_with_mapped_fields_and_the_Jira_key_is_written_back_once()
    {
        var integration = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks");
        Assert.Equal(RunStatus.Succeeded, (await _h.RunAsync(integration)).Status); // starts "now": nothing to do yet
        var cases = await CreateCasesAsync(("Printer on fire", "High"), ("VPN drops every hour", "Low"));

        var run = await _h.RunAsync(integration);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(2, run.Counts.Created);
        var synced = await ReadCasesAsync(cases);
        var issues = await ReadIssuesByKeyAsync(synced.Select(c => Text(c.Fields["Jira_Key__c"])!));
        foreach (var (@case, subject, priority) in synced.Zip(["Printer on fire", "VPN drops every hour"], ["High", "Low"]))
        {
            var issue = Assert.Single(issues, i => i.Ref.DisplayKey == Text(@case.Fields["Jira_Key__c"]));
            Assert.Equal(subject, Text(issue.Fields["summary"]));
            Assert.Equal($"Details of {subject}", Text(issue.Fields["description"]));
            Assert.Equal(priority, Label(issue.Fields["priority"]));
            Assert.Equal("To Do", Label(issue.Fields["status"]));
            Assert.Equal("agent@pluginhub.test", Assert.IsType<UserValue>(issue.Fields["assignee"]).User.Email);
        }

        // The key written back changed the Cases; reading them again is an echo of our own write and writes nothing.
        var again = await _h.RunAsync(integration);
        Assert.Equal(RunStatus.Succeeded, again.Status);
        Assert.Equal((0, 0), (again.Counts.Created, again.Counts.Updated));
    }

    [Fact]
    public async Task An_edit_flows_through_value_maps_and_workflow_transitions_and_only_changed_fields_are_written()
    {
        var integration = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks");
        await _h.RunAsync(integration);
        var cases = await CreateCasesAsync(("Login page is slow", "Medium"));
        await _h.RunAsync(integration);

        await UpdateCaseAsync(cases[0], new() { ["Status"] = new ChoiceValue("Escalated", "Escalated"), ["Subject"] = new TextValue("Login page is very slow") });
        var edit = await _h.RunAsync(integration);
        var issue = (await ReadIssuesByKeyAsync([Text((await ReadCasesAsync(cases))[0].Fields["Jira_Key__c"])!]))[0];

        Assert.Equal(RunStatus.Succeeded, edit.Status);
        Assert.Equal((0, 1), (edit.Counts.Created, edit.Counts.Updated));
        Assert.Equal("In Progress", Label(issue.Fields["status"]));
        Assert.Equal("Login page is very slow", Text(issue.Fields["summary"]));

        await UpdateCaseAsync(cases[0], new() { ["Status"] = new ChoiceValue("Closed", "Closed") });
        await _h.RunAsync(integration);
        issue = (await ReadIssuesAsync([issue.Ref.Id]))[0];
        Assert.Equal("Done", Label(issue.Fields["status"]));
    }

    [Fact]
    public async Task Bidirectional_edits_on_both_sides_reach_a_fixed_point_and_conflicts_follow_the_policy_per_field()
    {
        var integration = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks", d => d with
        {
            Direction = SyncDirection.Bidirectional,
            Conflict = ConflictPolicy.TargetWins,
            Fields = [.. d.Fields.Select(f => f.Source == "Priority" ? f with { Conflict = ConflictPolicy.SourceWins } : f)],
        });
        await _h.RunAsync(integration);
        var cases = await CreateCasesAsync(("Export fails", "Medium"));
        await _h.RunAsync(integration);
        var issueId = (await ReadIssuesByKeyAsync([Text((await ReadCasesAsync(cases))[0].Fields["Jira_Key__c"])!]))[0].Ref.Id;

        // A developer edits the issue: the change reaches the Case.
        await UpdateIssueAsync(issueId, new() { ["summary"] = new TextValue("Export fails for CSV"), ["status"] = new ChoiceValue("In Progress", "In Progress") });
        var back = await _h.RunAsync(integration);
        var @case = (await ReadCasesAsync(cases))[0];
        Assert.Equal(1, back.Counts.Updated);
        Assert.Equal("Export fails for CSV", Text(@case.Fields["Subject"]));
        Assert.Equal("Working", Label(@case.Fields["Status"]));

        // Both sides change the same fields: summary follows the integration's policy (target wins), priority its own (source wins).
        await UpdateCaseAsync(cases[0], new() { ["Subject"] = new TextValue("Subject from Salesforce"), ["Priority"] = new ChoiceValue("High", "High") });
        await UpdateIssueAsync(issueId, new() { ["summary"] = new TextValue("Summary from Jira"), ["priority"] = new ChoiceValue("Low", "Low") });
        await _h.RunAsync(integration);
        await _h.RunAsync(integration);
        @case = (await ReadCasesAsync(cases))[0];
        var issue = (await ReadIssuesAsync([issueId]))[0];
        Assert.Equal("Summary from Jira", Text(@case.Fields["Subject"]));
        Assert.Equal("Summary from Jira", Text(issue.Fields["summary"]));
        Assert.Equal("High", Label(@case.Fields["Priority"]));
        Assert.Equal("High", Label(issue.Fields["priority"]));

        // Nothing changed since: writes stop.
        var idle = await _h.RunAsync(integration);
        Assert.Equal((0, 0, RunStatus.Succeeded), (idle.Counts.Created, idle.Counts.Updated, idle.Status));
    }

    [Fact]
    public async Task Comments_and_files_sync_both_ways_once_including_files_added_without_changing_the_Case()
    {
        var integration = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks", d => d with { Direction = SyncDirection.Bidirectional });
        await _h.RunAsync(integration);
        var cases = await CreateCasesAsync(("Crash on save", "High"));
        await _h.RunAsync(integration);
        var issue = (await ReadIssuesByKeyAsync([Text((await ReadCasesAsync(cases))[0].Fields["Jira_Key__c"])!]))[0].Ref;
        var caseFile = RandomNumberGenerator.GetBytes(70_000);
        var issueFile = RandomNumberGenerator.GetBytes(50_000);

        await using (var agent = _h.Agent())
        {
            await ((ICommentStore)agent).AddCommentAsync(cases[0], new NewComment(new RichTextValue(RichTextFormat.Plain, "Customer says it happens on every save.")), CancellationToken.None);
            await ((IAttachmentStore)agent).UploadAsync(cases[0], "crash.log", "text/plain", new MemoryStream(caseFile), CancellationToken.None);
        }

        await using (var developer = _h.Developer())
        {
            await ((ICommentStore)developer).AddCommentAsync(issue, new NewComment(new RichTextValue(RichTextFormat.Plain, "Reproduced; fix in progress.")), CancellationToken.None);
            await ((IAttachmentStore)developer).UploadAsync(issue, "patch.diff", "text/x-diff", new MemoryStream(issueFile), CancellationToken.None);
        }

        await _h.RunAsync(integration);
        await _h.RunAsync(integration);
        await _h.RunAsync(integration);

        await using var salesforce = _h.Open(SyncHarness.SalesforceConnection);
        await using var jira = _h.Open(SyncHarness.JiraConnection);
        var caseComments = await ((ICommentStore)salesforce).ListCommentsAsync("Case", [cases[0].Id], null, CancellationToken.None).ToListAsync();
        var issueComments = await ((ICommentStore)jira).ListCommentsAsync("Task", [issue.Id], null, CancellationToken.None).ToListAsync();
        Assert.Equal(2, caseComments.Count);
        Assert.Equal(2, issueComments.Count);
        Assert.Contains(issueComments, c => PlainText.Of(c.Body).Contains("Customer says it happens on every save.", StringComparison.Ordinal));
        Assert.Contains(caseComments, c => PlainText.Of(c.Body).Contains("Reproduced; fix in progress.", StringComparison.Ordinal));

        var caseFiles = await ((IAttachmentStore)salesforce).ListAttachmentsAsync("Case", [cases[0].Id], null, CancellationToken.None).ToListAsync();
        var issueFiles = await ((IAttachmentStore)jira).ListAttachmentsAsync("Task", [issue.Id], null, CancellationToken.None).ToListAsync();
        Assert.Equal(["crash.log", "patch.diff"], caseFiles.Select(f => f.FileName).Order());
        Assert.Equal(["crash.log", "patch.diff"], issueFiles.Select(f => f.FileName).Order());
        Assert.Equal(caseFile, await BytesAsync((IAttachmentStore)jira, issueFiles.Single(f => f.FileName == "crash.log")));
        Assert.Equal(issueFile, await BytesAsync((IAttachmentStore)salesforce, caseFiles.Single(f => f.FileName == "patch.diff")));

        // No business data at rest: no subject, comment or file content in any table.
        var dump = await _h.DumpDatabaseAsync();
        foreach (var secret in new[] { "Crash on save", "Customer says", "Reproduced", "Details of" })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Convert.ToBase64String(caseFile[..48]), dump, StringComparison.Ordinal);
        Assert.DoesNotContain(Encoding.Latin1.GetString(caseFile[..48]), dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_interrupted_before_its_link_was_saved_is_adopted_on_the_next_run_not_repeated()
    {
        var integration = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks");
        await _h.RunAsync(integration);
        var before = await _h.State.GetWatermarkAsync(integration.Id, "toTarget", CancellationToken.None);
        await CreateCasesAsync(("Duplicate me not", "Medium"));
        await _h.RunAsync(integration);

        // What a crash between the create and saving its link and checkpoint leaves: an issue nobody remembers, the checkpoint
        // before it, and the marker saved before creating.
        await ForgetLinksAsync();
        await _h.State.SaveWatermarkAsync(integration.Id, "toTarget", before!, CancellationToken.None);
        await _h.State.SaveWatermarkAsync(integration.Id, "toTarget:creates", "in flight", CancellationToken.None);
        var rerun = await _h.RunAsync(integration);

        Assert.Equal(0, rerun.Counts.Created);
        Assert.Single(await AllTextsAsync(SyncHarness.JiraConnection, "Task", "summary", Project), s => s == "Duplicate me not");
        Assert.Equal("settled", await _h.State.GetWatermarkAsync(integration.Id, "toTarget:creates", CancellationToken.None));
    }

    [Fact]
    public async Task Runs_after_a_clean_one_create_without_looking_up_correlation_ids()
    {
        var integration = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks");
        await _h.RunAsync(integration);
        await CreateCasesAsync(("Warms the connectors' caches", "Low"));
        await _h.RunAsync(integration);

        await CreateCasesAsync(("New after a clean run", "Medium"));
        await _h.ResetMetricsAsync(_h.JiraUrl);
        Assert.Equal(1, (await _h.RunAsync(integration)).Counts.Created);
        var clean = await SearchesAsync();

        await _h.State.SaveWatermarkAsync(integration.Id, "toTarget:creates", "in flight", CancellationToken.None);
        await CreateCasesAsync(("New after an interrupted run", "Medium"));
        await _h.ResetMetricsAsync(_h.JiraUrl);
        Assert.Equal(1, (await _h.RunAsync(integration)).Counts.Created);
        var interrupted = await SearchesAsync();

        // After an interruption the new Case is first searched by its correlation label; after a clean run it is not.
        Assert.Equal(clean + 1, interrupted);
    }

    [Fact]
    public async Task An_integration_made_again_adopts_what_its_deleted_predecessor_created()
    {
        var first = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks");
        await _h.RunAsync(first);
        await CreateCasesAsync(("Made once", "Low"));
        Assert.Equal(1, (await _h.RunAsync(first)).Counts.Created);
        Assert.True(await _h.Integrations.DeleteAsync(first.Id, CancellationToken.None));

        var again = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks", d => d with { InitialSync = new InitialSyncDefinition { Enabled = true } }, "Cases to Tasks, again");
        var run = await _h.RunAsync(again);

        Assert.Equal((1, 0, 0), (run.Counts.Read, run.Counts.Created, run.Counts.Skipped));
        Assert.Single(await AllTextsAsync(SyncHarness.JiraConnection, "Task", "summary", Project), s => s == "Made once");
    }

    [Fact]
    public async Task A_record_the_target_rejects_is_reported_and_retried_by_rereading_while_the_rest_goes_on()
    {
        var integration = await _h.CreateFromTemplateAsync("jira-tasks-to-salesforce-cases");
        await _h.AdminAsync(_h.SalesforceUrl, HttpMethod.Post, "/_sandbox/validation-rules", new { @object = "Case", field = "Subject", equals = "Reject me", message = "Subjects may not say that" });
        await _h.RunAsync(integration);
        var issues = await CreateIssuesAsync("Reject me", "Accept me");

        var first = await _h.RunAsync(integration);

        Assert.Equal(RunStatus.PartiallyFailed, first.Status);
        Assert.Equal((1, 1), (first.Counts.Created, first.Counts.Failed));
        var error = Assert.Single(first.Errors);
        Assert.Equal($"source/{issues[0].Id}", error.RecordId);
        Assert.Contains("Subjects may not say that", error.Message, StringComparison.Ordinal);

        // The admin removes the rule: the retry re-reads the issue although the checkpoint has moved past it.
        await _h.AdminAsync(_h.SalesforceUrl, HttpMethod.Delete, "/_sandbox/validation-rules");
        var second = await _h.RunAsync(integration);
        Assert.Equal(RunStatus.Succeeded, second.Status);
        Assert.Equal(1, second.Counts.Created);
    }

    [Fact]
    public async Task Both_templates_running_side_by_side_copy_each_record_once_and_never_back()
    {
        var toJira = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks");
        var toSalesforce = await _h.CreateFromTemplateAsync("jira-tasks-to-salesforce-cases");
        await _h.RunAsync(toJira);
        await _h.RunAsync(toSalesforce);
        await CreateCasesAsync(("Raised by support", "Medium"));
        await CreateIssuesAsync("Raised by engineering");

        for (var round = 0; round < 3; round++)
        {
            await _h.RunAsync(toJira);
            await _h.RunAsync(toSalesforce);
        }

        var subjects = await AllTextsAsync(SyncHarness.SalesforceConnection, "Case", "Subject", null);
        var summaries = await AllTextsAsync(SyncHarness.JiraConnection, "Task", "summary", Project);
        foreach (var text in new[] { "Raised by support", "Raised by engineering" })
        {
            Assert.Single(subjects, s => s == text);
            Assert.Single(summaries, s => s == text);
        }
    }

    [Fact]
    public async Task A_preview_plans_creates_and_skips_with_reasons_and_writes_nothing()
    {
        var integration = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks", d => d with { InitialSync = new InitialSyncDefinition { Enabled = true } });
        await CreateCasesAsync(("Preview me", "High"), ("Preview me too", "Low"));
        await _h.ResetMetricsAsync(_h.JiraUrl);
        var engine = (SyncEngine)_h.Engine;

        var preview = (await engine.PreviewAsync(integration.Id, 100, CancellationToken.None))!;

        Assert.True(preview.Complete);
        Assert.Equal(2, preview.RecordsRead);
        Assert.All(preview.Changes, c => Assert.Equal(("toTarget", "create"), (c.Direction, c.Action)));
        Assert.All(preview.Changes, c => Assert.Equal(["summary", "description", "priority", "status", "assignee"], c.Fields));
        Assert.True(preview.EstimatedCalls["target"] >= 2, "a bulk create and a read back");
        Assert.True(preview.EstimatedCalls["source"] >= 2, "the read and the key written back");
        var routes = (await _h.AdminAsync(_h.JiraUrl, HttpMethod.Get, "/_sandbox/metrics"))!["byRoute"]!.AsObject();
        Assert.DoesNotContain(routes, r => r.Key.StartsWith("POST /rest/api/3/issue", StringComparison.Ordinal) || r.Key.StartsWith("PUT ", StringComparison.Ordinal));
        Assert.Null(await _h.State.GetWatermarkAsync(integration.Id, "toTarget", CancellationToken.None));

        // After a real run, the same records are planned as skips, with the reason.
        Assert.Equal(2, (await _h.RunAsync(integration)).Counts.Created);
        await CreateCasesAsync(("Only me", "Medium"));
        preview = (await engine.PreviewAsync(integration.Id, 100, CancellationToken.None))!;
        Assert.Single(preview.Changes, c => c.Action == "create");
        Assert.Equal(2, preview.Changes.Count(c => c.Action == "skip" && c.Reason!.StartsWith("no mapped field changed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_initial_sync_of_thousands_of_Cases_uses_bulk_calls_far_fewer_than_records()
    {
        const int cases = 3000;
        // New Cases: a Jira issue in another status costs one transition call each (Jira has no bulk transition here).
        var records = Enumerable.Range(0, cases).Select(i => new { Subject = $"Imported case {i}", Status = "New", Priority = new[] { "High", "Medium", "Low" }[i % 3] });
        await _h.AdminAsync(_h.SalesforceUrl, HttpMethod.Post, "/_sandbox/import", new { records = new { Case = records } });
        var integration = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks", d => d with
        {
            InitialSync = new InitialSyncDefinition { Enabled = true },
            Fields = [.. d.Fields.Where(f => f.Source != "OwnerId")], // imported Cases belong to the integration user
        });
        await _h.ResetMetricsAsync(_h.SalesforceUrl);
        await _h.ResetMetricsAsync(_h.JiraUrl);

        var run = await _h.RunAsync(integration);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(cases, run.Counts.Created);
        var salesforceCalls = await _h.CallsAsync(_h.SalesforceUrl);
        var jiraCalls = await _h.CallsAsync(_h.JiraUrl);
        output.WriteLine($"{cases} cases: {salesforceCalls} Salesforce calls, {jiraCalls} Jira calls");
        output.WriteLine((await _h.AdminAsync(_h.JiraUrl, HttpMethod.Get, "/_sandbox/metrics"))!.ToJsonString());
        Assert.True(salesforceCalls + jiraCalls < cases / 8, $"{salesforceCalls} + {jiraCalls} calls for {cases} records");
    }

    [Fact]
    public async Task A_transform_rule_shapes_what_is_written()
    {
        var integration = await _h.CreateFromTemplateAsync("salesforce-cases-to-jira-tasks", d => d with
        {
            Rules = [new RuleReference { Name = "shout", Script = "function transform(record, target, ctx) { target.summary = '[' + ctx.direction + '] ' + target.summary.toUpperCase(); return target; }" }],
        });
        await _h.RunAsync(integration);
        var cases = await CreateCasesAsync(("quiet please", "Low"));

        await _h.RunAsync(integration);

        var issue = (await ReadIssuesByKeyAsync([Text((await ReadCasesAsync(cases))[0].Fields["Jira_Key__c"])!]))[0];
        Assert.StartsWith("[", Text(issue.Fields["summary"]), StringComparison.Ordinal);
        Assert.EndsWith("QUIET PLEASE", Text(issue.Fields["summary"]), StringComparison.Ordinal);
    }

    private async Task<RecordRef[]> CreateCasesAsync(params (string Subject, string Priority)[] cases)
    {
        await using var agent = _h.Agent();
        var writes = cases.Select(c => new RecordWrite
        {
            Operation = WriteOperation.Create,
            Entity = "Case",
            Fields = new Dictionary<string, FieldValue>
            {
                ["Subject"] = new TextValue(c.Subject),
                ["Description"] = new TextValue($"Details of {c.Subject}"),
                ["Priority"] = new ChoiceValue(c.Priority, c.Priority),
                ["Status"] = new ChoiceValue("New", "New"),
                ["Origin"] = new ChoiceValue("Web", "Web"),
            },
        }).ToList();
        var results = await ((IRecordWriter)agent).WriteAsync(writes, CancellationToken.None);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        return [.. results.Select(r => r.Record!)];
    }

    private async Task<RecordRef[]> CreateIssuesAsync(params string[] summaries)
    {
        await using var developer = _h.Developer();
        var writes = summaries.Select(s => new RecordWrite
        {
            Operation = WriteOperation.Create,
            Entity = "Task",
            Scope = Project,
            Fields = new Dictionary<string, FieldValue> { ["summary"] = new TextValue(s), ["description"] = new RichTextValue(RichTextFormat.Plain, $"Details of {s}") },
        }).ToList();
        var results = await ((IRecordWriter)developer).WriteAsync(writes, CancellationToken.None);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        return [.. results.Select(r => r.Record!)];
    }

    private async Task UpdateCaseAsync(RecordRef @case, Dictionary<string, FieldValue> fields)
    {
        await using var agent = _h.Agent();
        var result = (await ((IRecordWriter)agent).WriteAsync([new RecordWrite { Operation = WriteOperation.Update, Entity = "Case", Id = @case.Id, Fields = fields }], CancellationToken.None))[0];
        Assert.True(result.Succeeded, result.Error?.Message);
        await Task.Delay(10); // a later edit gets a later timestamp
    }

    private async Task UpdateIssueAsync(string id, Dictionary<string, FieldValue> fields)
    {
        await using var developer = _h.Developer();
        var result = (await ((IRecordWriter)developer).WriteAsync([new RecordWrite { Operation = WriteOperation.Update, Entity = "Task", Id = id, Scope = Project, Fields = fields }], CancellationToken.None))[0];
        Assert.True(result.Succeeded && result.RejectedFields.Count == 0, result.Error?.Message ?? string.Join("; ", result.RejectedFields));
        await Task.Delay(10);
    }

    private async Task<IReadOnlyList<Record>> ReadCasesAsync(IEnumerable<RecordRef> cases)
    {
        await using var salesforce = _h.Open(SyncHarness.SalesforceConnection);
        var ids = cases.Select(c => c.Id).ToList();
        var read = await ((IRecordReader)salesforce).ReadByIdsAsync("Case", ids, CaseFields, CancellationToken.None);
        return [.. read.OrderBy(r => ids.IndexOf(r.Ref.Id))];
    }

    private async Task<IReadOnlyList<Record>> ReadIssuesAsync(IReadOnlyList<string> ids)
    {
        await using var jira = _h.Open(SyncHarness.JiraConnection);
        return await ((IRecordReader)jira).ReadByIdsAsync("Task", ids, IssueFields, CancellationToken.None);
    }

    private Task<IReadOnlyList<Record>> ReadIssuesByKeyAsync(IEnumerable<string> keys) => ReadIssuesAsync([.. keys]);

    private async Task<List<string?>> AllTextsAsync(string connection, string entity, string field, IReadOnlyDictionary<string, string>? scope)
    {
        await using var connector = _h.Open(connection);
        var texts = new List<string?>();
        await foreach (var page in ((IChangeReader)connector).ReadChangesAsync(new ChangeQuery { Entity = entity, Fields = [field], Scope = scope, InitialSince = DateTimeOffset.UnixEpoch }, CancellationToken.None))
        {
            texts.AddRange(page.Records.Select(r => Text(r.Fields[field])));
        }

        return texts;
    }

    private async Task<long> SearchesAsync()
    {
        var routes = (await _h.AdminAsync(_h.JiraUrl, HttpMethod.Get, "/_sandbox/metrics"))!["byRoute"]!.AsObject();
        return routes.Where(r => r.Key.Contains("/search", StringComparison.Ordinal)).Sum(r => r.Value!.GetValue<long>());
    }

    private async Task ForgetLinksAsync()
    {
        await using var connection = new SqliteConnection(_h.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM links";
        Assert.True(await command.ExecuteNonQueryAsync() > 0);
    }

    private static async Task<byte[]> BytesAsync(IAttachmentStore store, AttachmentInfo file)
    {
        await using var stream = await store.OpenReadAsync(file, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static string? Text(FieldValue value) => value switch
    {
        TextValue t => t.Value,
        RichTextValue r => PlainText.Of(r),
        NullValue => null,
        _ => value.ToString(),
    };

    private static string? Label(FieldValue value) => value is ChoiceValue c ? c.Label ?? c.Key : Text(value);
}
