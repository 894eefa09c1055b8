namespace PluginHub.Rules;

/// <summary>
/// The sandbox limits every rule runs under. They are always on: a value cannot switch a limit off, because Jint reads
/// 0, negative values and <c>MaxValue</c> as "no limit" (stack-notes §1.2), so <see cref="Validate"/> rejects them.
/// </summary>
public sealed record RuleLimits
{
    /// <summary>The defaults: generous for admin rules, small enough that a runaway rule fails one record quickly.</summary>
    public static RuleLimits Default { get; } = new();

    /// <summary>Wall-clock time one call of <c>filter</c> or <c>transform</c> may take (the first call of a process includes JIT time).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Time all calls of one batch (one run of one rule) may take together; time spent outside the rule does not count.</summary>
    public TimeSpan BatchTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Statements one call may execute.</summary>
    public int MaxStatements { get; init; } = 1_000_000;

    /// <summary>Bytes one call may allocate (Jint counts allocations on the executing thread, not live memory).</summary>
    public long MaxMemoryBytes { get; init; } = 32_000_000;

    /// <summary>Nested function calls.</summary>
    public int MaxRecursionDepth { get; init; } = 64;

    /// <summary>Elements one array may hold.</summary>
    public uint MaxArraySize { get; init; } = 100_000;

    /// <summary>Time one regular expression match may take.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Lines <c>ctx.log</c> keeps per call; later lines are counted, not kept.</summary>
    public int MaxLogEntries { get; init; } = 50;

    /// <summary>Characters one log line keeps.</summary>
    public int MaxLogEntryLength { get; init; } = 2_000;

    /// <summary>Size of the JSON (UTF-8 bytes) a transform may return.</summary>
    public int MaxResultLength { get; init; } = 1_000_000;

    /// <summary>Characters a <c>ctx.text</c> helper accepts (helpers run as host code, outside the statement and time checks).</summary>
    public int MaxTextLength { get; init; } = 1_000_000;

    /// <summary>Idle engines kept per compiled rule (an engine serves one thread at a time).</summary>
    public int MaxPooledEnginesPerRule { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Compiled rules kept in the cache (least recently used are dropped).</summary>
    public int MaxCachedRules { get; init; } = 256;

    /// <summary>Throws when a limit is off or out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit would be disabled or is nonsensical.</exception>
    public void Validate()
    {
        Positive(CallTimeout, nameof(CallTimeout));
        Positive(BatchTimeout, nameof(BatchTimeout));
        Positive(RegexTimeout, nameof(RegexTimeout));
        Range(MaxStatements, int.MaxValue - 1, nameof(MaxStatements));
        Range(MaxMemoryBytes, long.MaxValue - 1, nameof(MaxMemoryBytes));
        Range(MaxRecursionDepth, 10_000, nameof(MaxRecursionDepth));
        Range(MaxArraySize, uint.MaxValue - 1, nameof(MaxArraySize));
        Range(MaxLogEntries, 10_000, nameof(MaxLogEntries));
        Range(MaxLogEntryLength, 1_000_000, nameof(MaxLogEntryLength));
        Range(MaxResultLength, 100_000_000, nameof(MaxResultLength));
        Range(MaxTextLength, 100_000_000, nameof(MaxTextLength));
        Range(MaxPooledEnginesPerRule, 1_000, nameof(MaxPooledEnginesPerRule));
        Range(MaxCachedRules, 100_000, nameof(MaxCachedRules));
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value >= TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(name, value, "A rule time limit must be positive and shorter than a day.");
        }
    }

    private static void Range(long value, long max, string name)
    {
        if (value <= 0 || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"A rule limit must be between 1 and {max}.");
        }
    }
}
