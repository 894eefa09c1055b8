using System.Reflection;
using PluginHub.Connectors.Abstractions;
using Record = PluginHub.Connectors.Abstractions.Record;

namespace PluginHub.Rules.Tests;

/// <summary>Builders and the fail-safe every sandbox test goes through: a broken limit fails its test instead of hanging the suite.</summary>
internal static class RuleFixture
{
    public static readonly TimeSpan FailSafe = TimeSpan.FromSeconds(10);

    public static readonly DateTimeOffset Now = new(2026, 11, 26, 18, 0, 0, TimeSpan.Zero);

    public static string RepoRoot { get; } = typeof(RuleFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    public static RuleRunContext Context(
        IReadOnlyDictionary<string, FieldSchema>? targetFields = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? valueMaps = null,
        IReadOnlyDictionary<string, UserRef>? users = null) => new()
        {
            IntegrationName = "Cases to Tasks",
            Direction = RuleDirection.ToTarget,
            Now = Now,
            TargetFields = targetFields,
            ValueMaps = valueMaps ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(),
            UsersByEmail = users ?? new Dictionary<string, UserRef>(),
        };

    public static Record Case(string caseNumber = "00001001", string priority = "High", params (string Name, FieldValue Value)[] extra)
    {
        var fields = new Dictionary<string, FieldValue>
        {
            ["CaseNumber"] = new TextValue(caseNumber),
            ["Subject"] = new TextValue("Printer on fire"),
            ["Priority"] = new ChoiceValue(priority, priority),
        };
        foreach (var (name, value) in extra)
        {
            fields[name] = value;
        }

        return new Record
        {
            Ref = new RecordRef("Case", "500000000000001AAA") { DisplayKey = caseNumber },
            Version = "2026-11-26T17:59:00.000Z",
            ModifiedAt = Now.AddMinutes(-1),
            ModifiedBy = new UserRef("005A", "agent@pluginhub.test", "Agent Smith"),
            Fields = fields,
        };
    }

    /// <summary>Runs <paramref name="call"/> on the thread pool and gives up after <see cref="FailSafe"/>.</summary>
    public static async Task<T> Guarded<T>(Func<T> call) => await Task.Run(call).WaitAsync(FailSafe);

    /// <summary>Tests that are not about a limit get a roomier call timeout, so a cold JIT on a busy machine cannot fail them.</summary>
    public static RuleRuntime Runtime(RuleLimits? limits = null) => new(limits ?? RuleLimits.Default with { CallTimeout = TimeSpan.FromSeconds(5) });

    public static RuleBatch Batch(this RuleRuntime runtime, string script, RuleRunContext? context = null, CancellationToken cancellationToken = default) =>
        runtime.StartBatch(runtime.Compile("test.js", script), context ?? Context(), cancellationToken);
}
