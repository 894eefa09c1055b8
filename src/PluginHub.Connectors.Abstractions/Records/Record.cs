namespace PluginHub.Connectors.Abstractions;

/// <summary>
/// One record read from a remote system, in the generic model shared by connectors, rules, the API and tests.
/// Records only pass through memory: the host never stores their field values.
/// </summary>
public sealed record Record
{
    /// <summary>Which record this is.</summary>
    public required RecordRef Ref { get; init; }

    /// <summary>An opaque version that changes on every change of the record (SystemModstamp, <c>updated</c>, an ETag).</summary>
    public required string Version { get; init; }

    /// <summary>When the record was last modified, in UTC.</summary>
    public required DateTimeOffset ModifiedAt { get; init; }

    /// <summary>Who made the last change, when the system says; null otherwise. Used for echo suppression and reporting.</summary>
    public UserRef? ModifiedBy { get; init; }

    /// <summary>True when the record was deleted; its <see cref="Fields"/> may then be empty.</summary>
    public bool Deleted { get; init; }

    /// <summary>
    /// Field values keyed by the field name of <see cref="EntitySchema"/>. Contains only the fields that were asked for
    /// (and that exist); a field present with <see cref="NullValue"/> is empty on the remote side, a missing key was not read.
    /// </summary>
    public required IReadOnlyDictionary<string, FieldValue> Fields { get; init; }
}
