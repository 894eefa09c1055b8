using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Jint;
using Jint.Constraints;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using PluginHub.Connectors.Abstractions;
using PluginHub.Rules.Marshalling;
using PluginHub.Connectors.Sdk.Text;
using JsonSerializer = Jint.Native.Json.JsonSerializer;

namespace PluginHub.Rules.Sandbox;

/// <summary>
/// One Jint engine with one rule loaded, hardened (stack-notes §1.2) and frozen. Not thread-safe: a <see cref="RuleBatch"/>
/// rents it from its <see cref="CompiledRule"/> and is its only user until it gives it back.
/// </summary>
internal sealed class SandboxEngine : IDisposable
{
    /// <summary>Globals removed before the rule loads: blocking waits (Atomics), a second realm with unfrozen intrinsics
    /// (ShadowRealm), non-determinism (WeakRef, FinalizationRegistry) and large surfaces rules do not need (Intl, Temporal).</summary>
    internal static readonly string[] RemovedGlobals =
        ["ShadowRealm", "SharedArrayBuffer", "Atomics", "WeakRef", "FinalizationRegistry", "Intl", "Temporal"];

    private readonly Engine _engine;
    private readonly FrozenClock _clock;
    private readonly OperationDeadlineConstraint _deadline;
    private readonly JsonParser _parser;
    private readonly JsonSerializer _serializer;
    private readonly RuleLimits _limits;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly JsValue[] _filterArgs = new JsValue[2];
    private readonly JsValue[] _transformArgs = new JsValue[3];
    private readonly JsValue _log;
    private readonly JsValue _mapValue;
    private readonly JsValue _userByEmail;
    private readonly JsValue _text;
    private readonly bool _objectPrototypeHasToJson;
    private JsObject? _sharedContext;

    private SandboxEngine(ScriptShape shape, RuleLimits limits)
    {
        _limits = limits;
        _clock = new FrozenClock();
        var options = new Options
        {
            Strict = true,
            TimeSystem = _clock,
            TimeZone = TimeZoneInfo.Utc,
            Culture = CultureInfo.InvariantCulture,
        };
        options.TimeoutInterval(limits.CallTimeout)
            .MaxStatements(limits.MaxStatements)
            .LimitMemory(limits.MaxMemoryBytes)
            .LimitRecursion(limits.MaxRecursionDepth)
            .MaxArraySize(limits.MaxArraySize)
            .RegexTimeoutInterval(limits.RegexTimeout)
            .DisableStringCompilation()
            .AllowClrWrite(false)
            .Constraint(() => new OperationDeadlineConstraint());
        options.Constraints.StackOverflowGuard = true;
        // Interop stays off (no System, importNamespace, clrHelper); these are already the 4.18 defaults, stated so a
        // package upgrade that changes them cannot silently open the sandbox.
        options.Interop.Enabled = false;
        options.Interop.AllowGetType = false;
        options.Interop.AllowSystemReflection = false;
        options.Interop.AllowWrite = false;
        options.Interop.ArrayConversion = ArrayConversionMode.Copy;

        _engine = new Engine(options);
        _deadline = _engine.Constraints.Find<OperationDeadlineConstraint>()
            ?? throw new InvalidOperationException("The operation deadline constraint is missing.");
        _parser = new JsonParser(_engine);
        _serializer = new JsonSerializer(_engine);
        _writer = new Utf8JsonWriter(_buffer);

        foreach (var name in RemovedGlobals)
        {
            _engine.Global.Delete(name);
        }

        _log = Function("log", 1, Log);
        _mapValue = Function("mapValue", 2, MapValue);
        _userByEmail = Function("userByEmail", 1, UserByEmail);
        var text = new JsObject(_engine);
        text.FastSetDataProperty("htmlToText", Function("htmlToText", 1, (_, a) => ConvertText(a, "htmlToText", HtmlText.ToText)));
        text.FastSetDataProperty("wikiToText", Function("wikiToText", 1, (_, a) => ConvertText(a, "wikiToText", WikiText.ToText)));
        text.FastSetDataProperty("adfToText", Function("adfToText", 1, AdfToText));
        text.FastSetDataProperty("textToHtml", Function("textToHtml", 1, (_, a) => ConvertText(a, "textToHtml", HtmlText.FromText)));
        text.FastSetDataProperty("textToWiki", Function("textToWiki", 1, (_, a) => ConvertText(a, "textToWiki", WikiText.FromText)));
        text.FastSetDataProperty("textToAdf", Function("textToAdf", 1, (_, a) => ConvertText(a, "textToAdf", AdfText.FromText)));
        text.FastSetDataProperty("toText", Function("toText", 1, ToText));
        _text = text;

        // Top-level code runs under the per-call limits like any call.
        _engine.Execute(shape.Prepared);
        var exports = _engine.Evaluate(
            "[typeof filter === 'function' ? filter : undefined, typeof transform === 'function' ? transform : undefined, ["
            + string.Join(",", shape.ConstNames) + "]]");
        FilterFunction = exports.Get(0);
        TransformFunction = exports.Get(1);

        // Freeze everything reachable from the global object, the rule's constants and the ctx helpers: no prototype
        // pollution, no global, constant or helper can carry state from one record (or run) to the next.
        var frozen = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        DeepFreeze(_engine.Global, frozen);
        DeepFreeze(exports, frozen);
        DeepFreeze(text, frozen);
        foreach (var function in new[] { _log, _mapValue, _userByEmail })
        {
            DeepFreeze(function, frozen);
        }

        // Frozen from here on, so one look says whether plain results can skip JSON.stringify.
        _objectPrototypeHasToJson = _engine.Intrinsics.Object.PrototypeObject.GetOwnProperty("toJSON") != PropertyDescriptor.Undefined;
    }

