using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Rules.Marshalling;
using PluginHub.Rules.Sandbox;

namespace PluginHub.Rules;

/// <summary>A request to run a rule on a sample record (<c>POST /api/rules/test</c>, the golden cases).</summary>
public sealed record RuleTestRequest
{
    /// <summary>The script.</summary>
    public required string Script { get; init; }

    /// <summary><c>filter</c> or <c>transform</c>.</summary>
    public string Function { get; init; } = ScriptAnalyzer.TransformName;

    /// <summary>
    /// The source record, plain (<c>{id, entity, key, fields: {…}}</c>, as scripts see it) or in the API's typed shape; each field
    /// value may be plain or typed (<c>{"type": "date", "value": "2026-01-31"}</c>).
    /// </summary>
    public required JsonElement Record { get; init; }

    /// <summary>For <c>transform</c>: what the field mappings produced (an object of fields, plain or typed); empty when absent.</summary>
    public JsonElement? Target { get; init; }

    /// <summary>The linked record on the other side (<c>ctx.linked</c>), same shape as <see cref="Record"/>.</summary>
    public JsonElement? Linked { get; init; }

    /// <summary>The rule's name in errors.</summary>
    public string Name { get; init; } = "test.js";

    /// <summary>What <c>ctx</c> offers; defaults when absent.</summary>
    public RuleTestContext? Context { get; init; }
}

/// <summary>The <c>ctx</c> of a test run.</summary>
public sealed record RuleTestContext
{
    /// <summary><c>ctx.integration</c>.</summary>
    public string Integration { get; init; } = "test";

    /// <summary><c>ctx.direction</c>.</summary>
    public RuleDirection Direction { get; init; } = RuleDirection.ToTarget;

    /// <summary>Value maps for <c>ctx.mapValue</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? ValueMaps { get; init; }

    /// <summary>Users for <c>ctx.userByEmail</c>, keyed by e-mail.</summary>
    public IReadOnlyDictionary<string, UserRef>? Users { get; init; }

    /// <summary>Field types of the written entity, deciding the kinds of the result (see <see cref="RuleRunContext.TargetFields"/>).</summary>
    public IReadOnlyDictionary<string, FieldSchema>? TargetFields { get; init; }

    /// <summary><c>ctx.now</c>; the runtime's clock when absent.</summary>
    public DateTimeOffset? Now { get; init; }
}

/// <summary>How a test run ended.</summary>
public enum RuleTestStatus
{
    /// <summary>The rule ran; see <see cref="RuleTestResult.Result"/>.</summary>
    Ok = 0,

    /// <summary>The script does not validate (HTTP 400 with the positions in <see cref="RuleTestResult.SyntaxErrors"/>).</summary>
    InvalidScript = 1,

    /// <summary>The rule failed on this record (HTTP 422 with <see cref="RuleTestResult.Error"/>).</summary>
    RuleFailed = 2,

    /// <summary>The request itself is wrong: unknown function, a record that is not an object (HTTP 400, <see cref="RuleTestResult.InputError"/>).</summary>
    InvalidInput = 3,
}

/// <summary>The outcome of a test run.</summary>
public sealed record RuleTestResult
{
    /// <summary>How it ended.</summary>
    public required RuleTestStatus Status { get; init; }

    /// <summary>The plain result: a boolean for <c>filter</c>, the target fields object for <c>transform</c>.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>For <c>transform</c>: the typed fields the sync engine would write.</summary>
    public IReadOnlyDictionary<string, FieldValue>? Fields { get; init; }

    /// <summary>What <c>ctx.log</c> captured.</summary>
    public IReadOnlyList<string> Logs { get; init; } = [];

    /// <summary>The failure when <see cref="Status"/> is <see cref="RuleTestStatus.RuleFailed"/>.</summary>
    public RuleError? Error { get; init; }

    /// <summary>The problems when <see cref="Status"/> is <see cref="RuleTestStatus.InvalidScript"/>.</summary>
    public IReadOnlyList<RuleSyntaxError> SyntaxErrors { get; init; } = [];

    /// <summary>What is wrong with the request when <see cref="Status"/> is <see cref="RuleTestStatus.InvalidInput"/>.</summary>
    public string? InputError { get; init; }
}

/// <summary>Runs a rule on a sample record through the same sandbox, cache and conversions as a sync run.</summary>
/// <param name="runtime">The runtime (its limits, cache and clock apply).</param>
public sealed class RuleTester(RuleRuntime runtime)
{
    /// <summary>Serializer options matching the request and result shapes (camelCase, enums as camelCase strings, typed field values).</summary>
    public static JsonSerializerOptions JsonOptions => PlainJsonReader.TypedOptions;

    /// <summary>Runs <see cref="Test"/> on the thread pool (rules are CPU-bound and synchronous).</summary>
    public Task<RuleTestResult> TestAsync(RuleTestRequest request, CancellationToken cancellationToken = default) =>
        Task.Run(() => Test(request, cancellationToken), cancellationToken);

    /// <summary>Validates the script, then runs the requested function once.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public RuleTestResult Test(RuleTestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Function is not (ScriptAnalyzer.FilterName or ScriptAnalyzer.TransformName))
        {
            return Invalid($"function must be '{ScriptAnalyzer.FilterName}' or '{ScriptAnalyzer.TransformName}'");
        }

        CompiledRule rule;
        try
        {
            rule = runtime.Compile(string.IsNullOrWhiteSpace(request.Name) ? "test.js" : request.Name, request.Script ?? "");
        }
        catch (RuleCompilationException ex)
        {
            return new RuleTestResult { Status = RuleTestStatus.InvalidScript, SyntaxErrors = ex.Errors };
        }

        var now = request.Context?.Now ?? runtime.TimeProvider.GetUtcNow();
        Record record;
        Record? linked;
        Dictionary<string, FieldValue>? target;
        try
        {
            record = PlainJsonReader.ReadRecord(request.Record, now);
            linked = request.Linked is { ValueKind: JsonValueKind.Object } l ? PlainJsonReader.ReadRecord(l, now) : null;
            target = request.Target is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } t ? PlainJsonReader.ReadFields(t) : null;
        }
        catch (Exception ex) when (ex is PlainValueException or JsonException or NotSupportedException)
        {
            return Invalid(ex.Message);
        }

        var context = request.Context ?? new RuleTestContext();
        var runContext = new RuleRunContext
        {
            IntegrationName = context.Integration,
            Direction = context.Direction,
            ValueMaps = context.ValueMaps ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(),
            UsersByEmail = context.Users ?? new Dictionary<string, UserRef>(),
            TargetFields = context.TargetFields,
            Now = now,
        };
        using var batch = runtime.StartBatch(rule, runContext, cancellationToken);
        var outcome = batch.RunJson(request.Function, record, target, linked);
        return outcome.Error is { } error
            ? new RuleTestResult { Status = RuleTestStatus.RuleFailed, Error = error, Logs = outcome.Logs }
            : new RuleTestResult { Status = RuleTestStatus.Ok, Result = outcome.Value.Plain, Fields = outcome.Value.Fields, Logs = outcome.Logs };
    }

    private static RuleTestResult Invalid(string message) => new() { Status = RuleTestStatus.InvalidInput, InputError = message };
}
