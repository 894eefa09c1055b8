using System.Diagnostics;
using System.Text.Json;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using PluginHub.Connectors.Abstractions;
using PluginHub.Rules.Marshalling;
using PluginHub.Rules.Sandbox;

namespace PluginHub.Rules;

/// <summary>
/// The calls of one rule for one run: one engine, one frozen <c>ctx.now</c>, one time budget
/// (<see cref="RuleLimits.BatchTimeout"/>). A failing call fails that record only, the next call runs normally.
/// Not thread-safe (an engine must never be used by two threads, stack-notes §1.4): concurrent use throws.
/// </summary>
public sealed class RuleBatch : IDisposable
{
    private static readonly IReadOnlyList<string> NoLogs = [];

    private readonly CompiledRule _rule;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<string, UserRef> _users;
    private readonly string _direction;
    private readonly DateTimeOffset _now;
    private SandboxEngine? _engine;
    private List<string>? _logs;
    private int _droppedLogs;
    private long _spentTicks;
    private int _busy;
    private bool _disposed;

    internal RuleBatch(CompiledRule rule, RuleRunContext context, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _rule = rule;
        Context = context;
        _now = now;
        _cancellationToken = cancellationToken;
        _direction = context.Direction == RuleDirection.ToSource ? "toSource" : "toTarget";
        _users = new Dictionary<string, UserRef>(context.UsersByEmail.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (email, user) in context.UsersByEmail)
        {
            _users.TryAdd(email, user);
        }
    }

    /// <summary>The rule's name.</summary>
    public string RuleName => _rule.Name;

    /// <summary>Time spent inside the rule so far; counts against <see cref="RuleLimits.BatchTimeout"/>.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, _spentTicks);

    internal RuleRunContext Context { get; }

    /// <summary>Runs <c>filter(record, ctx)</c>. True keeps the record; a rule without <c>filter</c> keeps every record.</summary>
    /// <param name="record">The source record (copied into the script; never changed).</param>
    /// <param name="linked">The linked record on the other side, when there is one (<c>ctx.linked</c>).</param>
    /// <exception cref="OperationCanceledException">The batch's token was cancelled.</exception>
    public RuleCallResult<bool> Filter(Record record, Record? linked = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_rule.HasFilter)
        {
            return RuleCallResult<bool>.Ok(true, NoLogs);
        }

