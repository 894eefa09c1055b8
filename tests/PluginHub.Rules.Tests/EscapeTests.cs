using PluginHub.Connectors.Abstractions;

namespace PluginHub.Rules.Tests;

/// <summary>Known sandbox escape attempts (stack-notes §1.9): each must fail or see nothing.</summary>
public sealed class EscapeTests
{
    private readonly RuleRuntime _runtime = RuleFixture.Runtime();

    [Theory]
    [InlineData("typeof System")]
    [InlineData("typeof importNamespace")]
    [InlineData("typeof clrHelper")]
    [InlineData("typeof require")]
    [InlineData("typeof process")]
    [InlineData("typeof fetch")]
    [InlineData("typeof setTimeout")]
    [InlineData("typeof Atomics")]
    [InlineData("typeof SharedArrayBuffer")]
    [InlineData("typeof ShadowRealm")]
    [InlineData("typeof record.GetType")]
    [InlineData("typeof ctx.GetType")]
    [InlineData("typeof ctx.log.GetType")]
    [InlineData("typeof ctx.text.GetType")]
    [InlineData("typeof record.fields.Priority.GetType")]
    public async Task No_CLR_surface_is_reachable(string expression)
    {
        using var batch = _runtime.Batch($"function transform(record, target, ctx) {{ return {{ probe: {expression} }}; }}");

        var result = await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), new Dictionary<string, FieldValue>()));

        Assert.Equal(new TextValue("undefined"), result.GetValueOrThrow()["probe"]);
    }

    [Theory]
    [InlineData("ctx.log.constructor.constructor('return this')()")]
    [InlineData("(function () {}).constructor('return this')()")]
    [InlineData("(() => {}).constructor.call(null, 'return globalThis')()")]
    [InlineData("Object.getPrototypeOf(async function () {}).constructor('return 1')")]
    [InlineData("Reflect.construct(Function, ['return this'])()")]
    public async Task Function_constructors_cannot_compile_code(string expression)
    {
        using var batch = _runtime.Batch($"function filter(record, ctx) {{ {expression}; return true; }}");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(RuleErrorKind.Script, result.Error?.Kind);
    }

    [Theory]
    [InlineData("Object.prototype.polluted = 'yes'")]
    [InlineData("record.__proto__.polluted = 'yes'")]
    [InlineData("({}).__proto__.polluted = 'yes'")]
    [InlineData("Object.defineProperty(Object.prototype, 'polluted', { value: 'yes' })")]
    [InlineData("Array.prototype.polluted = 'yes'")]
    [InlineData("String.prototype.trim = function () { return 'yes'; }")]
    [InlineData("JSON.stringify = function () { return 'yes'; }")]
    [InlineData("globalThis.polluted = 'yes'")]
    [InlineData("Object.setPrototypeOf(Object.prototype, { polluted: 'yes' })")]
    public async Task Prototype_and_global_pollution_fails_and_does_not_reach_the_next_record(string attack)
    {
        var script = $$"""
            function filter(record, ctx) {
              if (record.fields.Priority.key === 'Low') { {{attack}}; }
              return ({}).polluted === undefined && [].polluted === undefined && typeof globalThis.polluted === 'undefined'
                && ' a '.trim() === 'a' && JSON.stringify(1) === '1';
            }
            """;
        using var batch = _runtime.Batch(script);

        var attacking = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "Low")));
        var next = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "High")));
        using var nextRun = _runtime.Batch(script);
        var nextRunResult = await RuleFixture.Guarded(() => nextRun.Filter(RuleFixture.Case(priority: "High")));

        Assert.Equal(RuleErrorKind.Script, attacking.Error?.Kind);
        Assert.Contains("TypeError", attacking.Error!.Message, StringComparison.Ordinal);
        Assert.True(next.GetValueOrThrow());
        Assert.True(nextRunResult.GetValueOrThrow());
    }

    [Fact]
    public async Task Replacing_the_records_own_prototype_stays_inside_that_copy()
    {
        using var batch = _runtime.Batch("""
            function filter(record, ctx) {
              if (record.fields.Priority.key === 'Low') { record.__proto__ = { polluted: 'yes' }; Object.setPrototypeOf(record.fields, { polluted: 'yes' }); }
              return record.polluted === undefined && record.fields.polluted === undefined;
            }
            """);

        var attacking = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "Low")));
        var next = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "High")));

        Assert.False(attacking.GetValueOrThrow());
        Assert.True(next.GetValueOrThrow());
    }

    [Fact]
    public async Task Constants_and_ctx_helpers_are_frozen_so_no_state_survives_a_record()
    {
        using var batch = _runtime.Batch("""
            const seen = { count: 0 };
            function filter(record, ctx) {
              if (record.fields.Priority.key === 'Low') { seen.count++; }
              if (record.fields.Priority.key === 'Medium') { ctx.text.htmlToText = () => 'hijacked'; }
              return seen.count === 0 && ctx.text.htmlToText('<b>x</b>') === 'x';
            }
            """);

        var counting = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "Low")));
        var hijacking = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "Medium")));
        var next = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "High")));

        Assert.Contains("TypeError", counting.Error?.Message, StringComparison.Ordinal);
        Assert.Contains("TypeError", hijacking.Error?.Message, StringComparison.Ordinal);
        Assert.True(next.GetValueOrThrow());
    }

    [Fact]
    public async Task Mutating_the_record_and_target_in_the_script_leaves_the_hosts_objects_alone()
    {
        var record = RuleFixture.Case(extra: ("Tags", new MultiChoiceValue([new ChoiceValue("a", "A")])));
        var target = new Dictionary<string, FieldValue> { ["summary"] = new TextValue("Printer on fire") };
        using var batch = _runtime.Batch("""
            function transform(record, target, ctx) {
              record.fields.Subject = 'changed'; delete record.fields.CaseNumber; record.fields.Tags.push({ key: 'b' });
              record.fields.Priority.key = 'Low';
              target.summary = 'changed';
              return { summary: 'new' };
            }
            """);

        var result = await RuleFixture.Guarded(() => batch.Transform(record, target));

        Assert.Equal(new TextValue("new"), result.GetValueOrThrow()["summary"]);
        Assert.Equal(new TextValue("Printer on fire"), record.Fields["Subject"]);
        Assert.Equal(new TextValue("00001001"), record.Fields["CaseNumber"]);
        Assert.Equal(new ChoiceValue("High", "High"), record.Fields["Priority"]);
        Assert.Single(((MultiChoiceValue)record.Fields["Tags"]).Values);
        Assert.Equal(new TextValue("Printer on fire"), target["summary"]);
    }

    [Fact]
    public async Task Errors_thrown_by_helpers_carry_no_host_details()
    {
        using var batch = _runtime.Batch("function filter(record, ctx) { ctx.mapValue('nope', 'x'); return true; }");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(RuleErrorKind.Script, result.Error?.Kind);
        Assert.Equal("TypeError: ctx.mapValue: there is no value map named 'nope'", result.Error!.Message);
        Assert.Equal(1, result.Error.Line);
    }

    [Fact]
    public async Task The_clock_inside_the_sandbox_is_frozen_at_ctx_now()
    {
        using var batch = _runtime.Batch("function filter(record, ctx) { return new Date().toISOString() === ctx.now && Date.now() === Date.parse(ctx.now); }");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.True(result.GetValueOrThrow());
    }

    [Fact]
    public async Task Ctx_is_frozen_with_and_without_a_linked_record()
    {
        using var batch = _runtime.Batch("""
            function filter(record, ctx) {
              if (record.fields.Priority.key === 'Low') { ctx.leak = 1; }
              if (record.fields.Priority.key === 'Medium') { ctx.integration = 'other'; }
              return ctx.leak === undefined && ctx.integration === 'Cases to Tasks' && Object.isFrozen(ctx);
            }
            """);
        var linked = RuleFixture.Case();

        var adding = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "Low")));
        var changing = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "Medium"), linked));
        var next = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "High")));
        var nextLinked = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "High"), linked));

        Assert.Contains("TypeError", adding.Error?.Message, StringComparison.Ordinal);
        Assert.Contains("TypeError", changing.Error?.Message, StringComparison.Ordinal);
        Assert.True(next.GetValueOrThrow());
        Assert.True(nextLinked.GetValueOrThrow());
    }
}
