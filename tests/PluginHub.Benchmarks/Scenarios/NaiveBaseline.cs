using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Text;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Core.Sync;
using PluginHub.Testing.EndToEnd;

namespace PluginHub.Benchmarks.Scenarios;

/// <summary>
/// The same sync done the obvious way through the same connectors: list the Cases, then per Case one read by id, one create in
/// Jira and one write-back of the key (and per Case one comment listing and one add per comment). The figure every other is a ratio of.
/// </summary>
internal static class NaiveBaseline
{
    private static readonly Dictionary<string, string> Project = new() { ["project"] = "SUP" };

    /// <summary>Seeds <paramref name="records"/> Cases in a fresh sandbox pair and syncs them naively; returns the measured figures.</summary>
    public static async Task<Figures> MeasureAsync(SyncOptions options, int records)
    {
        await using var h = await SyncBench.StartAsync(options);
        await SyncBench.SeedCasesAsync(h, options, records, options.Comments);
        await SyncBench.SetLatencyAsync(h, options.LatencyMs);
        var integration = await SyncBench.CreateIntegrationAsync(h);
        var definition = JsonSerializer.Deserialize<IntegrationDefinition>(integration.Definition, IntegrationDefinition.JsonOptions)!;
        var figures = await SyncBench.MeasureAsync(h, records, () => SyncAsync(h, definition, options.Comments > 0));
        figures.Print("naive baseline");
        return figures;
    }

    private static async Task SyncAsync(SyncHarness h, IntegrationDefinition definition, bool comments)
    {
        await using var salesforce = h.Open(SyncHarness.SalesforceConnection);
        await using var jira = h.Open(SyncHarness.JiraConnection);
        var mappings = FieldMapper.For(definition, Side.Source);
        var fields = mappings.Select(m => m.From).Distinct(StringComparer.Ordinal).ToList();
        var task = await jira.DescribeEntityAsync("Task", Project, CancellationToken.None);
        var correlation = new CorrelationLocation(definition.Correlation.Target.Field, definition.Correlation.Target.Property);

        // A naive tool has to find the records too: one paged listing.
        var ids = new List<string>();
        await foreach (var page in ((IChangeReader)salesforce).ReadChangesAsync(new ChangeQuery { Entity = "Case", Fields = ["Subject"], InitialSince = DateTimeOffset.UnixEpoch }, CancellationToken.None))
        {
            ids.AddRange(page.Records.Select(r => r.Ref.Id));
        }

        foreach (var id in ids)
        {
            var record = (await ((IRecordReader)salesforce).ReadByIdsAsync("Case", [id], fields, CancellationToken.None))[0];
            var values = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
            foreach (var mapping in mappings)
            {
                if (FieldMapper.Convert(mapping, record.Fields.GetValueOrDefault(mapping.From) ?? NullValue.Instance, task.Fields.FirstOrDefault(f => f.Name == mapping.To)) is { } value and not NullValue)
                {
                    values[mapping.To] = value;
                }
            }

            var created = (await ((IRecordWriter)jira).WriteAsync(
                [new RecordWrite { Operation = WriteOperation.Create, Entity = "Task", Scope = Project, CorrelationId = $"Case-{record.Ref.DisplayKey ?? id}", Correlation = correlation, Fields = values }],
                CancellationToken.None))[0];
            var issue = created.Record ?? throw new InvalidOperationException($"Creating the issue of Case {id} failed: {created.Error?.Message}");
            await ((IRecordWriter)salesforce).WriteAsync(
                [new RecordWrite { Operation = WriteOperation.Update, Entity = "Case", Id = id, Fields = new Dictionary<string, FieldValue> { ["Jira_Key__c"] = new TextValue(issue.DisplayKey ?? issue.Id) } }],
                CancellationToken.None);

            if (comments)
            {
                await foreach (var comment in ((ICommentStore)salesforce).ListCommentsAsync("Case", [id], null, CancellationToken.None))
                {
                    await ((ICommentStore)jira).AddCommentAsync(issue, new NewComment(new RichTextValue(RichTextFormat.Plain, PlainText.Of(comment.Body)), comment.IsPublic), CancellationToken.None);
                }
            }
        }
    }
}
