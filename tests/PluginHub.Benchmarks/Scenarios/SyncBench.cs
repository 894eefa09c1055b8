using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PluginHub.Core.Integrations;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Core.Runs;
using PluginHub.Testing.EndToEnd;

namespace PluginHub.Benchmarks.Scenarios;

/// <summary>
/// Options shared by the sync scenarios: <c>--records N --latency-ms N --comments K --edits M --runs R --baseline-records B</c>;
/// <c>--wait-seconds S</c> waits after the initial sync until the connectors' overlap windows have passed (steady state);
/// <c>--statuses New,Working</c> narrows the Case statuses seeded (all four by default; any but New costs Jira workflow transitions).</summary>
internal sealed record SyncOptions(int Records, int LatencyMs, int Comments, int Edits, int Runs, int? BaselineRecords, bool Verbose, IReadOnlyList<string> Statuses, int WaitSeconds)
{
    public static SyncOptions Parse(string[] args, int defaultRecords)
    {
        string? Text(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int? Int(string name) => Text(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

        return new SyncOptions(Int("--records") ?? defaultRecords, Int("--latency-ms") ?? 0, Int("--comments") ?? 0, Int("--edits") ?? 100,
            Int("--runs") ?? 3, Int("--baseline-records"), args.Contains("--verbose", StringComparer.Ordinal),
            Text("--statuses")?.Split(',') ?? ["New", "Working", "Escalated", "Closed"], Int("--wait-seconds") ?? 0);
    }
}

/// <summary>API calls counted by one sandbox: total and per route template.</summary>
internal sealed record Calls(long Requests, IReadOnlyDictionary<string, long> ByRoute)
{
    public static Calls operator +(Calls a, Calls b) => new(a.Requests + b.Requests,
        a.ByRoute.Concat(b.ByRoute).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal));

    public override string ToString() => string.Join(", ", ByRoute.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N0}"));
}

/// <summary>What one measured phase cost: calls per side, wall time and the largest working set seen.</summary>
internal sealed record Figures(int Records, Calls Salesforce, Calls Jira, double Seconds, double PeakWorkingSetMb)
{
    public long ApiCalls => Salesforce.Requests + Jira.Requests;

    public double CallsPerRecord => Records == 0 ? 0 : (double)ApiCalls / Records;

    public double RecordsPerSecond => Seconds == 0 ? 0 : Records / Seconds;

    public JsonObject ToJson() => new()
    {
        ["records"] = Records,
        ["apiCalls"] = ApiCalls,
        ["callsPerRecord"] = Math.Round(CallsPerRecord, 4),
        ["seconds"] = Math.Round(Seconds, 2),
        ["recordsPerSecond"] = Math.Round(RecordsPerSecond, 1),
        ["peakWorkingSetMb"] = Math.Round(PeakWorkingSetMb, 1),
        ["calls"] = new JsonObject { ["salesforce"] = Side(Salesforce), ["jira"] = Side(Jira) },
    };

    public void Print(string title)
    {
        Console.WriteLine($"{title}: {Records:N0} records, {ApiCalls:N0} API calls ({CallsPerRecord:0.####} per record), {Seconds:0.00} s, {RecordsPerSecond:N0} records/s, peak working set {PeakWorkingSetMb:N0} MB");
        Console.WriteLine($"  Salesforce {Salesforce.Requests:N0}: {Salesforce}");
        Console.WriteLine($"  Jira {Jira.Requests:N0}: {Jira}");
    }

    private static JsonObject Side(Calls calls) => new()
    {
        ["requests"] = calls.Requests,
        ["byRoute"] = new JsonObject(calls.ByRoute.OrderByDescending(p => p.Value).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
    };
}

/// <summary>
/// Largest working set seen while it runs: a thread samples every 10 ms (the process-wide peak only ever grows, so it cannot tell
/// one phase from the next).
/// </summary>
internal sealed class PeakSampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peak;

    public PeakSampler()
    {
        _thread = new Thread(() =>
        {
            using var process = Process.GetCurrentProcess();
            while (!_stop)
            {
                process.Refresh();
                Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), process.WorkingSet64));
                Thread.Sleep(10);
            }
        }) { IsBackground = true, Name = "working-set sampler" };
        _thread.Start();
    }

    public double PeakMb => Interlocked.Read(ref _peak) / 1024.0 / 1024.0;

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    public static double CurrentMb()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1024.0 / 1024.0;
    }
}

