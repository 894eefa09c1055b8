namespace PluginHub.Rules.Tests;

/// <summary>One test per sandbox limit (DESIGN §10). Each runs under <see cref="RuleFixture.Guarded{T}"/>.</summary>
public sealed class SandboxLimitTests
{
    private const string Forever = "function filter(record, ctx) { while (true) { } }";

    // Limits that stay out of the way so that each test trips exactly the limit it is about.
    private static readonly RuleLimits Roomy = RuleLimits.Default with
    {
        CallTimeout = TimeSpan.FromSeconds(5),
        BatchTimeout = TimeSpan.FromSeconds(8),
        MaxStatements = 2_000_000_000,
    };

    [Fact]
    public async Task Call_timeout_stops_an_endless_loop()
    {
        using var batch = RuleFixture.Runtime(Roomy with { CallTimeout = TimeSpan.FromMilliseconds(300) }).Batch(Forever);

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(RuleErrorKind.Timeout, result.Error?.Kind);
    }

    [Fact]
    public async Task Batch_timeout_caps_the_sum_of_calls_and_then_fails_the_rest_without_running()
    {
        var limits = Roomy with { CallTimeout = TimeSpan.FromSeconds(5), BatchTimeout = TimeSpan.FromMilliseconds(400) };
        using var batch = RuleFixture.Runtime(limits).Batch(Forever);

        var first = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));
        var second = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(RuleErrorKind.BatchTimeout, first.Error?.Kind);
        Assert.Equal(RuleErrorKind.BatchTimeout, second.Error?.Kind);
        Assert.InRange(batch.Elapsed, TimeSpan.FromMilliseconds(390), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Statement_limit_stops_a_loop()
    {
        using var batch = RuleFixture.Runtime(Roomy with { MaxStatements = 10_000 })
            .Batch("function filter(record, ctx) { for (;;) { const x = 1; } }");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(RuleErrorKind.Statements, result.Error?.Kind);
        Assert.Equal(1, result.Error!.Line); // where the loop was when the limit hit
    }

    [Fact]
    public async Task Memory_limit_stops_a_growing_string()
    {
        using var batch = RuleFixture.Runtime(Roomy with { MaxMemoryBytes = 4_000_000 })
            .Batch("function filter(record, ctx) { let s = 'x'; for (;;) { s = s + s; } }");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(RuleErrorKind.Memory, result.Error?.Kind);
    }

    [Fact]
    public async Task Recursion_limit_stops_unbounded_recursion()
    {
        using var batch = RuleFixture.Runtime(Roomy with { MaxRecursionDepth = 32 })
            .Batch("function filter(record, ctx) { return deeper(0); }\nfunction deeper(n) { return deeper(n + 1); }");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(RuleErrorKind.Recursion, result.Error?.Kind);
        Assert.Equal(2, result.Error!.Line);
    }

    [Fact]
    public async Task Array_size_limit_rejects_a_huge_array()
    {
        using var batch = RuleFixture.Runtime(Roomy with { MaxArraySize = 1_000 })
            .Batch("function filter(record, ctx) { const a = new Array(1000000); return a.length > 0; }");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(RuleErrorKind.Memory, result.Error?.Kind);
        Assert.Contains("array", result.Error!.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cancellation_stops_a_running_call_with_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        using var batch = RuleFixture.Runtime(Roomy).Batch(Forever, cancellationToken: cts.Token);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case())));
    }

    [Fact]
    public async Task Regex_timeout_stops_catastrophic_backtracking()
    {
        using var batch = RuleFixture.Runtime(Roomy with { RegexTimeout = TimeSpan.FromMilliseconds(100) })
            .Batch("function filter(record, ctx) { return /^(a+)+$/.test('a'.repeat(5000) + 'b'); }");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.False(result.Succeeded);
        Assert.Equal(RuleErrorKind.Timeout, result.Error!.Kind);
    }

    [Fact]
    public async Task Strict_mode_is_always_on()
    {
        // Sloppy mode would silently create a global; strict mode makes it a ReferenceError.
        using var batch = RuleFixture.Runtime(Roomy).Batch("function filter(record, ctx) { undeclared = 1; return true; }");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(RuleErrorKind.Script, result.Error?.Kind);
        Assert.StartsWith("ReferenceError", result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eval('1 + 1')")]
    [InlineData("new Function('return 1')()")]
    [InlineData("Function('return this')()")]
    public async Task String_compilation_is_disabled(string expression)
    {
        using var batch = RuleFixture.Runtime(Roomy).Batch($"function filter(record, ctx) {{ {expression}; return true; }}");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.Equal(RuleErrorKind.Script, result.Error?.Kind);
        Assert.Contains("String compilation has been disabled", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_are_bounded_per_call()
    {
        using var batch = RuleFixture.Runtime(Roomy with { MaxLogEntries = 5, MaxLogEntryLength = 10 })
            .Batch("function filter(record, ctx) { for (let i = 0; i < 1000; i++) ctx.log('line', i, 'x'.repeat(100)); return true; }");

        var result = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.True(result.Value);
        Assert.Equal(6, result.Logs.Count);
        Assert.All(result.Logs.Take(5), line => Assert.True(line.Length <= 11, line));
        Assert.Contains("995 more", result.Logs[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transform_result_size_is_bounded()
    {
        using var batch = RuleFixture.Runtime(Roomy with { MaxResultLength = 10_000 })
            .Batch("function transform(record, target, ctx) { return { big: 'x'.repeat(20000) }; }");

        var result = await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), new Dictionary<string, Connectors.Abstractions.FieldValue>()));

        Assert.True(result.Error?.Kind == RuleErrorKind.InvalidResult, $"{result.Error}");
    }

    [Fact]
    public void Limits_that_would_switch_a_constraint_off_are_rejected()
    {
        // Jint reads 0 and MaxValue as "no limit" (stack-notes §1.2): such values must never reach it.
        Assert.Throws<ArgumentOutOfRangeException>(() => new RuleRuntime(RuleLimits.Default with { MaxStatements = int.MaxValue }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RuleRuntime(RuleLimits.Default with { CallTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RuleRuntime(RuleLimits.Default with { MaxMemoryBytes = 0 }));
    }

    [Fact]
    public async Task The_engine_is_usable_again_after_a_limit()
    {
        using var batch = RuleFixture.Runtime(Roomy with { MaxStatements = 10_000 })
            .Batch("function filter(record, ctx) { if (record.fields.Priority.key === 'Low') { for (;;) {} } return true; }");

        var looping = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "Low")));
        var next = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case(priority: "High")));

        Assert.Equal(RuleErrorKind.Statements, looping.Error?.Kind);
        Assert.True(next.Value);
    }
}
