using System.Diagnostics;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace PluginHub.Benchmarks.Scenarios;

/// <summary>`rules`: template transforms per second on one thread (so per core), prepared and pooled, as a ratio to re-parsing.</summary>
internal static class RulesScenario
{
    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick", StringComparer.Ordinal);
        RulesBenchmarks.WarmUp = TimeSpan.FromSeconds(quick ? 0.5 : 2);
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(quick ? 1 : 3).WithIterationCount(quick ? 3 : 10);
        var config = ManualConfig.CreateMinimumViable().AddJob(job).WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<RulesBenchmarks>(config);

        double PerSecond(string method) =>
            summary.Reports.First(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics is { } s ? 1e9 / s.Mean : double.NaN;

        var transform = PerSecond(nameof(RulesBenchmarks.PreparedTransform));
        var filter = PerSecond(nameof(RulesBenchmarks.PreparedFilter));
        var baseline = PerSecond(nameof(RulesBenchmarks.ReparsedTransform));
        Console.WriteLine();
        Console.WriteLine($"template transform, prepared and pooled: {transform:N0} per second on one core (target 100,000)");
        Console.WriteLine($"template filter, prepared and pooled:    {filter:N0} per second on one core");
        Console.WriteLine($"transform re-parsed per record:          {baseline:N0} per second (baseline)");
        Console.WriteLine($"prepared ÷ baseline:                      {transform / baseline:N1}×");

        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            scenario = "rules",
            records = RulesBenchmarks.Records,
            apiCalls = 0,
            callsPerRecord = 0,
            seconds = 1 / transform,
            recordsPerSecond = Math.Round(transform),
            peakWorkingSetMb = Math.Round(peakMb, 1),
            filtersPerSecond = Math.Round(filter),
            ratioToBaseline = Math.Round(transform / baseline, 2),
            baseline = new { scenario = "rules-reparsed", records = RulesBenchmarks.Records, apiCalls = 0, callsPerRecord = 0, seconds = 1 / baseline, recordsPerSecond = Math.Round(baseline), peakWorkingSetMb = Math.Round(peakMb, 1) },
        }));
        return 0;
    }
}