/// <summary>The end-to-end harness, set up the way the sync scenarios need it.</summary>
internal static class SyncBench
{
    public const string Template = "salesforce-cases-to-jira-tasks";

    private static readonly string[] Priorities = ["High", "Medium", "Low"];

    public static int Run(string[] args, Func<string[], Task<int>> scenario) => scenario(args).GetAwaiter().GetResult();

    /// <summary>Both sandboxes and the engine; the engine logs warnings only (a line per record would be measured too).</summary>
    public static async Task<SyncHarness> StartAsync(SyncOptions options, SandboxProcess? sandboxes = null)
    {
        var logging = LoggerFactory.Create(b => b.AddProvider(new ConsoleLines()).AddFilter("Microsoft", LogLevel.Warning).SetMinimumLevel(options.Verbose ? LogLevel.Debug : LogLevel.Warning));
        return sandboxes is null ? await SyncHarness.StartAsync(logging) : await SyncHarness.StartAsync(logging, sandboxes.SalesforceUrl, sandboxes.JiraUrl);
    }

    /// <summary>
    /// Creates <paramref name="count"/> Cases (and <paramref name="comments"/> comments on each) through the sandbox's admin import:
    /// not API calls. Statuses and priorities cycle through the values, as a real backlog has them.
    /// </summary>
    public static async Task SeedCasesAsync(SyncHarness h, SyncOptions options, int count, int comments, int first = 0)
    {
        const int chunk = 5_000; // one import is one transaction held in memory: keep each small
        for (var start = first; start < first + count; start += chunk)
        {
            var cases = new JsonArray();
            var caseComments = new JsonArray();
            for (var i = start; i < Math.Min(first + count, start + chunk); i++)
            {
                cases.Add(new JsonObject
                {
                    ["@ref"] = $"c{i}",
                    ["Subject"] = $"Case {i}: printer on fire",
                    ["Description"] = $"Details of case {i}",
                    ["Status"] = options.Statuses[i % options.Statuses.Count],
                    ["Priority"] = Priorities[i % Priorities.Length],
                });
                for (var k = 0; k < comments; k++)
                {
                    caseComments.Add(new JsonObject { ["ParentId"] = $"@c{i}", ["CommentBody"] = $"Comment {k} on case {i}", ["IsPublished"] = true });
                }
            }

            var records = new JsonObject { ["Case"] = cases };
            if (comments > 0)
            {
                records["CaseComment"] = caseComments;
            }

            await h.AdminAsync(h.SalesforceUrl, HttpMethod.Post, "/_sandbox/import", new JsonObject { ["records"] = records });
        }
    }

    public static Task<Integration> CreateIntegrationAsync(SyncHarness h, SyncDirection direction = SyncDirection.OneWay, bool initialSync = true) =>
        h.CreateFromTemplateAsync(Template, d => d with { Direction = direction, InitialSync = d.InitialSync with { Enabled = initialSync } });

    public static async Task SetLatencyAsync(SyncHarness h, int ms)
    {
        await h.AdminAsync(h.SalesforceUrl, HttpMethod.Post, "/_sandbox/latency", new { ms });
        await h.AdminAsync(h.JiraUrl, HttpMethod.Post, "/_sandbox/latency", new { ms });
    }

    public static async Task ResetMetricsAsync(SyncHarness h)
    {
        await h.ResetMetricsAsync(h.SalesforceUrl);
        await h.ResetMetricsAsync(h.JiraUrl);
    }

    public static async Task<(Calls Salesforce, Calls Jira)> CallsAsync(SyncHarness h) => (await SideCallsAsync(h, h.SalesforceUrl), await SideCallsAsync(h, h.JiraUrl));

    /// <summary>Runs the integration once and fails loudly when the run did not go through.</summary>
    public static async Task<Run> RunOnceAsync(SyncHarness h, Integration integration)
    {
        var run = await h.RunAsync(integration);
        if (run.Status != RunStatus.Succeeded)
        {
            Console.WriteLine($"run {run.Status}: {run.Counts} {run.Message} {string.Join(" | ", run.Errors.Take(5).Select(e => $"{e.RecordId}: {e.Message}"))}");
        }

        return run;
    }