    public JsValue FilterFunction { get; }

    public JsValue TransformFunction { get; }

    /// <summary>Set after a limit or an internal failure: the engine is dropped instead of going back to the pool.</summary>
    public bool Broken { get; set; }

    /// <summary>The batch the engine serves; ctx helpers read its snapshots and write its logs.</summary>
    public RuleBatch? Batch { get; set; }

    public JsValue Now { get; private set; } = JsValue.Undefined;

    public static SandboxEngine Create(ScriptShape shape, RuleLimits limits) => new(shape, limits);

    public void SetNow(DateTimeOffset now)
    {
        _clock.Now = now;
        Now = PlainJsonWriter.FormatDateTime(now);
    }

    /// <summary>Arms the per-batch budget and the cancellation token for one call; <see cref="EndCall"/> disarms it.</summary>
    public void BeginCall(TimeSpan remainingBudget, CancellationToken cancellationToken) => _deadline.Begin(remainingBudget, cancellationToken);

    public void EndCall() => _deadline.End();

    public JsValue Call(JsValue function, JsValue record, JsValue ctx)
    {
        _filterArgs[0] = record;
        _filterArgs[1] = ctx;
        try
        {
            return _engine.Call(function, JsValue.Undefined, _filterArgs);
        }
        finally
        {
            Array.Clear(_filterArgs);
        }
    }

    public JsValue Call(JsValue function, JsValue record, JsValue target, JsValue ctx)
    {
        _transformArgs[0] = record;
        _transformArgs[1] = target;
        _transformArgs[2] = ctx;
        try
        {
            return _engine.Call(function, JsValue.Undefined, _transformArgs);
        }
        finally
        {
            Array.Clear(_transformArgs);
        }
    }

    /// <summary>
    /// A plain JS copy of a record: the objects JSON.parse gives for <see cref="PlainJsonWriter"/>'s JSON (same properties,
    /// order and flags), built directly because writing and lexing that text was most of a call. Only plain JS values, so
    /// no CLR object is ever reachable.
    /// </summary>
    public JsValue ToJs(Record record)
    {
        var js = new JsObject(_engine);
        js.FastSetDataProperty("id", Str(record.Ref.Id));
        js.FastSetDataProperty("entity", Str(record.Ref.Entity));
        js.FastSetDataProperty("key", Str(record.Ref.DisplayKey));
        js.FastSetDataProperty("version", Str(record.Version));
        js.FastSetDataProperty("modifiedAt", PlainJsonWriter.FormatDateTime(record.ModifiedAt));
        js.FastSetDataProperty("modifiedBy", record.ModifiedBy is { } user ? ToJs(user) : JsValue.Null);
        js.FastSetDataProperty("deleted", record.Deleted ? JsBoolean.True : JsBoolean.False);
        js.FastSetDataProperty("fields", ToJs(record.Fields));
        return js;
    }

    public JsValue ToJs(IReadOnlyDictionary<string, FieldValue> fields)
    {
        var js = new JsObject(_engine);
        foreach (var (name, value) in fields)
        {
            js.FastSetDataProperty(name, ToJs(value));
        }

        return js;
    }

