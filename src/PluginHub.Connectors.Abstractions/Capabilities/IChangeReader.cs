namespace PluginHub.Connectors.Abstractions;

/// <summary>Reads the records of an entity that changed since a watermark. Capability <c>readChanges</c>.</summary>
public interface IChangeReader
{
    /// <summary>
    /// Streams the changed records page by page, oldest change first. Each page ends in a checkpoint that certifies
    /// every change up to it: resuming from <see cref="ChangePage.Checkpoint"/> must neither skip a change nor return
    /// the same unchanged records forever (overlap windows and tie-breaks are the connector's job).
    /// </summary>
    /// <remarks>
    /// Re-reading a change already returned is allowed (the host dedupes); skipping one is a bug. The host saves a checkpoint
    /// only after it has handled every record before it. The enumeration is lazy: a page is fetched when the host asks for it,
    /// so memory stays bounded whatever the number of changes. A read yields at least one page, empty when nothing changed, so
    /// that a first run starting "now" has a checkpoint to resume from.
    /// </remarks>
    /// <param name="query">What to read.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    IAsyncEnumerable<ChangePage> ReadChangesAsync(ChangeQuery query, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IChangeReader.ReadChangesAsync"/> reads.</summary>
public sealed record ChangeQuery
{
    /// <summary>The entity to read.</summary>
    public required string Entity { get; init; }

    /// <summary>The fields to return (only these, for speed and to keep data minimal). The connector may add what it needs (ids, cursor).</summary>
    public required IReadOnlyList<string> Fields { get; init; }

    /// <summary>The checkpoint of the last handled page, exactly as the connector produced it; null on the first run.</summary>
    public string? Watermark { get; init; }

    /// <summary>On the first run (no watermark): only records changed at or after this instant; null for a start from "now"
    /// (no history), so that enabling an integration never floods the target unless asked to.</summary>
    public DateTimeOffset? InitialSince { get; init; }

    /// <summary>Container scope, e.g. <c>{"project": "SUP"}</c>; null for none.</summary>
    public IReadOnlyDictionary<string, string>? Scope { get; init; }

    /// <summary>A native filter fragment ANDed to the connector's own query (a SOQL WHERE fragment, a JQL fragment); null for none.</summary>
    public string? Filter { get; init; }

    /// <summary>True to also return deleted records (with <see cref="Record.Deleted"/> set).</summary>
    public bool IncludeDeleted { get; init; }

    /// <summary>A hint for the page size; the connector may use the remote system's own limit instead.</summary>
    public int? PageSizeHint { get; init; }
}

/// <summary>One page of changes.</summary>
/// <param name="Records">The changed records of this page, in change order; may be empty when only the checkpoint advanced.</param>
/// <param name="Checkpoint">An opaque watermark to resume from after every record of this and earlier pages is handled.</param>
public sealed record ChangePage(IReadOnlyList<Record> Records, string Checkpoint);
