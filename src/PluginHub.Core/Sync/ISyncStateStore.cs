namespace PluginHub.Core.Sync;

/// <summary>What a link connects: records, or comments and files of linked records.</summary>
public enum LinkKind
{
    Record = 0,
    Comment = 1,
    Attachment = 2,
}

/// <summary>One side of an integration: its source or its target.</summary>
public enum Side
{
    Source,
    Target,
}

/// <summary>
/// What PluginHub last saw of one side of a link: the record version and a keyed hash per mapped field, never a value.
/// A field whose hash still matches has not changed since we wrote or read it (echo suppression, conflict detection).
/// </summary>
/// <param name="Version">The record's version when last seen; null when unknown.</param>
/// <param name="Fields">Field name → keyed hash of its value.</param>
public sealed record SideState(string? Version, IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>Nothing seen yet.</summary>
    public static SideState Empty { get; } = new(null, new Dictionary<string, string>());
}

/// <summary>Two ids that are the same record (or comment, or file) on the source and target sides.</summary>
/// <param name="Kind">What is linked.</param>
/// <param name="SourceId">The id on the integration's source side.</param>
/// <param name="TargetId">The id on the integration's target side.</param>
public sealed record Link(LinkKind Kind, string SourceId, string TargetId)
{
    /// <summary>The correlation id written on the record created by PluginHub, if any.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>What was last seen of the source record.</summary>
    public SideState Source { get; init; } = SideState.Empty;

    /// <summary>What was last seen of the target record.</summary>
    public SideState Target { get; init; } = SideState.Empty;

    /// <summary>A link seen from the side records were read on: <paramref name="fromId"/> on <paramref name="from"/>, <paramref name="toId"/> on the other.</summary>
    public static Link Between(LinkKind kind, Side from, string fromId, string toId) =>
        from == Side.Source ? new Link(kind, fromId, toId) : new Link(kind, toId, fromId);

    /// <summary>The id on <paramref name="side"/>.</summary>
    /// <param name="side">The side.</param>
    public string IdOn(Side side) => side == Side.Source ? SourceId : TargetId;

    /// <summary>The state of <paramref name="side"/>.</summary>
    /// <param name="side">The side.</param>
    public SideState StateOf(Side side) => side == Side.Source ? Source : Target;

    /// <summary>This link with the state of <paramref name="side"/> replaced.</summary>
    /// <param name="side">The side.</param>
    /// <param name="state">The new state.</param>
    public Link With(Side side, SideState state) => side == Side.Source ? this with { Source = state } : this with { Target = state };
}

/// <summary>The sync engine's memory: links, what was last seen of each side, and checkpoints. Never field values.</summary>
public interface ISyncStateStore
{
    /// <summary>The links of an integration whose id on <paramref name="side"/> is one of <paramref name="ids"/>.</summary>
    Task<IReadOnlyList<Link>> FindLinksAsync(Guid integrationId, LinkKind kind, Side side, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>The ids on <paramref name="side"/> of every link of that kind (the parents whose comments and files are compared).</summary>
    Task<IReadOnlyList<string>> ListLinkedIdsAsync(Guid integrationId, LinkKind kind, Side side, CancellationToken cancellationToken);

    /// <summary>
    /// The ids among <paramref name="ids"/> that other integrations have linked (on either side): records another integration
    /// created or pairs, which this one must not copy again.
    /// </summary>
    Task<IReadOnlySet<string>> FindLinkedElsewhereAsync(Guid integrationId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>Adds or replaces links, matched on (kind, source id).</summary>
    Task SaveLinksAsync(Guid integrationId, IReadOnlyCollection<Link> links, CancellationToken cancellationToken);

    /// <summary>A checkpoint, or null.</summary>
    Task<string?> GetWatermarkAsync(Guid integrationId, string key, CancellationToken cancellationToken);

    /// <summary>Saves a checkpoint.</summary>
    Task SaveWatermarkAsync(Guid integrationId, string key, string value, CancellationToken cancellationToken);
}