    /// <summary>One field value, as in <see cref="PlainJsonWriter.WriteValue"/>.</summary>
    private JsValue ToJs(FieldValue? value)
    {
        switch (value)
        {
            case null or NullValue:
                return JsValue.Null;
            case TextValue text:
                return Str(text.Value);
            case RichTextValue rich:
                var richJs = new JsObject(_engine);
                richJs.FastSetDataProperty("format", PlainJsonWriter.FormatName(rich.Format));
                richJs.FastSetDataProperty("content", Str(rich.Content));
                return richJs;
            case IntegerValue integer:
                return JsNumber.Create(integer.Value);
            case BooleanValue boolean:
                return boolean.Value ? JsBoolean.True : JsBoolean.False;
            case DateValue date:
                return date.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case DateTimeValue dateTime:
                return PlainJsonWriter.FormatDateTime(dateTime.Value);
            case ChoiceValue choice:
                return ToJs(choice);
            case MultiChoiceValue multi:
                var items = new JsValue[multi.Values.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = ToJs(multi.Values[i]);
                }

                return new JsArray(_engine, items);
            case UserValue user:
                return ToJs(user.User);
            case LinkValue link:
                var linkJs = new JsObject(_engine);
                linkJs.FastSetDataProperty("entity", Str(link.Target.Entity));
                linkJs.FastSetDataProperty("id", Str(link.Target.Id));
                linkJs.FastSetDataProperty("key", Str(link.Target.DisplayKey));
                return linkJs;
            default:
                // Decimals (their text decides the double), lists and raw JSON keep going through the JSON parser.
                ResetWriter();
                PlainJsonWriter.WriteValue(_writer, value);
                _writer.Flush();
                return _parser.Parse(_buffer.WrittenSpan);
        }
    }

    private JsObject ToJs(ChoiceValue choice)
    {
        var js = new JsObject(_engine);
        js.FastSetDataProperty("key", Str(choice.Key));
        js.FastSetDataProperty("label", Str(choice.Label));
        return js;
    }

    private JsObject ToJs(UserRef user)
    {
        var js = new JsObject(_engine);
        js.FastSetDataProperty("id", Str(user.Id));
        js.FastSetDataProperty("email", Str(user.Email));
        js.FastSetDataProperty("name", Str(user.DisplayName));
        return js;
    }

    private static JsValue Str(string? value) => value is null ? JsValue.Null : JsString.Create(value);

    /// <summary>
    /// The fields of a plain result read without JSON (<see cref="PlainJsReader"/>), or null when only JSON.stringify
    /// says what they are.
    /// </summary>
    public Dictionary<string, FieldValue>? TryReadFields(
        ObjectInstance result, IReadOnlyDictionary<string, FieldSchema>? schema, IReadOnlyDictionary<string, FieldValue> mapped) =>
        _objectPrototypeHasToJson ? null : PlainJsReader.TryReadFields(result, schema, mapped, _limits.MaxResultLength);

    /// <summary>
    /// The <c>ctx</c> argument, frozen: a script cannot change it, so without a linked record the same object serves every
    /// call of the batch (nothing to build per record), and with one a fresh object is built.
    /// </summary>
    public JsObject Context(string integration, string direction, string rule, JsValue linked)
    {
        if (!linked.IsNull())
        {
            return CreateContext(integration, direction, rule, linked);
        }

        return _sharedContext ??= CreateContext(integration, direction, rule, JsValue.Null);
    }

    /// <summary>Drops the batch's shared ctx when the engine goes back to the pool.</summary>
    public void ForgetContext() => _sharedContext = null;

    private JsObject CreateContext(string integration, string direction, string rule, JsValue linked)
    {
        var ctx = new JsObject(_engine);
        Set("integration", integration);
        Set("direction", direction);
        Set("rule", rule);
        Set("now", Now);
        Set("linked", linked);
        Set("log", _log);
        Set("mapValue", _mapValue);
        Set("userByEmail", _userByEmail);
        Set("text", _text);
        ctx.PreventExtensions();
        return ctx;

        // Enumerable only: not writable, not configurable, which with PreventExtensions is Object.freeze.
        void Set(string name, JsValue value) => ctx.FastSetProperty(name, new PropertyDescriptor(value, PropertyFlag.Enumerable));
    }

