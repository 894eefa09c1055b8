using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Integrations;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Core.Runs;
using PluginHub.Core.Sync;
using PluginHub.Testing.EndToEnd;

namespace PluginHub.Benchmarks.Scenarios;

/// <summary>The scenarios that run after an initial sync: idle polls, incremental edits on both sides, change-to-target latency.</summary>
internal static class PollScenarios
{
    private static readonly Dictionary<string, string> Project = new() { ["project"] = "SUP" };

    /// <summary>
    /// <c>idle-poll [--records 1000] [--runs 3]</c>: a bidirectional integration after its initial sync and one run that settles the
    /// write-backs; then polls with nothing changed. Baseline: a poller that reads every linked record by id on both sides.
    /// </summary>
    public static async Task<int> IdlePollAsync(string[] args)
    {
        var options = SyncOptions.Parse(args, 1_000);
        await using var h = await SyncBench.StartAsync(options);
        var integration = await SyncedAsync(h, options);
        var polls = new List<Figures>();
        for (var i = 1; i <= options.Runs; i++)
        {
            var poll = await SyncBench.MeasureAsync(h, options.Records, () => SyncBench.RunOnceAsync(h, integration));
            poll.Print($"idle poll {i}");
            polls.Add(poll);
        }

        var baseline = await SyncBench.MeasureAsync(h, options.Records, () => NaivePollAsync(h, integration));
        baseline.Print("naive poll (every linked record read by id on both sides)");
        var last = polls[^1];
        SyncBench.PrintJson("idle-poll", last, baseline, new JsonObject
        {
            ["latencyMs"] = options.LatencyMs,
            ["callsPerPoll"] = new JsonArray([.. polls.Select(p => (JsonNode)p.ApiCalls)]),
            ["polls"] = new JsonArray([.. polls.Select(p => (JsonNode)p.ToJson())]),
        });
        return 0;
    }

    /// <summary>
    /// <c>incremental [--records 1000] [--edits 100]</c>: after the initial sync, M edits by people on each side (different records),
    /// one run to carry them, one more run to show what echoes write (target 0). Baseline: per changed record one read and one write.
    /// </summary>
    public static async Task<int> IncrementalAsync(string[] args)
    {
        var options = SyncOptions.Parse(args, 1_000);
        await using var h = await SyncBench.StartAsync(options);
        var integration = await SyncedAsync(h, options);
        var pairs = await PairsAsync(h, integration);
        var random = new Random(11);
        random.Shuffle(pairs);
        var edits = Math.Min(options.Edits, pairs.Length / 3);

        await EditAsync(h, pairs[..edits], pairs[edits..(2 * edits)], "first");
        Run? carried = null;
        var incremental = await SyncBench.MeasureAsync(h, 2 * edits, async () => carried = await SyncBench.RunOnceAsync(h, integration));
        incremental.Print($"incremental: {edits} Cases and {edits} issues edited ({carried!.Counts})");
        var echo = await SyncBench.MeasureAsync(h, 0, () => SyncBench.RunOnceAsync(h, integration));
        echo.Print("the run after (echoes)");

        // The baseline carries another round of edits (other records) the obvious way.
        var (naiveCases, naiveIssues) = (pairs[(2 * edits)..(2 * edits + edits / 2)], pairs[(2 * edits + edits / 2)..(3 * edits)]);
        await EditAsync(h, naiveCases, naiveIssues, "naive");
        var definition = JsonSerializer.Deserialize<IntegrationDefinition>(integration.Definition, IntegrationDefinition.JsonOptions)!;
        var baseline = await SyncBench.MeasureAsync(h, naiveCases.Length + naiveIssues.Length, () => NaiveCarryAsync(h, definition, naiveCases, naiveIssues));
        baseline.Print("naive baseline (read by id + write per changed record)");
        SyncBench.PrintJson("incremental", incremental, baseline, new JsonObject
        {
            ["edits"] = new JsonObject { ["salesforce"] = edits, ["jira"] = edits },
            ["writes"] = Writes(incremental),
            ["echoWrites"] = Writes(echo),
            ["echoRun"] = echo.ToJson(),
            ["run"] = carried.Counts.ToString(),
        });
        return 0;
    }

