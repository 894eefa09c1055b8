namespace PluginHub.Connectors.Abstractions;

/// <summary>
/// Lists new comments and files of a whole entity by time. Capability <c>activityFeed</c>: with it, finding what happened
/// since the last run costs a few calls however many records are linked; without it the host asks
/// <see cref="ICommentStore.ListCommentsAsync"/> and <see cref="IAttachmentStore.ListAttachmentsAsync"/> about every linked
/// record. A connector with this capability also has <see cref="ICommentStore"/>, <see cref="IAttachmentStore"/> or both; it
/// answers only for those.
/// </summary>
public interface IActivityFeed
{
    /// <summary>
    /// Streams the comments created or edited at or after <paramref name="since"/> on any record of <paramref name="entity"/>
    /// within <paramref name="scope"/>. Comments of records the host does not know may come too: it keeps those whose
    /// <see cref="Comment.Parent"/> it has linked. Order: oldest first, per parent.
    /// </summary>
    /// <param name="entity">The parents' entity.</param>
    /// <param name="scope">The parents' container (<c>{"project": "SUP"}</c>); null for none.</param>
    /// <param name="since">Only comments created or edited at or after this instant.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    IAsyncEnumerable<Comment> ListCommentsSinceAsync(string entity, IReadOnlyDictionary<string, string>? scope, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the metadata of files attached at or after <paramref name="since"/> to any record of <paramref name="entity"/>
    /// within <paramref name="scope"/>, including files whose attaching did not change the parent record. Files of records the
    /// host does not know may come too: it keeps those whose <see cref="AttachmentInfo.Parent"/> it has linked.
    /// </summary>
    /// <param name="entity">The parents' entity.</param>
    /// <param name="scope">The parents' container; null for none.</param>
    /// <param name="since">Only files attached at or after this instant.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    IAsyncEnumerable<AttachmentInfo> ListAttachmentsSinceAsync(string entity, IReadOnlyDictionary<string, string>? scope, DateTimeOffset since, CancellationToken cancellationToken);
}