        return Run(ScriptAnalyzer.FilterName, engine =>
        {
            var result = engine.Call(engine.FilterFunction, engine.ToJs(record), Ctx(engine, linked));
            return result.IsBoolean()
                ? result.AsBoolean()
                : throw new PlainValueException($"filter must return true or false, not {Describe(result)}");
        });
    }

    /// <summary>
    /// Runs <c>transform(record, target, ctx)</c> and turns the returned plain object back into typed fields (rules/README.md):
    /// each field keeps the kind of <see cref="RuleRunContext.TargetFields"/>, else the kind <paramref name="target"/> had, else
    /// the kind its shape suggests. A field missing from the result is not written. A rule without <c>transform</c> returns <paramref name="target"/>.
    /// </summary>
    /// <param name="record">The source record (copied; never changed).</param>
    /// <param name="target">What the field mappings produced (copied; never changed).</param>
    /// <param name="linked">The linked record on the other side, when there is one.</param>
    /// <exception cref="OperationCanceledException">The batch's token was cancelled.</exception>
    public RuleCallResult<IReadOnlyDictionary<string, FieldValue>> Transform(
        Record record, IReadOnlyDictionary<string, FieldValue> target, Record? linked = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(target);
        if (!_rule.HasTransform)
        {
            return RuleCallResult<IReadOnlyDictionary<string, FieldValue>>.Ok(target, NoLogs);
        }

        return Run(ScriptAnalyzer.TransformName, engine =>
        {
            var targetJs = engine.ToJs(target);
            var result = engine.Call(engine.TransformFunction, engine.ToJs(record), targetJs, Ctx(engine, linked));
            return ReadTransformResult(engine, result.IsUndefined() ? targetJs : result, target, keepPlain: false, out _);
        });
    }

    /// <summary>The rule tester's path: plain JSON in, the plain result JSON (and typed fields for transforms) out.</summary>
    internal RuleCallResult<(JsonElement Plain, IReadOnlyDictionary<string, FieldValue>? Fields)> RunJson(
        string function, Record record, IReadOnlyDictionary<string, FieldValue>? target, Record? linked)
    {
        return Run(function, engine =>
        {
            if (function == ScriptAnalyzer.FilterName)
            {
                var passed = !_rule.HasFilter || engine.Call(engine.FilterFunction, engine.ToJs(record), Ctx(engine, linked)) is var r
                    && (r.IsBoolean() ? r.AsBoolean() : throw new PlainValueException($"filter must return true or false, not {Describe(r)}"));
                return (JsonSerializer.SerializeToElement(passed), (IReadOnlyDictionary<string, FieldValue>?)null);
            }

            var fields = target ?? new Dictionary<string, FieldValue>();
            if (!_rule.HasTransform)
            {
                return (ToPlainElement(fields), fields);
            }

            var targetJs = engine.ToJs(fields);
            var result = engine.Call(engine.TransformFunction, engine.ToJs(record), targetJs, Ctx(engine, linked));
            var typed = ReadTransformResult(engine, result.IsUndefined() ? targetJs : result, fields, keepPlain: true, out var plain);
            return (plain, typed);
        });
    }

    /// <summary>Gives the engine back to the rule's pool.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_engine is { } engine)
        {
            _engine = null;
            // Disposed from another thread mid-call (a misuse): never pool an engine that may still be running.
            engine.Broken |= Volatile.Read(ref _busy) != 0;
            _rule.Return(engine);
        }
    }

    internal bool CanLog()
    {
        if (_logs is null || _logs.Count < _rule.Limits.MaxLogEntries)
        {
            return true;
        }

        _droppedLogs++;
        return false;
    }

    internal void AddLog(string line) => (_logs ??= []).Add(line);

    internal bool TryFindUser(string email, out UserRef user) => _users.TryGetValue(email.Trim(), out user!);

    /// <summary>Maps an exception from a call to a rule error; null for cancellation, which the caller rethrows.</summary>
    internal static RuleError? Classify(Exception exception, string ruleName, string function, bool batchExhausted)
    {
        return exception switch
        {
            OperationCanceledException or ExecutionCanceledException => null,
            JavaScriptException js => new RuleError(ruleName, function, RuleErrorKind.Script, ScriptMessage(js), Line(js), Column(js)),
            TimeoutException when batchExhausted => new RuleError(ruleName, function, RuleErrorKind.BatchTimeout, "The batch used up its time limit.", null, null),
            TimeoutException or System.Text.RegularExpressions.RegexMatchTimeoutException =>
                new RuleError(ruleName, function, RuleErrorKind.Timeout, "The rule ran longer than its time limit.", null, null),
            StatementsCountOverflowException => new RuleError(ruleName, function, RuleErrorKind.Statements, "The rule executed more statements than its limit.", null, null),
            MemoryLimitExceededException memory => new RuleError(ruleName, function, RuleErrorKind.Memory, memory.Message, null, null),
            RecursionDepthOverflowException => new RuleError(ruleName, function, RuleErrorKind.Recursion, "The rule nested function calls deeper than its limit.", null, null),
            PlainValueException invalid => new RuleError(ruleName, function, RuleErrorKind.InvalidResult, invalid.Message, null, null),
            _ => new RuleError(ruleName, function, RuleErrorKind.Internal, $"The rule could not run ({exception.GetType().Name}: {exception.Message}).", null, null),
        };
    }

    private RuleCallResult<T> Run<T>(string function, Func<SandboxEngine, T> call)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("A rule batch runs one call at a time; use one batch per thread.");
        }

        try
        {
            _cancellationToken.ThrowIfCancellationRequested();
            _logs = null;
            _droppedLogs = 0;
            var remaining = _rule.Limits.BatchTimeout - Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                return RuleCallResult<T>.Fail(new RuleError(_rule.Name, function, RuleErrorKind.BatchTimeout, "The batch used up its time limit.", null, null), NoLogs);
            }

            SandboxEngine engine;
            try
            {
                engine = _engine ??= Rent();
            }
            catch (Exception ex) when (Classify(ex, _rule.Name, "top level", false) is { } startError)
            {
                // A new engine runs the top level first; if that trips a limit (a cold JIT under load), this record fails.
                return RuleCallResult<T>.Fail(startError, NoLogs);
            }

            var started = Stopwatch.GetTimestamp();
            var discard = false;
            engine.BeginCall(remaining, _cancellationToken);
            try
            {
                return RuleCallResult<T>.Ok(call(engine), Logs());
            }
            catch (Exception ex) when (Classify(ex, _rule.Name, function, Elapsed + Stopwatch.GetElapsedTime(started) >= _rule.Limits.BatchTimeout) is { } classified)
            {
                var error = classified;
                if (error.Kind == RuleErrorKind.InvalidResult && _rule.FunctionLocation(function) is var (declaredLine, declaredColumn))
                {
                    // A wrong return value has no throw site: point at the function that returned it.
                    error = error with { Line = declaredLine, Column = declaredColumn };
                }
                else if (error.Kind is not (RuleErrorKind.Script or RuleErrorKind.InvalidResult))
                {
                    // After a limit the engine's state is not trusted any more (script errors leave it as good as before);
                    // Jint still knows where the script was when it stopped.
                    if (error.Kind != RuleErrorKind.Internal && engine.LastLocation() is var (line, column))
                    {
                        error = error with { Line = line, Column = column };
                    }

                    discard = true;
                }

                return RuleCallResult<T>.Fail(error, Logs());
            }
            catch (OperationCanceledException)
            {
                discard = true; // stopped mid-statement, like a limit
                throw;
            }
            catch (ExecutionCanceledException ex)
            {
                discard = true;
                throw new OperationCanceledException("The rule batch was cancelled.", ex, _cancellationToken);
            }
            finally
            {
                engine.EndCall();
                _spentTicks += Stopwatch.GetTimestamp() - started;
                if (discard)
                {
                    engine.Broken = true;
                    _engine = null;
                    _rule.Return(engine);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private SandboxEngine Rent()
    {
        var engine = _rule.Rent();
        engine.Batch = this;
        engine.SetNow(_now);
        return engine;
    }

    private JsObject Ctx(SandboxEngine engine, Record? linked) =>
        engine.Context(Context.IntegrationName, _direction, _rule.Name, linked is null ? JsValue.Null : engine.ToJs(linked));

    private IReadOnlyList<string> Logs()
    {
        if (_logs is null)
        {
            return NoLogs;
        }

        if (_droppedLogs > 0)
        {
            _logs.Add($"… {_droppedLogs} more log line(s) dropped (limit {_rule.Limits.MaxLogEntries})");
        }

        return _logs;
    }

    private IReadOnlyDictionary<string, FieldValue> ReadTransformResult(
        SandboxEngine engine, JsValue result, IReadOnlyDictionary<string, FieldValue> target, bool keepPlain, out JsonElement plain)
    {
        if (!engine.IsPlainObject(result))
        {
            throw new PlainValueException($"transform must return an object of target fields (or nothing to keep the changed target), not {Describe(result)}");
        }

        plain = default;
        if (!keepPlain && engine.TryReadFields((ObjectInstance)result, Context.TargetFields, target) is { } direct)
        {
            return direct;
        }

        var json = engine.Serialize(result)
            ?? throw new PlainValueException($"transform returned more than {_rule.Limits.MaxResultLength} bytes of fields");
        using var document = JsonDocument.Parse(json);
        plain = keepPlain ? document.RootElement.Clone() : default;
        var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var hint = FieldHint.For(property.Name, Context.TargetFields, target);
            try
            {
                fields[property.Name] = PlainJsonReader.Read(property.Value, hint);
            }
            catch (PlainValueException ex)
            {
                throw new PlainValueException($"field '{property.Name}': {ex.Message}");
            }
        }

        return fields;
    }

    private static JsonElement ToPlainElement(IReadOnlyDictionary<string, FieldValue> fields)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            PlainJsonWriter.WriteFields(writer, fields);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static string Describe(JsValue value) => value switch
    {
        _ when value.IsUndefined() => "undefined",
        _ when value.IsNull() => "null",
        _ when value.IsArray() => "an array",
        _ when value.IsString() => "a string",
        _ when value.IsNumber() => "a number",
        _ when value.IsBoolean() => "a boolean",
        _ => "a " + value.Type.ToString().ToLowerInvariant(),
    };

    private static string ScriptMessage(JavaScriptException exception)
    {
        var error = exception.Error;
        if (error is ObjectInstance obj && obj.Get("name") is var name && name.IsString())
        {
            return $"{name.AsString()}: {exception.Message}";
        }

        return exception.Message;
    }

    private static int? Line(JavaScriptException exception) =>
        exception.Location.Start.Line > 0 ? exception.Location.Start.Line : null;

    private static int? Column(JavaScriptException exception) =>
        exception.Location.Start.Line > 0 ? exception.Location.Start.Column + 1 : null;
}
