namespace PluginHub.Connectors.Abstractions;

/// <summary>Metadata of a file attached to a record. The bytes travel as streams, never inside records.</summary>
public sealed record AttachmentInfo
{
    /// <summary>The remote id used to download the file.</summary>
    public required string Id { get; init; }

    /// <summary>The record the file is attached to.</summary>
    public required RecordRef Parent { get; init; }

    /// <summary>The file name including its extension.</summary>
    public required string FileName { get; init; }

    /// <summary>The MIME type; <c>application/octet-stream</c> when unknown.</summary>
    public string ContentType { get; init; } = "application/octet-stream";

    /// <summary>The size in bytes; null when the system does not say.</summary>
    public long? Size { get; init; }

    /// <summary>When the file was attached, in UTC.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>A content hash when the system offers one (Salesforce ContentVersion checksum); null otherwise.</summary>
    public string? Hash { get; init; }

    /// <summary>Who attached it, when known.</summary>
    public UserRef? Author { get; init; }
}
