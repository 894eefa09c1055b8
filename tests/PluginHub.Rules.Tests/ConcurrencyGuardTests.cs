using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace PluginHub.Rules.Tests;

public sealed class ConcurrencyGuardTests
{
    [Fact]
    public async Task A_batch_refuses_a_second_call_while_one_is_running()
    {
        // The value-map snapshot calls back into the batch from inside a running call: the deterministic way to overlap two
        // calls on one engine, which Jint 4.18 would not reject by itself (stack-notes §1.4).
        var maps = new ReentrantMaps();
        var runtime = RuleFixture.Runtime();
        using var batch = runtime.StartBatch(
            runtime.Compile("reentrant.js", "function filter(record, ctx) { return ctx.mapValue('m', 'x') === null; }"),
            RuleFixture.Context(valueMaps: maps));
        maps.Batch = batch;

        var outer = await RuleFixture.Guarded(() => batch.Filter(RuleFixture.Case()));

        Assert.IsType<InvalidOperationException>(maps.Refused);
        Assert.Contains("one call at a time", maps.Refused!.Message, StringComparison.Ordinal);
        Assert.Equal(RuleErrorKind.Internal, outer.Error?.Kind);
    }

    private sealed class ReentrantMaps : IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>
    {
        public RuleBatch? Batch { get; set; }

        public Exception? Refused { get; private set; }

        public IReadOnlyDictionary<string, string> this[string key] => throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => [];

        public IEnumerable<IReadOnlyDictionary<string, string>> Values => [];

        public int Count => 0;

        public bool ContainsKey(string key) => false;

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyDictionary<string, string> value)
        {
            try
            {
                Batch!.Filter(RuleFixture.Case());
            }
            catch (InvalidOperationException ex)
            {
                Refused = ex;
                throw;
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, IReadOnlyDictionary<string, string>>> GetEnumerator() => Enumerable.Empty<KeyValuePair<string, IReadOnlyDictionary<string, string>>>().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
