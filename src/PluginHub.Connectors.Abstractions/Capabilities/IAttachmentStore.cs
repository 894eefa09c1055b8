namespace PluginHub.Connectors.Abstractions;

/// <summary>Lists, downloads and uploads files of records. Capability <c>attachments</c>.</summary>
public interface IAttachmentStore
{
    /// <summary>
    /// Streams the metadata of files attached to many records of one entity at or after <paramref name="since"/>, in as few
    /// calls as the API allows. Must find files even when attaching them did not change the parent record.
    /// </summary>
    /// <param name="entity">The parents' entity.</param>
    /// <param name="parentIds">The parents' remote ids; may be empty.</param>
    /// <param name="since">Only files attached at or after this instant; null for all.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    IAsyncEnumerable<AttachmentInfo> ListAttachmentsAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>Opens the file's content for reading. The caller disposes the stream; the bytes are streamed, never buffered whole by the connector.</summary>
    /// <param name="attachment">The file, as listed.</param>
    /// <param name="cancellationToken">Cancels opening the stream.</param>
    /// <exception cref="ConnectorException">With <see cref="FailureKind.NotFound"/> when the file is gone.</exception>
    Task<Stream> OpenReadAsync(AttachmentInfo attachment, CancellationToken cancellationToken);

    /// <summary>Uploads a file to a record and returns its metadata. Not idempotent: the host links the returned id. The caller owns and disposes <paramref name="content"/>.</summary>
    /// <param name="parent">The record to attach to.</param>
    /// <param name="fileName">The file name including its extension.</param>
    /// <param name="contentType">The MIME type.</param>
    /// <param name="content">The bytes; read once, from its current position.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    Task<AttachmentInfo> UploadAsync(RecordRef parent, string fileName, string contentType, Stream content, CancellationToken cancellationToken);
}
