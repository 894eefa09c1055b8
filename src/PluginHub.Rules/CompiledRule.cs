using System.Collections.Concurrent;
using PluginHub.Rules.Sandbox;

namespace PluginHub.Rules;

/// <summary>
/// A validated rule, prepared once (the parsed script is shared by all its engines) with a pool of engines. Get one from
/// <see cref="RuleRuntime.Compile"/>; run it through <see cref="RuleRuntime.StartBatch"/>. Thread-safe.
/// </summary>
public sealed class CompiledRule
{
    private readonly ConcurrentBag<SandboxEngine> _idle = [];
    private readonly ScriptShape _shape;
    private int _idleCount;
    private int _enginesCreated;
    private volatile bool _retired;

    internal CompiledRule(string name, string revision, ScriptShape shape, RuleLimits limits)
    {
        Name = name;
        Revision = revision;
        _shape = shape;
        Limits = limits;
    }

    /// <summary>The rule's name, used in error messages and as the script's file name in positions.</summary>
    public string Name { get; }

    /// <summary>The SHA-256 of the script text (hex): the cache key together with <see cref="Name"/>.</summary>
    public string Revision { get; }

    /// <summary>True when the script defines <c>filter</c>.</summary>
    public bool HasFilter => _shape.HasFilter;

    /// <summary>True when the script defines <c>transform</c>.</summary>
    public bool HasTransform => _shape.HasTransform;

    internal RuleLimits Limits { get; }

    internal (int Line, int Column)? FunctionLocation(string function) =>
        _shape.Functions.TryGetValue(function, out var location) ? location : null;

    /// <summary>Engines created so far (tests check that engines are reused, not rebuilt per record).</summary>
    internal int EnginesCreated => Volatile.Read(ref _enginesCreated);

    internal SandboxEngine Rent()
    {
        if (_idle.TryTake(out var engine))
        {
            Interlocked.Decrement(ref _idleCount);
            return engine;
        }

        Interlocked.Increment(ref _enginesCreated);
        return SandboxEngine.Create(_shape, Limits);
    }

    /// <summary>Pools the engine that validated the script, so the first batch does not build another.</summary>
    internal void Seed(SandboxEngine engine)
    {
        Interlocked.Increment(ref _enginesCreated);
        Return(engine);
    }

    internal void Return(SandboxEngine engine)
    {
        engine.Batch = null;
        engine.ForgetContext();
        if (engine.Broken || _retired || Interlocked.Increment(ref _idleCount) > Limits.MaxPooledEnginesPerRule)
        {
            if (!engine.Broken && !_retired)
            {
                Interlocked.Decrement(ref _idleCount);
            }

            engine.Dispose();
            return;
        }

        _idle.Add(engine);
    }

    /// <summary>Called when the cache drops the rule: idle engines go now, rented ones when their batch ends.</summary>
    internal void Retire()
    {
        _retired = true;
        while (_idle.TryTake(out var engine))
        {
            engine.Dispose();
        }
    }
}
