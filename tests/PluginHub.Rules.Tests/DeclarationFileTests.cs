using System.Text.RegularExpressions;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Rules.Tests;

/// <summary>rules/pluginhub.d.ts must describe exactly what the sandbox exposes: these fail when either side changes alone.</summary>
public sealed partial class DeclarationFileTests
{
    private static readonly string Declarations = File.ReadAllText(Path.Combine(RuleFixture.RepoRoot, "rules", "pluginhub.d.ts"));

    [Fact]
    public async Task Ctx_members_match_the_RuleContext_interface()
    {
        var exposed = await Probe("Object.keys(ctx).join(' ')");

        Assert.Equal(Sorted(InterfaceMembers("RuleContext")), Sorted(exposed.Split(' ')));
    }

    [Fact]
    public async Task Text_helpers_match_the_TextHelpers_interface()
    {
        var exposed = await Probe("Object.keys(ctx.text).join(' ')");

        Assert.Equal(Sorted(InterfaceMembers("TextHelpers")), Sorted(exposed.Split(' ')));
    }

    [Fact]
    public async Task Record_properties_match_the_SourceRecord_interface()
    {
        var exposed = await Probe("Object.keys(record).join(' ')");

        Assert.Equal(Sorted(InterfaceMembers("SourceRecord")), Sorted(exposed.Split(' ')));
    }

    [Fact]
    public async Task Sandbox_globals_match_the_documented_list()
    {
        var exposed = (await Probe("Object.getOwnPropertyNames(globalThis).join(' ')")).Split(' ').Where(name => name != "transform");
        var block = Declarations[(Declarations.IndexOf("@sandbox-globals-begin", StringComparison.Ordinal) + 22)..Declarations.IndexOf("// @sandbox-globals-end", StringComparison.Ordinal)];
        var documented = block.Replace("//", " ", StringComparison.Ordinal).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(Sorted(documented), Sorted(exposed));
    }

    [Fact]
    public void Rule_functions_are_declared()
    {
        Assert.Contains("declare function filter(record: PluginHub.SourceRecord, ctx: PluginHub.RuleContext): boolean;", Declarations, StringComparison.Ordinal);
        Assert.Contains("declare function transform(record: PluginHub.SourceRecord, target: PluginHub.Fields, ctx: PluginHub.RuleContext)", Declarations, StringComparison.Ordinal);
    }

    private static async Task<string> Probe(string expression)
    {
        var runtime = RuleFixture.Runtime();
        using var batch = runtime.Batch($"function transform(record, target, ctx) {{ return {{ probe: {expression} }}; }}");
        var result = await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), new Dictionary<string, FieldValue>()));
        return ((TextValue)result.GetValueOrThrow()["probe"]).Value;
    }

    private static IEnumerable<string> InterfaceMembers(string name)
    {
        var start = Declarations.IndexOf($"interface {name} {{", StringComparison.Ordinal);
        Assert.True(start >= 0, $"interface {name} is missing from pluginhub.d.ts");
        var body = Declarations[start..Declarations.IndexOf("\n  }", start, StringComparison.Ordinal)];
        return Member().Matches(body).Select(m => m.Groups[1].Value).Distinct();
    }

    private static string[] Sorted(IEnumerable<string> names) => names.Order(StringComparer.Ordinal).ToArray();

    // "    readonly name: …", "    name(args): …", "    name<T>(args): …" — members sit at four spaces of indentation.
    [GeneratedRegex(@"^    (?:readonly )?([A-Za-z_$][\w$]*)\??(?:<[^>]*>)?[(:]", RegexOptions.Multiline)]
    private static partial Regex Member();
}