    /// <summary>
    /// JSON.stringify of a result as UTF-8 (getters and toJSON run under the call's limits), valid until the next use of
    /// this engine; null when it is longer than <see cref="RuleLimits.MaxResultLength"/>.
    /// </summary>
    public ReadOnlyMemory<byte>? Serialize(JsValue value)
    {
        _buffer.ResetWrittenCount();
        _serializer.Serialize(value, JsValue.Undefined, JsValue.Undefined, _buffer);
        if (_buffer.WrittenCount > _limits.MaxResultLength)
        {
            return null;
        }

        return _buffer.WrittenMemory;
    }

    /// <summary>An object literal (or <c>Object.create(null)</c>): not an array, function, promise, date, map, proxy or class instance.</summary>
    public bool IsPlainObject(JsValue value) =>
        value is ObjectInstance obj && !value.IsArray() && (obj.Prototype is null || ReferenceEquals(obj.Prototype, _engine.Intrinsics.Object.PrototypeObject));

    /// <summary>
    /// Where the script was when a limit stopped it: Jint keeps the last call stack ("at filter (rule.js:3:12)"), 1-based.
    /// Null when it says nothing usable.
    /// </summary>
    public (int Line, int Column)? LastLocation()
    {
        var stack = _engine.Advanced.StackTrace;
        var firstLine = stack.AsSpan().TrimStart();
        var end = firstLine.IndexOf('\n');
        if (end >= 0)
        {
            firstLine = firstLine[..end];
        }

        firstLine = firstLine.TrimEnd().TrimEnd(')');
        var columnStart = firstLine.LastIndexOf(':');
        if (columnStart <= 0 || !int.TryParse(firstLine[(columnStart + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var column))
        {
            return null;
        }

        var lineStart = firstLine[..columnStart].LastIndexOf(':');
        return lineStart > 0 && int.TryParse(firstLine[(lineStart + 1)..columnStart], NumberStyles.None, CultureInfo.InvariantCulture, out var line)
            ? (line, column)
            : null;
    }

    private JsValue ThrowTypeError(string message) => throw new JavaScriptException(_engine.Intrinsics.TypeError, message);

    public void Dispose()
    {
        _writer.Dispose();
        _engine.Dispose();
    }

    private void ResetWriter()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    private ClrFunction Function(string name, int length, Func<JsValue, JsValue[], JsValue> body) =>
        new(_engine, name, body, length, PropertyFlag.Configurable);

    private static void DeepFreeze(JsValue root, HashSet<ObjectInstance> frozen)
    {
        var stack = new Stack<JsValue>();
        stack.Push(root);
        var freeze = root is ObjectInstance o ? o.Engine.Intrinsics.Object.Get("freeze") : null;
        var one = new JsValue[1];
        while (stack.Count > 0)
        {
            if (stack.Pop() is not ObjectInstance current || !frozen.Add(current))
            {
                continue;
            }

            one[0] = current;
            current.Engine.Call(freeze!, JsValue.Undefined, one);
            foreach (var key in current.GetOwnPropertyKeys(Types.String | Types.Symbol))
            {
                var descriptor = current.GetOwnProperty(key);
                Push(stack, descriptor.Get);
                Push(stack, descriptor.Set);
                Push(stack, descriptor.Value);
            }

            Push(stack, current.Prototype);
        }

        static void Push(Stack<JsValue> stack, JsValue? value)
        {
            if (value is ObjectInstance)
            {
                stack.Push(value);
            }
        }
    }

    private RuleBatch CurrentBatch => Batch ?? throw new InvalidOperationException("The engine is not serving a batch.");

    private JsValue Log(JsValue thisObject, JsValue[] arguments)
    {
        var batch = CurrentBatch;
        if (!batch.CanLog())
        {
            return JsValue.Undefined; // Over the limit: counted, not formatted (formatting is host time the timeout cannot see).
        }

        var line = new StringBuilder();
        foreach (var argument in arguments)
        {
            if (line.Length > 0)
            {
                line.Append(' ');
            }

            if (argument.IsString())
            {
                line.Append(argument.AsString());
            }
            else if (argument.IsUndefined())
            {
                line.Append("undefined");
            }
            else
            {
                var json = _serializer.Serialize(argument);
                line.Append(json.IsString() ? json.AsString() : json.ToString());
            }

            if (line.Length > _limits.MaxLogEntryLength)
            {
                break;
            }
        }

        batch.AddLog(line.Length > _limits.MaxLogEntryLength ? string.Concat(line.ToString(0, _limits.MaxLogEntryLength), "…") : line.ToString());
        return JsValue.Undefined;
    }

    private JsValue MapValue(JsValue thisObject, JsValue[] arguments)
    {
        var map = Argument(arguments, 0);
        if (!map.IsString())
        {
            return ThrowTypeError("ctx.mapValue(map, value, fallback?): map must be a string");
        }

        if (!CurrentBatch.Context.ValueMaps.TryGetValue(map.AsString(), out var values))
        {
            return ThrowTypeError($"ctx.mapValue: there is no value map named '{map.AsString()}'");
        }

        var value = Argument(arguments, 1);
        // A choice maps by its key, so ctx.mapValue('m', record.fields.Status) works as well as passing the key.
        if (value is ObjectInstance choice && choice.Get("key") is var key && (key.IsString() || key.IsNumber()))
        {
            value = key;
        }

        var text = value.IsString() ? value.AsString() : value.IsNumber() || value.IsBoolean() ? TypeConverter.ToString(value) : null;
        if (text is not null && values.TryGetValue(text, out var mapped))
        {
            return mapped;
        }

        return arguments.Length > 2 ? arguments[2] : JsValue.Null;
    }

    private JsValue UserByEmail(JsValue thisObject, JsValue[] arguments)
    {
        var email = Argument(arguments, 0);
        if (!email.IsString() || !CurrentBatch.TryFindUser(email.AsString(), out var user))
        {
            return JsValue.Null;
        }

        var result = new JsObject(_engine);
        result.FastSetDataProperty("id", user.Id is { } id ? id : JsValue.Null);
        result.FastSetDataProperty("email", user.Email is { } address ? address : JsValue.Null);
        result.FastSetDataProperty("name", user.DisplayName is { } name ? name : JsValue.Null);
        return result;
    }

    private JsValue ConvertText(JsValue[] arguments, string name, Func<string, string> convert)
    {
        var value = Argument(arguments, 0);
        if (value.IsNull() || value.IsUndefined())
        {
            return JsValue.Null;
        }

        if (!value.IsString())
        {
            return ThrowTypeError($"ctx.text.{name} expects a string");
        }

        var text = value.AsString();
        return text.Length > _limits.MaxTextLength
            ? ThrowTypeError($"ctx.text.{name}: the text is longer than {_limits.MaxTextLength} characters")
            : convert(text);
    }

    private JsValue AdfToText(JsValue thisObject, JsValue[] arguments)
    {
        var value = Argument(arguments, 0);
        if (value is ObjectInstance && !value.IsArray())
        {
            // An ADF document built or parsed in the script: serialise it and read it like ADF text.
            var json = Serialize(value);
            if (json is not { } utf8)
            {
                return ThrowTypeError("ctx.text.adfToText: the document is too large");
            }

            using var document = JsonDocument.Parse(utf8);
            return AdfText.ToText(document.RootElement);
        }

        try
        {
            return ConvertText(arguments, "adfToText", AdfText.ToText);
        }
        catch (FormatException)
        {
            return ThrowTypeError("ctx.text.adfToText expects an ADF document (JSON text or object)");
        }
    }

    /// <summary>Plain text of any text-like value: a string as is, rich text <c>{format, content}</c> converted from its markup.</summary>
    private JsValue ToText(JsValue thisObject, JsValue[] arguments)
    {
        var value = Argument(arguments, 0);
        if (value.IsNull() || value.IsUndefined() || value.IsString())
        {
            return value.IsString() ? value : JsValue.Null;
        }

        if (value is ObjectInstance rich && rich.Get("format") is var format && format.IsString())
        {
            var content = new[] { rich.Get("content") };
            return PlainJsonReader.ParseFormat(format.AsString()) switch
            {
                RichTextFormat.Plain => ConvertText(content, "toText", text => text),
                RichTextFormat.Html => ConvertText(content, "toText", HtmlText.ToText),
                RichTextFormat.JiraWiki => ConvertText(content, "toText", WikiText.ToText),
                RichTextFormat.Adf => AdfToText(thisObject, content),
                _ => ThrowTypeError($"ctx.text.toText: unknown format '{format.AsString()}'"),
            };
        }

        return ThrowTypeError("ctx.text.toText expects a string or rich text {format, content}");
    }

    private static JsValue Argument(JsValue[] arguments, int index) => index < arguments.Length ? arguments[index] : JsValue.Undefined;
}
