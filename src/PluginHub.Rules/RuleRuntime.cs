using System.Security.Cryptography;
using System.Text;
using PluginHub.Rules.Sandbox;

namespace PluginHub.Rules;

/// <summary>
/// The entry point for the host and the sync engine: validates scripts, compiles them once per revision into a bounded cache,
/// and starts batches. Register one instance as a singleton; it is thread-safe.
/// </summary>
public sealed class RuleRuntime
{
    private readonly Dictionary<(string Name, string Revision), LinkedListNode<CompiledRule>> _cache = [];
    private readonly LinkedList<CompiledRule> _recency = new();
    private readonly Lock _lock = new();

    /// <summary>Creates a runtime.</summary>
    /// <param name="limits">The sandbox limits; <see cref="RuleLimits.Default"/> when null.</param>
    /// <param name="timeProvider">The clock for <c>ctx.now</c> when a batch does not set it; the system clock when null.</param>
    public RuleRuntime(RuleLimits? limits = null, TimeProvider? timeProvider = null)
    {
        Limits = limits ?? RuleLimits.Default;
        Limits.Validate();
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The limits every rule of this runtime runs under.</summary>
    public RuleLimits Limits { get; }

    /// <summary>The clock used for <c>ctx.now</c>.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Checks a script when it is saved: syntax (strict mode), the allowed top level, that <c>filter</c> and/or <c>transform</c>
    /// are defined, and that the top level runs inside the sandbox. Errors carry 1-based line and column.
    /// </summary>
    public RuleValidationResult Validate(string script, string name = "rule.js")
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var (shape, errors) = Check(script, name, out var engine);
        engine?.Dispose();
        return new RuleValidationResult(errors, shape?.HasFilter ?? false, shape?.HasTransform ?? false);
    }

    /// <summary>
    /// The compiled rule for this name and script text, from the cache when the same revision was compiled before
    /// (keyed by name and SHA-256 of the text), else validated and prepared now.
    /// </summary>
    /// <exception cref="RuleCompilationException">The script does not validate.</exception>
    public CompiledRule Compile(string name, string script)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(script);
        var revision = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        lock (_lock)
        {
            if (_cache.TryGetValue((name, revision), out var cached))
            {
                _recency.Remove(cached);
                _recency.AddFirst(cached);
                return cached.Value;
            }
        }

        // Prepared outside the lock: another thread may compile the same revision meanwhile; the first one in wins.
        var (shape, errors) = Check(script, name, out var firstEngine);
        if (shape is null)
        {
            throw new RuleCompilationException(name, errors);
        }

        var rule = new CompiledRule(name, revision, shape, Limits);
        rule.Seed(firstEngine!);
        lock (_lock)
        {
            if (_cache.TryGetValue((name, revision), out var raced))
            {
                rule.Retire();
                return raced.Value;
            }

            _cache[(name, revision)] = _recency.AddFirst(rule);
            while (_cache.Count > Limits.MaxCachedRules && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _cache.Remove((oldest.Value.Name, oldest.Value.Revision));
                oldest.Value.Retire();
            }
        }

        return rule;
    }

    /// <summary>
    /// Starts a batch: the calls for one run of one rule, in one direction, on one thread at a time. Dispose it when the run
    /// is done so its engine goes back to the pool.
    /// </summary>
    /// <param name="rule">The compiled rule.</param>
    /// <param name="context">What <c>ctx</c> offers.</param>
    /// <param name="cancellationToken">Cancels a running call (it then throws <see cref="OperationCanceledException"/>).</param>
    public RuleBatch StartBatch(CompiledRule rule, RuleRunContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(context);
        return new RuleBatch(rule, context, context.Now ?? TimeProvider.GetUtcNow(), cancellationToken);
    }

    /// <summary>Parses and checks the script, then runs its top level in a first sandbox engine (which the caller owns).</summary>
    private (ScriptShape? Shape, List<RuleSyntaxError> Errors) Check(string script, string name, out SandboxEngine? engine)
    {
        engine = null;
        var errors = new List<RuleSyntaxError>();
        if (ScriptAnalyzer.Analyze(script, name, errors) is not { } shape)
        {
            return (null, errors);
        }

        try
        {
            engine = SandboxEngine.Create(shape, Limits);
        }
        catch (Exception ex) when (RuleBatch.Classify(ex, name, "top level", false) is { } error)
        {
            errors.Add(new RuleSyntaxError(error.Message, error.Line ?? 1, error.Column ?? 1));
            return (null, errors);
        }

        return (shape, errors);
    }

    /// <summary>Compiled rules in the cache.</summary>
    internal int CachedRules
    {
        get
        {
            lock (_lock)
            {
                return _cache.Count;
            }
        }
    }
}

/// <summary>The outcome of <see cref="RuleRuntime.Validate"/>.</summary>
/// <param name="Errors">What is wrong, with 1-based positions; empty when valid.</param>
/// <param name="HasFilter">The script defines <c>filter</c>.</param>
/// <param name="HasTransform">The script defines <c>transform</c>.</param>
public sealed record RuleValidationResult(IReadOnlyList<RuleSyntaxError> Errors, bool HasFilter, bool HasTransform)
{
    /// <summary>True when there are no errors.</summary>
    public bool IsValid => Errors.Count == 0;
}

/// <summary>Validation with the default limits, for callers without a runtime at hand (e.g. checking a definition file).</summary>
public static class RuleValidator
{
    private static readonly RuleRuntime Runtime = new();

    /// <summary>See <see cref="RuleRuntime.Validate"/>.</summary>
    public static RuleValidationResult Validate(string script, string name = "rule.js") => Runtime.Validate(script, name);
}
