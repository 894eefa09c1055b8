using PluginHub.Benchmarks.Scenarios;

// dotnet run -c Release --project tests/PluginHub.Benchmarks -- <scenario> [options]
var scenarios = new Dictionary<string, Func<string[], int>>(StringComparer.OrdinalIgnoreCase)
{
    ["rules"] = RulesScenario.Run,
    ["initial-sync"] = a => SyncBench.Run(a, InitialSyncScenario.RunAsync),
    ["idle-poll"] = a => SyncBench.Run(a, PollScenarios.IdlePollAsync),
    ["incremental"] = a => SyncBench.Run(a, PollScenarios.IncrementalAsync),
    ["memory"] = a => SyncBench.Run(a, MemoryScenario.RunAsync),
    ["latency"] = a => SyncBench.Run(a, PollScenarios.LatencyAsync),
    ["store"] = a => SyncBench.Run(a, StoreScenario.RunAsync),
};

if (args.Length == 0 || !scenarios.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"Usage: <scenario> [options]. Scenarios: {string.Join(", ", scenarios.Keys)}.");
    return 2;
}

return run(args[1..]);
