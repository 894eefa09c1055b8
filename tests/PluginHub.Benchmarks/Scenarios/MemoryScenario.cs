using System.Text.Json.Nodes;
using PluginHub.Core.Runs;

namespace PluginHub.Benchmarks.Scenarios;

/// <summary>
/// <c>memory [--records 100000] [--runs 3]</c>: the Cases go through one initial sync to Jira, then through repeated runs (each re-reads
/// the Salesforce overlap window, where the key write-backs put every Case). The sandboxes run in a child process, so the working set
/// is PluginHub's: engine, store, connectors. Growth is the managed heap after each repeated run against the first repeated run (the initial sync's links are then stored).
/// </summary>
internal static class MemoryScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = SyncOptions.Parse(args, 100_000);
        await using var sandboxes = await SandboxProcess.StartAsync();
        await using var h = await SyncBench.StartAsync(options, sandboxes);
        await SyncBench.SeedCasesAsync(h, options, options.Records, 0);
        var seeded = SettledMb();
        Console.WriteLine($"working set before the sync: {seeded:N0} MB (the sandbox process holding {options.Records:N0} Cases: {sandboxes.WorkingSetMb:N0} MB)");
        var integration = await SyncBench.CreateIntegrationAsync(h);
        Run? run = null;
        var initial = await SyncBench.MeasureAsync(h, options.Records, async () => run = await SyncBench.RunOnceAsync(h, integration));
        initial.Print($"initial sync ({run!.Counts})");
        var after = new List<double> { SettledMb() };
        var heaps = new List<double> { HeapMb() };
        var peaks = new List<double> { initial.PeakWorkingSetMb };
        for (var i = 1; i <= options.Runs; i++)
        {
            var again = await SyncBench.MeasureAsync(h, options.Records, async () => run = await SyncBench.RunOnceAsync(h, integration));
            after.Add(SettledMb());
            heaps.Add(HeapMb());
            peaks.Add(again.PeakWorkingSetMb);
            again.Print($"run {i} ({run!.Counts}); after it, after a full GC: working set {after[^1]:N0} MB, managed heap {heaps[^1]:N0} MB");
        }

        Console.WriteLine($"peak working set {peaks.Max():N0} MB (before the sync {seeded:N0} MB); after each run, after a full GC: {string.Join(", ", after.Select(a => $"{a:N0}"))} MB; sandbox process now {sandboxes.WorkingSetMb:N0} MB");
        SyncBench.PrintJson("memory", initial, null, new JsonObject
        {
            ["beforeSyncWorkingSetMb"] = Math.Round(seeded, 1),
            ["sandboxProcessWorkingSetMb"] = Math.Round(sandboxes.WorkingSetMb, 1),
            ["peakPerRunMb"] = new JsonArray([.. peaks.Select(p => (JsonNode)Math.Round(p, 1))]),
            ["afterEachRunMb"] = new JsonArray([.. after.Select(a => (JsonNode)Math.Round(a, 1))]),
            ["heapAfterEachRunMb"] = new JsonArray([.. heaps.Select(a => (JsonNode)Math.Round(a, 1))]),
            ["heapGrowthMb"] = Math.Round(heaps[^1] - heaps[1], 1),
        });
        return 0;
    }

    /// <summary>What the managed heap holds once garbage is collected: unlike the working set, it does not lag behind.</summary>
    private static double HeapMb() => GC.GetTotalMemory(forceFullCollection: true) / 1024.0 / 1024.0;

    /// <summary>The working set once garbage is collected and the heap compacted.</summary>
    private static double SettledMb()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return PeakSampler.CurrentMb();
    }
}
