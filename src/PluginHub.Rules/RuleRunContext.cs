using PluginHub.Connectors.Abstractions;

namespace PluginHub.Rules;

/// <summary>Which way the records of a batch flow.</summary>
public enum RuleDirection
{
    /// <summary>Source → target (<c>"toTarget"</c> in scripts).</summary>
    ToTarget = 0,

    /// <summary>Target → source in a bi-directional integration (<c>"toSource"</c> in scripts).</summary>
    ToSource = 1,
}

/// <summary>
/// What a batch's <c>ctx</c> offers besides the record: the integration, the direction, the frozen clock and snapshot lookups.
/// Snapshots are plain dictionaries so that scripts do no I/O.
/// </summary>
public sealed record RuleRunContext
{
    /// <summary>The integration's name (<c>ctx.integration</c>).</summary>
    public required string IntegrationName { get; init; }

    /// <summary>The direction (<c>ctx.direction</c>).</summary>
    public RuleDirection Direction { get; init; } = RuleDirection.ToTarget;

    /// <summary>Named value maps for <c>ctx.mapValue(map, value)</c>: map name → (source value → target value). Keys are case-sensitive.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ValueMaps { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Users of the side being written, for <c>ctx.userByEmail(email)</c>; e-mail keys are compared case-insensitively.</summary>
    public IReadOnlyDictionary<string, UserRef> UsersByEmail { get; init; } = new Dictionary<string, UserRef>();

    /// <summary>
    /// The fields of the entity being written, when known: their <see cref="FieldSchema.Type"/> decides how a transform's plain
    /// values become typed values (see rules/README.md). Without it the kind of the mapped value, then the value's shape decides.
    /// </summary>
    public IReadOnlyDictionary<string, FieldSchema>? TargetFields { get; init; }

    /// <summary><c>ctx.now</c> and <c>new Date()</c> in scripts; null takes the time provider's clock when the batch starts.</summary>
    public DateTimeOffset? Now { get; init; }
}
