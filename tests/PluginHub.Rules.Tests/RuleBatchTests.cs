using PluginHub.Connectors.Abstractions;
using Record = PluginHub.Connectors.Abstractions.Record;

namespace PluginHub.Rules.Tests;

public sealed class RuleBatchTests
{
    private readonly RuleRuntime _runtime = RuleFixture.Runtime();

    [Fact]
    public async Task A_failing_record_reports_rule_line_and_message_and_the_next_record_still_runs()
    {
        using var batch = _runtime.StartBatch(_runtime.Compile("prefix.js", """
            function transform(record, target, ctx) {
              if (record.fields.Priority.key === 'Low') {
                return { summary: record.fields.Missing.value };
              }
              return { summary: 'ok' };
            }
            """), RuleFixture.Context());

        var failed = await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(priority: "Low"), new Dictionary<string, FieldValue>()));
        var next = await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), new Dictionary<string, FieldValue>()));

        Assert.Equal(new RuleError("prefix.js", "transform", RuleErrorKind.Script,
            "TypeError: Cannot read properties of undefined (reading 'value')", 3, 45), failed.Error);
        Assert.Equal("Rule 'prefix.js' transform failed at line 3:45: TypeError: Cannot read properties of undefined (reading 'value')", failed.Error!.ToString());
        Assert.Equal(new TextValue("ok"), next.GetValueOrThrow()["summary"]);
    }

    [Fact]
    public async Task A_thrown_error_keeps_its_message_and_line()
    {
        using var batch = _runtime.Batch("function filter(record, ctx) {\n  throw new Error('no subject');\n}");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(("Error: no subject", 2), (result.Error?.Message, result.Error?.Line));
        Assert.Throws<RuleFailedException>(() => result.GetValueOrThrow());
    }

    [Theory]
    [InlineData("function filter(record, ctx) { }", "undefined")]
    [InlineData("function filter(record, ctx) { return 'yes'; }", "a string")]
    [InlineData("function filter(record, ctx) { return 1; }", "a number")]
    public async Task Filter_must_return_a_boolean(string script, string got)
    {
        using var batch = _runtime.Batch(script);

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(RuleErrorKind.InvalidResult, result.Error?.Kind);
        Assert.Contains(got, result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal((1, 1), (result.Error.Line, result.Error.Column)); // the function that returned it
    }

    [Fact]
    public async Task A_rule_without_the_function_keeps_the_record_and_the_target()
    {
        using var onlyTransform = _runtime.Batch("function transform(record, target, ctx) { return target; }");
        using var onlyFilter = _runtime.Batch("function filter(record, ctx) { return false; }");
        var target = new Dictionary<string, FieldValue> { ["summary"] = new TextValue("x") };

        Assert.True((await RuleFixture.Guarded(() => onlyTransform.Filter(RuleFixture.Case()))).GetValueOrThrow());
        Assert.Same(target, (await RuleFixture.Guarded(() => onlyFilter.Transform(RuleFixture.Case(), target))).GetValueOrThrow());
    }

    [Fact]
    public async Task Transform_may_change_add_and_remove_fields_or_return_nothing_to_keep_its_changes()
    {
        var target = new Dictionary<string, FieldValue> { ["summary"] = new TextValue("a"), ["description"] = new TextValue("b") };
        using var batch = _runtime.Batch("function transform(record, target, ctx) { target.summary += '!'; delete target.description; target.added = true; }");

        var fields = (await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), target))).GetValueOrThrow();

        Assert.Equal(new Dictionary<string, FieldValue> { ["summary"] = new TextValue("a!"), ["added"] = new BooleanValue(true) }, fields);
    }

    [Fact]
    public async Task The_rule_is_prepared_once_and_its_engine_reused_across_records_and_batches()
    {
        var rule = _runtime.Compile("count.js", "function filter(record, ctx) { return true; }");

        for (var run = 0; run < 3; run++)
        {
            using var batch = _runtime.StartBatch(rule, RuleFixture.Context());
            for (var i = 0; i < 50; i++)
            {
                Assert.True((await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()))).Value);
            }
        }

        Assert.Same(rule, _runtime.Compile("count.js", "function filter(record, ctx) { return true; }"));
        Assert.NotSame(rule, _runtime.Compile("count.js", "function filter(record, ctx) { return !false; }"));
        Assert.Equal(1, rule.EnginesCreated);
    }

    [Fact]
    public void The_cache_is_bounded()
    {
        var runtime = RuleFixture.Runtime(RuleLimits.Default with { MaxCachedRules = 2 });

        for (var i = 0; i < 5; i++)
        {
            runtime.Compile($"r{i}.js", $"function filter(record, ctx) {{ return {i} > 0; }}");
        }

        Assert.Equal(2, runtime.CachedRules);
    }

    [Fact]
    public async Task Parallel_batches_of_one_rule_each_get_their_own_engine_and_correct_results()
    {
        // stack-notes §1.4: a shared engine silently corrupts state under concurrency; each batch must own one.
        var rule = _runtime.Compile("parallel.js", """
            function transform(record, target, ctx) {
              let text = '';
              for (let i = 0; i < 20; i++) { text = record.fields.CaseNumber + ':' + i; }
              return { summary: text };
            }
            """);
        var tasks = Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            using var batch = _runtime.StartBatch(rule, RuleFixture.Context());
            for (var i = 0; i < 200; i++)
            {
                var number = $"{worker}-{i}";
                var fields = batch.Transform(RuleFixture.Case(caseNumber: number), new Dictionary<string, FieldValue>()).GetValueOrThrow();
                Assert.Equal(new TextValue($"{number}:19"), fields["summary"]);
            }
        }));

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.InRange(rule.EnginesCreated, 1, 4);
    }

    [Fact]
    public async Task Ctx_offers_the_integration_direction_rule_now_and_linked_record()
    {
        using var batch = _runtime.StartBatch(_runtime.Compile("ctx.js", """
            function transform(record, target, ctx) {
              return { integration: ctx.integration, direction: ctx.direction, rule: ctx.rule, now: ctx.now,
                       linkedKey: ctx.linked && ctx.linked.key, linkedSummary: ctx.linked && ctx.linked.fields.summary };
            }
            """), RuleFixture.Context() with { Direction = RuleDirection.ToSource });
        var linked = new Record
        {
            Ref = new RecordRef("Task", "10001") { DisplayKey = "SUP-1" },
            Version = "1",
            ModifiedAt = RuleFixture.Now,
            Fields = new Dictionary<string, FieldValue> { ["summary"] = new TextValue("Linked") },
        };

        var withLink = (await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), new Dictionary<string, FieldValue>(), linked))).GetValueOrThrow();
        var without = (await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), new Dictionary<string, FieldValue>()))).GetValueOrThrow();

        Assert.Equal(new TextValue("Cases to Tasks"), withLink["integration"]);
        Assert.Equal(new TextValue("toSource"), withLink["direction"]);
        Assert.Equal(new TextValue("ctx.js"), withLink["rule"]);
        Assert.Equal(new TextValue("2026-11-26T18:00:00.000Z"), withLink["now"]);
        Assert.Equal(new TextValue("SUP-1"), withLink["linkedKey"]);
        Assert.Equal(new TextValue("Linked"), withLink["linkedSummary"]);
        Assert.Equal(NullValue.Instance, without["linkedKey"]);
    }

    [Fact]
    public async Task Now_comes_from_the_time_provider_when_the_batch_does_not_set_it()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var runtime = new RuleRuntime(timeProvider: clock);
        using var batch = runtime.StartBatch(runtime.Compile("now.js", "function transform(r, t, ctx) { return { now: ctx.now }; }"),
            RuleFixture.Context() with { Now = null });
        clock.Advance(TimeSpan.FromHours(1));

        var fields = (await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), new Dictionary<string, FieldValue>()))).GetValueOrThrow();

        Assert.Equal(new TextValue("2030-01-02T03:04:05.000Z"), fields["now"]);
    }

    [Fact]
    public async Task MapValue_and_UserByEmail_read_the_snapshots()
    {
        var maps = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["priority"] = new Dictionary<string, string> { ["High"] = "Highest" } };
        var users = new Dictionary<string, UserRef> { ["Dev@PluginHub.test"] = new("acc-1", "dev@pluginhub.test", "Dev") };
        using var batch = _runtime.Batch("""
            function transform(record, target, ctx) {
              return {
                byChoice: ctx.mapValue('priority', record.fields.Priority),
                byKey: ctx.mapValue('priority', 'High'),
                unmapped: ctx.mapValue('priority', 'Low'),
                fallback: ctx.mapValue('priority', 'Low', 'Medium'),
                user: ctx.userByEmail('dev@PLUGINHUB.test'),
                nobody: ctx.userByEmail('nobody@pluginhub.test'),
              };
            }
            """, RuleFixture.Context(valueMaps: maps, users: users));

        var fields = (await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), new Dictionary<string, FieldValue>()))).GetValueOrThrow();

        Assert.Equal(new TextValue("Highest"), fields["byChoice"]);
        Assert.Equal(new TextValue("Highest"), fields["byKey"]);
        Assert.Equal(NullValue.Instance, fields["unmapped"]);
        Assert.Equal(new TextValue("Medium"), fields["fallback"]);
        Assert.Equal(new UserValue(new UserRef("acc-1", "dev@pluginhub.test", "Dev")), fields["user"]);
        Assert.Equal(NullValue.Instance, fields["nobody"]);
    }

    [Fact]
    public async Task Log_captures_strings_and_json_per_call()
    {
        using var batch = _runtime.Batch("function filter(record, ctx) { ctx.log('case', record.fields.CaseNumber, { p: record.fields.Priority.key }, 3, undefined); return true; }");

        var first = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));
        var second = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(caseNumber: "2")));

        Assert.Equal(["case 00001001 {\"p\":\"High\"} 3 undefined"], first.Logs);
        Assert.Equal(["case 2 {\"p\":\"High\"} 3 undefined"], second.Logs);
    }
}
