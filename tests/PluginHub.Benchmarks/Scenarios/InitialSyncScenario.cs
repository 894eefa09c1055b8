using System.Text.Json.Nodes;
using PluginHub.Core.Runs;

namespace PluginHub.Benchmarks.Scenarios;

/// <summary>
/// <c>initial-sync [--records 10000] [--latency-ms 0] [--comments 0] [--baseline-records B]</c>: existing Cases → Jira Tasks with
/// the Cases template and initial sync on, the Jira key written back; then the naive baseline on a fresh sandbox pair.
/// </summary>
internal static class InitialSyncScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = SyncOptions.Parse(args, 10_000);
        Console.WriteLine($"initial sync of {options.Records:N0} Cases ({options.Comments} comments each), sandbox latency {options.LatencyMs} ms per call");
        var (engine, run) = await MeasureEngineAsync(options, options.Comments);
        var extra = new JsonObject { ["latencyMs"] = options.LatencyMs, ["statuses"] = string.Join(",", options.Statuses), ["run"] = run.Counts.ToString() };
        if (options.Comments > 0)
        {
            // Comments cost what the same sync without them does not: measured on a fresh pair in the same run.
            var (plain, _) = await MeasureEngineAsync(options, 0);
            var comments = options.Records * options.Comments;
            extra["comments"] = comments;
            extra["callsPerComment"] = Math.Round((double)(engine.ApiCalls - plain.ApiCalls) / comments, 4);
            extra["callsWithoutComments"] = plain.ApiCalls;
            Console.WriteLine($"comments: {comments:N0}, {(double)(engine.ApiCalls - plain.ApiCalls) / comments:0.####} calls per comment ({engine.ApiCalls:N0} calls with them, {plain.ApiCalls:N0} without)");
        }

        // Without latency the baseline runs every record; with it, a sample (one call per 50 ms makes hours), compared per record.
        var sample = options.BaselineRecords ?? (options.LatencyMs > 0 ? Math.Min(options.Records, 300) : options.Records);
        var baseline = await NaiveBaseline.MeasureAsync(options, sample);
        extra["baselineProjectedSeconds"] = Math.Round(baseline.Seconds * options.Records / sample, 1);
        if (options.Comments > 0)
        {
            // The naive copy lists each Case's comments (one query) and adds each comment (one call).
            var added = baseline.Jira.ByRoute.Where(p => p.Key.StartsWith("POST ", StringComparison.Ordinal) && p.Key.EndsWith("/comment", StringComparison.Ordinal)).Sum(p => p.Value);
            extra["baselineCallsPerComment"] = Math.Round((double)(added + sample) / (sample * options.Comments), 4);
        }

        SyncBench.PrintJson("initial-sync", engine, baseline, extra);
        return 0;
    }

    private static async Task<(Figures Figures, Run Run)> MeasureEngineAsync(SyncOptions options, int comments)
    {
        await using var h = await SyncBench.StartAsync(options);
        await SyncBench.SeedCasesAsync(h, options, options.Records, comments);
        await SyncBench.SetLatencyAsync(h, options.LatencyMs);
        var integration = await SyncBench.CreateIntegrationAsync(h);
        Run? run = null;
        var figures = await SyncBench.MeasureAsync(h, options.Records, async () => run = await SyncBench.RunOnceAsync(h, integration));
        figures.Print(comments > 0 ? "initial sync with comments" : "initial sync");
        Console.WriteLine($"  run: {run!.Status} {run.Counts}");
        return (figures, run);
    }
}
