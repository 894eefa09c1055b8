using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Rules.Marshalling;

namespace PluginHub.Rules.Tests;

/// <summary>Runs every case of rules/examples/*.cases.json against its rule through the rule tester (the API's path).</summary>
public sealed class GoldenCaseTests
{
    private static readonly string Examples = Path.Combine(RuleFixture.RepoRoot, "rules", "examples");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(Examples, "*.cases.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var item in document.RootElement.GetProperty("cases").EnumerateArray())
            {
                data.Add(Path.GetFileName(file), item.GetProperty("name").GetString()!);
            }
        }

        return data;
    }

    [Fact]
    public void Every_example_rule_has_golden_cases_and_validates()
    {
        var rules = Directory.GetFiles(Examples, "*.js");

        // The templates' examples (issue 8); more may be added, each with its cases.
        Assert.Subset(
            rules.Select(Path.GetFileName).ToHashSet(),
            new HashSet<string?> { "prefix-summary-with-case-number.js", "skip-low-priority-cases.js", "origin-to-labels.js", "components-to-picklist.js" });
        Assert.All(rules, rule =>
        {
            Assert.True(File.Exists(Path.ChangeExtension(rule, ".cases.json")), $"{rule} has no golden cases");
            Assert.True(RuleValidator.Validate(File.ReadAllText(rule), Path.GetFileName(rule)).IsValid, rule);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Golden_case(string casesFile, string caseName)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Examples, casesFile)));
        var testCase = document.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == caseName);
        var ruleFile = casesFile.Replace(".cases.json", ".js", StringComparison.Ordinal);
        var request = new RuleTestRequest
        {
            Name = ruleFile,
            Script = File.ReadAllText(Path.Combine(Examples, ruleFile)),
            Function = testCase.GetProperty("function").GetString()!,
            Record = testCase.GetProperty("record"),
            Target = testCase.TryGetProperty("target", out var target) ? target : null,
            Linked = testCase.TryGetProperty("linked", out var linked) ? linked : null,
            Context = (testCase.TryGetProperty("context", out var context) ? context.Deserialize<RuleTestContext>(RuleTester.JsonOptions) : new RuleTestContext())
                ! with { Now = RuleFixture.Now },
        };

        var result = await new RuleTester(RuleFixture.Runtime()).TestAsync(request).WaitAsync(RuleFixture.FailSafe);

        Assert.True(result.Status == RuleTestStatus.Ok, $"{result.Error}{result.InputError}{string.Join("; ", result.SyntaxErrors)}");
        var expected = testCase.GetProperty("expected");
        if (request.Function == "filter")
        {
            Assert.Equal(expected.GetBoolean(), result.Result!.Value.GetBoolean());
        }
        else
        {
            Assert.Equal(Typed(PlainJsonReader.ReadFields(expected)), Typed(result.Fields!));
        }

        if (testCase.TryGetProperty("expectedLogs", out var logs))
        {
            Assert.Equal(logs.EnumerateArray().Select(l => l.GetString()), result.Logs);
        }
    }

    /// <summary>The typed JSON of the fields, sorted by name: compares kinds and values structurally (lists compare by content).</summary>
    private static string Typed(IReadOnlyDictionary<string, FieldValue> fields) =>
        new JsonObject(fields.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => KeyValuePair.Create(f.Key, JsonSerializer.SerializeToNode(f.Value, RuleTester.JsonOptions)))).ToJsonString();
}
