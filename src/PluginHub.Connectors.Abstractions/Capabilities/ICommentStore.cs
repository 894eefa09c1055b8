namespace PluginHub.Connectors.Abstractions;

/// <summary>Lists and adds comments of records. Capability <c>comments</c>.</summary>
public interface ICommentStore
{
    /// <summary>
    /// Streams the comments of many records of one entity, created or edited at or after <paramref name="since"/>,
    /// in as few calls as the API allows. Order: by creation time, oldest first, per parent.
    /// </summary>
    /// <param name="entity">The parents' entity.</param>
    /// <param name="parentIds">The parents' remote ids; may be empty.</param>
    /// <param name="since">Only comments created or edited at or after this instant; null for all.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    IAsyncEnumerable<Comment> ListCommentsAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>Adds a comment and returns it as stored. Not idempotent: the host links the returned id so that it never adds the same comment twice.</summary>
    /// <param name="parent">The record to comment on.</param>
    /// <param name="comment">The comment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Comment> AddCommentAsync(RecordRef parent, NewComment comment, CancellationToken cancellationToken);
}
