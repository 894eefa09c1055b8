namespace PluginHub.Rules;

/// <summary>Why a rule call failed.</summary>
public enum RuleErrorKind
{
    /// <summary>The script threw (a JavaScript error or an explicit <c>throw</c>).</summary>
    Script = 0,

    /// <summary>One call ran longer than <see cref="RuleLimits.CallTimeout"/> (or a regular expression than <see cref="RuleLimits.RegexTimeout"/>).</summary>
    Timeout = 1,

    /// <summary>The batch used up <see cref="RuleLimits.BatchTimeout"/>; the remaining records of the batch fail without running.</summary>
    BatchTimeout = 2,

    /// <summary>More statements than <see cref="RuleLimits.MaxStatements"/>.</summary>
    Statements = 3,

    /// <summary>More memory than <see cref="RuleLimits.MaxMemoryBytes"/>, or an array larger than <see cref="RuleLimits.MaxArraySize"/>.</summary>
    Memory = 4,

    /// <summary>Deeper recursion than <see cref="RuleLimits.MaxRecursionDepth"/>.</summary>
    Recursion = 5,

    /// <summary>The function returned something the contract does not allow (not a boolean, not an object, a field of the wrong kind).</summary>
    InvalidResult = 6,

    /// <summary>An unexpected failure inside PluginHub while running the rule.</summary>
    Internal = 7,
}

/// <summary>A failed rule call: which rule, where and why. Contains no record data beyond what the script's own message says.</summary>
/// <param name="RuleName">The rule's name (its file name or the name given to an inline script).</param>
/// <param name="Function"><c>filter</c> or <c>transform</c>.</param>
/// <param name="Kind">Why it failed.</param>
/// <param name="Message">What the script or the sandbox said.</param>
/// <param name="Line">1-based line in the script, when known.</param>
/// <param name="Column">1-based column in the script, when known.</param>
public sealed record RuleError(string RuleName, string Function, RuleErrorKind Kind, string Message, int? Line, int? Column)
{
    /// <summary>One line for a run's error list: <c>rule 'x.js' transform failed at line 3:9: TypeError: …</c>.</summary>
    public override string ToString() => Line is { } line
        ? $"Rule '{RuleName}' {Function} failed at line {line}:{Column ?? 1}: {Message}"
        : $"Rule '{RuleName}' {Function} failed: {Message}";

    /// <summary>The same error as an exception, for callers that prefer throwing.</summary>
    public RuleFailedException ToException() => new(this);
}

/// <summary>Thrown by callers that turn a <see cref="RuleError"/> into an exception (<see cref="RuleCallResult{T}.GetValueOrThrow"/>).</summary>
public sealed class RuleFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public RuleFailedException(RuleError error)
        : base(error?.ToString())
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>The failure.</summary>
    public RuleError Error { get; }
}

/// <summary>A syntax or structure error found when a script is validated.</summary>
/// <param name="Message">What is wrong.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record RuleSyntaxError(string Message, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{Line}:{Column}: {Message}";
}

/// <summary>Thrown by <see cref="RuleRuntime.Compile(string, string)"/> for a script that does not validate.</summary>
public sealed class RuleCompilationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuleCompilationException(string ruleName, IReadOnlyList<RuleSyntaxError> errors)
        : base($"Rule '{ruleName}' is invalid: {string.Join("; ", errors ?? [])}")
    {
        RuleName = ruleName;
        Errors = errors ?? [];
    }

    /// <summary>The rule's name.</summary>
    public string RuleName { get; }

    /// <summary>What is wrong, with positions.</summary>
    public IReadOnlyList<RuleSyntaxError> Errors { get; }
}

/// <summary>The outcome of one rule call: a value or an error, plus what the rule logged.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class RuleCallResult<T>
{
    private RuleCallResult(T? value, RuleError? error, IReadOnlyList<string> logs)
    {
        Value = value;
        Error = error;
        Logs = logs;
    }

    /// <summary>The value when the call succeeded.</summary>
    public T? Value { get; }

    /// <summary>The failure, or null.</summary>
    public RuleError? Error { get; }

    /// <summary>True when <see cref="Error"/> is null.</summary>
    public bool Succeeded => Error is null;

    /// <summary>What <c>ctx.log</c> captured during this call (bounded by <see cref="RuleLimits.MaxLogEntries"/>).</summary>
    public IReadOnlyList<string> Logs { get; }

    /// <summary>The value, or a <see cref="RuleFailedException"/>.</summary>
    public T GetValueOrThrow() => Error is { } error ? throw error.ToException() : Value!;

    internal static RuleCallResult<T> Ok(T value, IReadOnlyList<string> logs) => new(value, null, logs);

    internal static RuleCallResult<T> Fail(RuleError error, IReadOnlyList<string> logs) => new(default, error, logs);
}