    /// <summary>Measures <paramref name="phase"/>: metrics are reset first, the working set is sampled throughout.</summary>
    public static async Task<Figures> MeasureAsync(SyncHarness h, int records, Func<Task> phase)
    {
        await ResetMetricsAsync(h);
        using var sampler = new PeakSampler();
        var clock = Stopwatch.StartNew();
        await phase();
        var seconds = clock.Elapsed.TotalSeconds;
        var (salesforce, jira) = await CallsAsync(h);
        return new Figures(records, salesforce, jira, seconds, sampler.PeakMb);
    }

    /// <summary>Prints the final JSON line: the figures, the baseline's and their ratios, and what the scenario adds.</summary>
    public static void PrintJson(string scenario, Figures figures, Figures? baseline, JsonObject? extra = null)
    {
        var json = new JsonObject { ["scenario"] = scenario };
        foreach (var (key, value) in figures.ToJson())
        {
            json[key] = value?.DeepClone();
        }

        json["machine"] = $"{Environment.ProcessorCount} cores, .NET {Environment.Version}";
        if (baseline is not null)
        {
            json["baseline"] = baseline.ToJson();
            json["ratios"] = new JsonObject
            {
                ["apiCalls"] = Ratio(baseline.CallsPerRecord, figures.CallsPerRecord),
                ["recordsPerSecond"] = Ratio(figures.RecordsPerSecond, baseline.RecordsPerSecond),
                ["peakWorkingSet"] = Ratio(figures.PeakWorkingSetMb, baseline.PeakWorkingSetMb),
            };
            Console.WriteLine($"vs naive baseline: {Ratio(baseline.CallsPerRecord, figures.CallsPerRecord)}× fewer calls per record, {Ratio(figures.RecordsPerSecond, baseline.RecordsPerSecond)}× the records per second");
        }

        foreach (var (key, value) in extra ?? [])
        {
            json[key] = value?.DeepClone();
        }

        Console.WriteLine(json.ToJsonString());
    }

    public static double Ratio(double a, double b) => b == 0 ? 0 : Math.Round(a / b, 2);

    private static async Task<Calls> SideCallsAsync(SyncHarness h, Uri url)
    {
        var metrics = (await h.AdminAsync(url, HttpMethod.Get, "/_sandbox/metrics"))!;
        var byRoute = metrics["byRoute"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<long>(), StringComparer.Ordinal);
        return new Calls(metrics["requests"]!.GetValue<long>(), byRoute);
    }
}

/// <summary>Log lines on the console, one per entry (the console logger package is not referenced for this alone).</summary>
internal sealed class ConsoleLines : ILoggerProvider, ILogger
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Console.WriteLine($"{Clock.Elapsed.TotalSeconds,8:0.000} {logLevel}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception.Message)}");

    public void Dispose()
    {
    }
}

/// <summary>
/// Both sandboxes in a child process (<c>PluginHub.Sandbox</c>, built beside the benchmarks), so that this process's working set is
/// PluginHub's alone: the emulators keep every record in memory.
/// </summary>
internal sealed class SandboxProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SandboxProcess(Process process, Uri salesforceUrl, Uri jiraUrl) => (_process, SalesforceUrl, JiraUrl) = (process, salesforceUrl, jiraUrl);

    public Uri SalesforceUrl { get; }

    public Uri JiraUrl { get; }

    public double WorkingSetMb
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64 / 1024.0 / 1024.0;
        }
    }

    public static async Task<SandboxProcess> StartAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "PluginHub.Sandbox.dll"), "--salesforce", "http://127.0.0.1:0", "--jira", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The sandbox process did not start.");
        Uri? salesforce = null, jira = null;
        while ((salesforce is null || jira is null) && await process.StandardOutput.ReadLineAsync() is { } line)
        {
            // "Salesforce sandbox listening on http://127.0.0.1:40123 (admin: …)"
            var url = line.Split(' ').FirstOrDefault(w => w.StartsWith("http://", StringComparison.Ordinal));
            if (url is not null && line.StartsWith("Salesforce", StringComparison.Ordinal))
            {
                salesforce = new Uri(url + "/");
            }
            else if (url is not null && line.StartsWith("Jira Cloud", StringComparison.Ordinal))
            {
                jira = new Uri(url + "/");
            }
        }

        return salesforce is not null && jira is not null
            ? new SandboxProcess(process, salesforce, jira)
            : throw new InvalidOperationException("The sandbox process ended before it listened.");
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
