namespace PluginHub.Connectors.Abstractions;

/// <summary>Creates and updates records. Capability <c>write</c>.</summary>
public interface IRecordWriter
{
    /// <summary>The most writes the connector sends in one remote call (200 for sObject Collections, 50 for Jira bulk create);
    /// the host batches accordingly. 1 when the API has no bulk form.</summary>
    int MaxBatchSize { get; }

    /// <summary>
    /// Applies the writes, batching them into bulk calls where the API has them, and returns one result per write in the
    /// same order. A write that fails does not fail the others: its result says why. Only the fields given are sent.
    /// </summary>
    /// <remarks>
    /// Idempotency: an <see cref="WriteOperation.Upsert"/> by external key may be repeated safely; a
    /// <see cref="WriteOperation.Create"/> carrying a <see cref="RecordWrite.CorrelationId"/> stores it on the new record so that
    /// <see cref="IRecordReader.FindByCorrelationIdsAsync(string, IReadOnlyList{string}, IReadOnlyDictionary{string, string}?, CorrelationLocation, CancellationToken)"/> finds it after a crash. Throws <see cref="ConnectorException"/> only when
    /// the whole batch could not be attempted (authentication, rate limit); the host then retries the batch later.
    /// </remarks>
    /// <param name="writes">The writes, all for one entity or several; may be empty.</param>
    /// <param name="cancellationToken">Cancels between remote calls; writes already sent stay written.</param>
    Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken);
}

/// <summary>What a write does.</summary>
public enum WriteOperation
{
    /// <summary>Creates a new record.</summary>
    Create = 0,

    /// <summary>Changes an existing record, identified by <see cref="RecordWrite.Id"/>.</summary>
    Update = 1,

    /// <summary>Creates or updates by <see cref="RecordWrite.ExternalIdField"/> and <see cref="RecordWrite.ExternalId"/>.</summary>
    Upsert = 2,
}

/// <summary>One write.</summary>
public sealed record RecordWrite
{
    /// <summary>What to do.</summary>
    public required WriteOperation Operation { get; init; }

    /// <summary>The entity.</summary>
    public required string Entity { get; init; }

    /// <summary>The remote id, for <see cref="WriteOperation.Update"/>; null otherwise.</summary>
    public string? Id { get; init; }

    /// <summary>For <see cref="WriteOperation.Upsert"/>: the external-id field to match on.</summary>
    public string? ExternalIdField { get; init; }

    /// <summary>For <see cref="WriteOperation.Upsert"/>: the value to match.</summary>
    public string? ExternalId { get; init; }

    /// <summary>PluginHub's correlation id for a create, stored where <see cref="Correlation"/> says; null for none.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Where to store <see cref="CorrelationId"/> (since contract 1.1); null for the connector's documented default.</summary>
    public CorrelationLocation? Correlation { get; init; }

    /// <summary>Container scope for a create (the Jira project); null for none.</summary>
    public IReadOnlyDictionary<string, string>? Scope { get; init; }

    /// <summary>The fields to set; only these are sent. A <see cref="NullValue"/> clears a field.</summary>
    public required IReadOnlyDictionary<string, FieldValue> Fields { get; init; }
}

/// <summary>The outcome of one <see cref="RecordWrite"/>.</summary>
public sealed record WriteResult
{
    /// <summary>True when the record was written; some fields may still be in <see cref="RejectedFields"/>.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The written record; null when the write failed.</summary>
    public RecordRef? Record { get; init; }

    /// <summary>True when the write created the record (also for an upsert that created).</summary>
    public bool Created { get; init; }

    /// <summary>The record's version after the write, when the API returns it.</summary>
    public string? Version { get; init; }

    /// <summary>Fields that could not be set although the record was written (an unreachable workflow status, an unknown user), with the reason each.</summary>
    public IReadOnlyDictionary<string, string> RejectedFields { get; init; } = new Dictionary<string, string>();

    /// <summary>Why the write failed; null when it succeeded.</summary>
    public WriteError? Error { get; init; }

    /// <summary>A successful result.</summary>
    /// <param name="record">The written record.</param>
    /// <param name="created">True when it was created.</param>
    public static WriteResult Success(RecordRef record, bool created) => new() { Succeeded = true, Record = record, Created = created };

    /// <summary>A failed result.</summary>
    /// <param name="kind">The kind of failure.</param>
    /// <param name="message">A readable reason without field values.</param>
    /// <param name="remoteCode">The remote error code, if any.</param>
    public static WriteResult Failure(FailureKind kind, string message, string? remoteCode = null) =>
        new() { Succeeded = false, Error = new WriteError(kind, message) { RemoteCode = remoteCode } };
}

/// <summary>Why one write failed.</summary>
/// <param name="Kind">Whether retrying can help.</param>
/// <param name="Message">A readable reason without field values (for example "Required field missing: Subject").</param>
public sealed record WriteError(FailureKind Kind, string Message)
{
    /// <summary>The remote error code (<c>REQUIRED_FIELD_MISSING</c>), or null.</summary>
    public string? RemoteCode { get; init; }

    /// <summary>The fields the remote system blamed, when it said.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];
}
