namespace PluginHub.Persistence.Entities;

// The stored shape. No column holds business data: field values, comment bodies and file bytes never reach the store.

public sealed class ConnectionEntity
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The plugin id (<c>salesforce</c>).</summary>
    public required string Connector { get; set; }

    /// <summary>The settings JSON, encrypted with Data Protection by the host before it gets here.</summary>
    public required string ProtectedSettings { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public sealed class IntegrationEntity
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Definition { get; set; }

    public bool Enabled { get; set; }

    public int Revision { get; set; }

    public int? PollSeconds { get; set; }

    public string? Cron { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>What a link connects: records, or comments and attachments of linked records.</summary>
public enum LinkKind
{
    Record = 0,
    Comment = 1,
    Attachment = 2,
}

/// <summary>Two records (or comments, or files) that are the same thing on both sides, with keyed hashes of what we last wrote.</summary>
public sealed class LinkEntity
{
    public long Id { get; set; }

    public Guid IntegrationId { get; set; }

    public LinkKind Kind { get; set; }

    public required string SourceId { get; set; }

    public required string TargetId { get; set; }

    /// <summary>PluginHub's correlation id written on the created record.</summary>
    public string? CorrelationId { get; set; }

    /// <summary>What was last seen of the source record: its version and a keyed hash (HMAC) per mapped field, as JSON; null when unknown.</summary>
    public string? SourceFingerprint { get; set; }

    public string? TargetFingerprint { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>The checkpoint of one direction of an integration, as the source connector produced it.</summary>
public sealed class WatermarkEntity
{
    public Guid IntegrationId { get; set; }

    /// <summary><c>toTarget</c> or <c>toSource</c>.</summary>
    public required string Direction { get; set; }

    public required string Value { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public sealed class RunEntity
{
    public Guid Id { get; set; }

    public Guid IntegrationId { get; set; }

    public required string Trigger { get; set; }

    public required string Status { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public int ReadCount { get; set; }

    public int CreatedCount { get; set; }

    public int UpdatedCount { get; set; }

    public int SkippedCount { get; set; }

    public int FailedCount { get; set; }

    public string? Message { get; set; }
}

/// <summary>A record that failed: its id and the reason, never its data. Retried by re-reading the source.</summary>
public sealed class RecordErrorEntity
{
    public long Id { get; set; }

    public Guid IntegrationId { get; set; }

    public Guid RunId { get; set; }

    public required string RecordId { get; set; }

    public required string Message { get; set; }
}
