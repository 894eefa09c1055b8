using PluginHub.Benchmarks.Scenarios;

// dotnet run -c Release --project tests/PluginHub.Benchmarks -- <scenario> [options]
var scenarios = new Dictionary<string, Func<string[], int>>(StringComparer.OrdinalIgnoreCase)
{
    ["rules"] = RulesScenario.Run,
};

if (args.Length == 0 || !scenarios.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"Usage: <scenario> [options]. Scenarios: {string.Join(", ", scenarios.Keys)}.");
    return 2;
}

return run(args[1..]);