    /// <summary>
    /// <c>latency [--records 200] [--edits 20]</c>: the engine polls in a loop every second (as Quartz with <c>pollSeconds: 1</c>); a
    /// support agent edits Case subjects at random moments; the time from each edit until the Jira issue shows it.
    /// </summary>
    public static async Task<int> LatencyAsync(string[] args)
    {
        var options = SyncOptions.Parse(args, 200);
        var edits = args.Contains("--edits", StringComparer.Ordinal) ? options.Edits : 20;
        await using var h = await SyncBench.StartAsync(options);
        var integration = await SyncedAsync(h, options);
        var pairs = await PairsAsync(h, integration);
        await using var agent = h.Agent();
        await using var jira = h.Open(SyncHarness.JiraConnection);
        var pending = new Dictionary<string, (string Issue, string Marker, TimeSpan At)>(StringComparer.Ordinal);
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        using var sampler = new PeakSampler();
        using var stop = new CancellationTokenSource();
        var runs = 0;

        var events = args.Contains("--events", StringComparer.Ordinal);
        using var signal = new SemaphoreSlim(0);
        await using var ingress = events ? await OutboundIngress.StartAsync(h, integration, signal) : null;
        var poller = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (events)
                {
                    // Event-driven: a run starts when an outbound message arrives (as the host's ingress starts one through Quartz).
                    try
                    {
                        await signal.WaitAsync(stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }

                    while (signal.Wait(0))
                    {
                    }
                }

                var started = clock.Elapsed;
                await h.Engine.RunAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);
                runs++;
                KeyValuePair<string, (string Issue, string Marker, TimeSpan At)>[] waiting;
                lock (pending)
                {
                    waiting = [.. pending];
                }

                if (waiting.Length > 0)
                {
                    var issues = await ((IRecordReader)jira).ReadByIdsAsync("Task", [.. waiting.Select(w => w.Value.Issue)], ["summary"], CancellationToken.None);
                    var arrived = clock.Elapsed;
                    foreach (var (caseId, (issue, marker, at)) in waiting)
                    {
                        if (issues.Any(i => i.Ref.Id == issue && i.Fields.GetValueOrDefault("summary") is TextValue { Value: var v } && v == marker))
                        {
                            lock (pending)
                            {
                                pending.Remove(caseId);
                                latencies.Add((arrived - at).TotalSeconds);
                            }
                        }
                    }
                }

                var wait = TimeSpan.FromSeconds(1) - (clock.Elapsed - started);
                if (!events && wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, CancellationToken.None);
                }
            }
        });

        await SyncBench.ResetMetricsAsync(h);
        var random = new Random(5);
        foreach (var (caseId, issueId) in pairs.OrderBy(_ => random.Next()).Take(edits))
        {
            var marker = $"Edited for latency {caseId}";
            var at = clock.Elapsed;
            await ((IRecordWriter)agent).WriteAsync([Update("Case", caseId, new() { ["Subject"] = new TextValue(marker) })], CancellationToken.None);
            lock (pending)
            {
                pending[caseId] = (issueId, marker, at);
            }

            await Task.Delay(random.Next(200, 1500));
        }

        var deadline = clock.Elapsed + TimeSpan.FromSeconds(60);
        while (clock.Elapsed < deadline && Count(pending) > 0)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await poller;
        var sorted = latencies.Order().ToList();
        double Percentile(double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        var (salesforce, jiraCalls) = await SyncBench.CallsAsync(h);
        var figures = new Figures(edits, salesforce, jiraCalls, clock.Elapsed.TotalSeconds, sampler.PeakMb);
        Console.WriteLine($"latency through {(events ? "events (Salesforce outbound messages)" : "polling (1 s)")}: {sorted.Count}/{edits} edits arrived; p50 {Percentile(0.5):0.00} s, p95 {Percentile(0.95):0.00} s, max {(sorted.Count == 0 ? 0 : sorted[^1]):0.00} s over {runs} runs");
        SyncBench.PrintJson("latency", figures, null, new JsonObject
        {
            ["arrived"] = sorted.Count,
            ["polls"] = runs,
            ["p50Seconds"] = Math.Round(Percentile(0.5), 2),
            ["p95Seconds"] = Math.Round(Percentile(0.95), 2),
            ["maxSeconds"] = Math.Round(sorted.Count == 0 ? 0 : sorted[^1], 2),
            ["trigger"] = events ? "events" : "poll every 1 s",
        });
        return sorted.Count == edits ? 0 : 1;
    }

    /// <summary>
    /// What the host's <c>/hooks/salesforce</c> ingress does, in this process: Salesforce posts outbound messages for Case changes here;
    /// each is verified and parsed by the connector, acknowledged, its record ids left in the engine's inbox, and a run signalled.
    /// </summary>
    private sealed class OutboundIngress : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly IConnector _salesforce;

        private OutboundIngress(WebApplication app, IConnector salesforce)
        {
            _app = app;
            _salesforce = salesforce;
        }

        public static async Task<OutboundIngress> StartAsync(SyncHarness h, Integration integration, SemaphoreSlim signal)
        {
            var salesforce = h.Open(SyncHarness.SalesforceConnection);
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var url = new Uri("http://127.0.0.1/");
            var registration = await ((IWebhookReceiver)salesforce).EnsureRegisteredAsync(
                new WebhookRegistration { Name = "latency", Url = url, Entity = "Case" }, CancellationToken.None);
            var verification = new WebhookVerification { Expected = registration.Expected };
            app.MapPost("/hooks/salesforce", async (Microsoft.AspNetCore.Http.HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                var parsed = ((IWebhookReceiver)salesforce).Parse(new WebhookRequest
                {
                    Method = "POST",
                    Headers = context.Request.Headers.ToDictionary(x => x.Key, x => x.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                    Body = body.ToArray(),
                }, verification);
                if (!parsed.Accepted)
                {
                    return Microsoft.AspNetCore.Http.Results.StatusCode(401);
                }

                h.Notices.Add(integration.Id, Side.Source, parsed.Notices.Select(n => n.Record.Id));
                signal.Release();
                return parsed.Acknowledgement is { } ack ? Microsoft.AspNetCore.Http.Results.Text(ack.Body, ack.ContentType, statusCode: ack.StatusCode) : Microsoft.AspNetCore.Http.Results.NoContent();
            });
            await app.StartAsync();
            var address = app.Urls.First();
            await h.AdminAsync(h.SalesforceUrl, HttpMethod.Post, "/_sandbox/outbound-messages", new { @object = "Case", fields = new[] { "Id" }, url = $"{address}/hooks/salesforce", retryBaseMs = 100 });
            return new OutboundIngress(app, salesforce);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            await _salesforce.DisposeAsync();
        }
    }

    /// <summary>Seeds, creates a bidirectional integration with initial sync, runs it and one more run that settles the write-backs.</summary>
    public static async Task<Integration> SyncedAsync(SyncHarness h, SyncOptions options)
    {
        await SyncBench.SeedCasesAsync(h, options, options.Records, options.Comments);
        await SyncBench.SetLatencyAsync(h, options.LatencyMs);
        var integration = await SyncBench.CreateIntegrationAsync(h, SyncDirection.Bidirectional);
        var initial = await SyncBench.MeasureAsync(h, options.Records, () => SyncBench.RunOnceAsync(h, integration));
        initial.Print("initial sync (bidirectional)");
        var settle = await SyncBench.MeasureAsync(h, options.Records, () => SyncBench.RunOnceAsync(h, integration));
        settle.Print("settling run (reads the key write-backs as echoes)");
        if (options.WaitSeconds > 0)
        {
            // Both connectors re-read a window behind their checkpoints (Salesforce 5 min, activity 2 min): wait it out for steady state.
            Console.WriteLine($"waiting {options.WaitSeconds} s for the overlap windows to pass");
            await Task.Delay(TimeSpan.FromSeconds(options.WaitSeconds));

            // Comments and files are listed from shortly before the previous run's start: one poll moves that past the initial sync.
            var steady = await SyncBench.MeasureAsync(h, options.Records, () => SyncBench.RunOnceAsync(h, integration));
            steady.Print("first poll after the wait");
        }

        return integration;
    }

    /// <summary>Write calls by route: everything but reads (GET, searches, queries, logins).</summary>
    public static long Writes(Figures figures) =>
        figures.Salesforce.ByRoute.Concat(figures.Jira.ByRoute)
            .Where(p => !p.Key.StartsWith("GET ", StringComparison.Ordinal) && !p.Key.Contains("search", StringComparison.Ordinal) && !p.Key.Contains("oauth2", StringComparison.Ordinal))
            .Sum(p => p.Value);

    private static int Count<T>(Dictionary<string, T> pending)
    {
        lock (pending)
        {
            return pending.Count;
        }
    }

    private static async Task<(string Case, string Issue)[]> PairsAsync(SyncHarness h, Integration integration)
    {
        var cases = await h.State.ListLinkedIdsAsync(integration.Id, LinkKind.Record, Side.Source, CancellationToken.None);
        var issues = await h.State.ListLinkedIdsAsync(integration.Id, LinkKind.Record, Side.Target, CancellationToken.None);
        return [.. cases.Zip(issues)];
    }

    /// <summary>People edit: the support agent changes Case subjects and priorities, the developer issue summaries (not measured).</summary>
    private static async Task EditAsync(SyncHarness h, (string Case, string Issue)[] cases, (string Case, string Issue)[] issues, string round)
    {
        await using var agent = h.Agent();
        await using var developer = h.Developer();
        await ((IRecordWriter)agent).WriteAsync(
            [.. cases.Select(p => Update("Case", p.Case, new() { ["Subject"] = new TextValue($"Edited in Salesforce ({round}) {p.Case}"), ["Priority"] = new ChoiceValue("High", "High") }))],
            CancellationToken.None);
        await ((IRecordWriter)developer).WriteAsync([.. issues.Select(p => Update("Task", p.Issue, new() { ["summary"] = new TextValue($"Edited in Jira ({round}) {p.Issue}") }))], CancellationToken.None);
    }

    private static RecordWrite Update(string entity, string id, Dictionary<string, FieldValue> fields) => new()
    {
        Operation = WriteOperation.Update,
        Entity = entity,
        Id = id,
        Scope = entity == "Task" ? Project : null,
        Fields = fields,
    };

    /// <summary>A poller without checkpoints or bulk reads: every linked record read by id, on both sides.</summary>
    private static async Task NaivePollAsync(SyncHarness h, Integration integration)
    {
        await using var salesforce = h.Open(SyncHarness.SalesforceConnection);
        await using var jira = h.Open(SyncHarness.JiraConnection);
        foreach (var (caseId, issueId) in await PairsAsync(h, integration))
        {
            await ((IRecordReader)salesforce).ReadByIdsAsync("Case", [caseId], ["Subject", "Description", "Priority", "Status", "OwnerId"], CancellationToken.None);
            await ((IRecordReader)jira).ReadByIdsAsync("Task", [issueId], ["summary", "description", "priority", "status", "assignee"], CancellationToken.None);
        }
    }

    /// <summary>The changed records carried the obvious way: per record one read by id and one write of every mapped field.</summary>
    private static async Task NaiveCarryAsync(SyncHarness h, IntegrationDefinition definition, (string Case, string Issue)[] cases, (string Case, string Issue)[] issues)
    {
        await using var salesforce = h.Open(SyncHarness.SalesforceConnection);
        await using var jira = h.Open(SyncHarness.JiraConnection);
        var caseSchema = await salesforce.DescribeEntityAsync("Case", null, CancellationToken.None);
        var taskSchema = await jira.DescribeEntityAsync("Task", Project, CancellationToken.None);
        foreach (var (from, to, schema, side, pairs) in new[]
        {
            (salesforce, jira, taskSchema, Side.Source, cases.Select(p => (From: p.Case, To: p.Issue))),
            (jira, salesforce, caseSchema, Side.Target, issues.Select(p => (From: p.Issue, To: p.Case))),
        })
        {
            var mappings = FieldMapper.For(definition, side);
            foreach (var (fromId, toId) in pairs)
            {
                var record = (await ((IRecordReader)from).ReadByIdsAsync(side == Side.Source ? "Case" : "Task", [fromId], [.. mappings.Select(m => m.From).Distinct()], CancellationToken.None))[0];
                var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
                foreach (var mapping in mappings)
                {
                    if (FieldMapper.Convert(mapping, record.Fields.GetValueOrDefault(mapping.From) ?? NullValue.Instance, schema.Fields.FirstOrDefault(f => f.Name == mapping.To)) is { } value)
                    {
                        fields[mapping.To] = value;
                    }
                }

                await ((IRecordWriter)to).WriteAsync(
                    [new RecordWrite { Operation = WriteOperation.Update, Entity = side == Side.Source ? "Task" : "Case", Id = toId, Scope = side == Side.Source ? Project : null, Fields = fields }],
                    CancellationToken.None);
            }
        }
    }
}
