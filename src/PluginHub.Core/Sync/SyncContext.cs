using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Core.Runs;
using PluginHub.Rules;

namespace PluginHub.Core.Sync;

/// <summary>One side of a running integration: its connector, endpoint and described entity.</summary>
public sealed class SyncSide(Side side, IConnector connector, EndpointDefinition endpoint, EntitySchema schema, CorrelationSide correlation)
{
    public Side Side { get; } = side;

    public IConnector Connector { get; } = connector;

    public EndpointDefinition Endpoint { get; } = endpoint;

    public EntitySchema Schema { get; } = schema;

    /// <summary>Where this side keeps correlation ids and the other side's key; null when nowhere.</summary>
    public CorrelationLocation? Correlation { get; } =
        correlation.Field is null && correlation.Property is null ? null : new CorrelationLocation(correlation.Field, correlation.Property);

    public string Entity => Endpoint.Entity;

    public IReadOnlyDictionary<string, string>? Scope => Endpoint.Scope;

    public IRecordReader? Reader => Connector as IRecordReader;

    public IRecordWriter? Writer => Connector as IRecordWriter;

    /// <summary>How run errors name a record of this side: <c>source/5003…</c>, <c>target/10023</c>.</summary>
    public string ErrorId(string id) => ErrorId(Side, id);

    /// <summary>How run errors name a record of <paramref name="side"/>.</summary>
    public static string ErrorId(Side side, string id) => $"{(side == Side.Source ? "source" : "target")}/{id}";

    public FieldSchema? Field(string name) => Schema.Fields.FirstOrDefault(f => f.Name == name);
}

/// <summary>Counts and per-record errors of one run (ids and reasons, never values).</summary>
public sealed class RunTally
{
    private readonly Lock _lock = new();
    private readonly List<RecordError> _errors = [];
    private int _read, _created, _updated, _skipped, _failed;

    public void Read(int n) => Interlocked.Add(ref _read, n);

    public void Created() => Interlocked.Increment(ref _created);

    public void Updated() => Interlocked.Increment(ref _updated);

    public void Skipped(int n = 1) => Interlocked.Add(ref _skipped, n);

    /// <summary>A record that was not written.</summary>
    public void Failed(string recordId, string message)
    {
        Interlocked.Increment(ref _failed);
        Note(recordId, message);
    }

    /// <summary>A problem with a record that was written anyway (a rejected field); it is retried on the next run.</summary>
    public void Note(string recordId, string message)
    {
        lock (_lock)
        {
            _errors.Add(new RecordError(recordId, message));
        }
    }

    public RunCounts Counts => new(_read, _created, _updated, _skipped, _failed);

    public IReadOnlyList<RecordError> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }
}

/// <summary>Everything one run of one integration shares.</summary>
public sealed class SyncContext
{
    public required Guid IntegrationId { get; init; }

    public required string IntegrationName { get; init; }

    public required IntegrationDefinition Definition { get; init; }

    public required SyncSide Source { get; init; }

    public required SyncSide Target { get; init; }

    public required ISyncStateStore State { get; init; }

    public required FieldHasher Hasher { get; init; }

    public required RunTally Tally { get; init; }

    public required ILogger Logger { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>The rules of the integration, compiled; empty for none.</summary>
    public IReadOnlyList<CompiledRule> Rules { get; init; } = [];

    public RuleRuntime? RuleRuntime { get; init; }

    /// <summary>Record ids (as <see cref="SyncSide.ErrorId(string)"/> names them) to read by id first: earlier failures and webhook notices.</summary>
    public IReadOnlySet<string> Retries { get; init; } = new HashSet<string>();

    /// <summary>Set for a dry run: everything is read and planned into it; nothing is written, linked or checkpointed.</summary>
    public PreviewCollector? Preview { get; init; }

    public SyncSide Other(SyncSide side) => side.Side == Side.Source ? Target : Source;
}
