namespace PluginHub.Connectors.Abstractions;

/// <summary>A comment on a record. Bodies only pass through memory; the host stores ids and hashes only.</summary>
public sealed record Comment
{
    /// <summary>The comment's remote id.</summary>
    public required string Id { get; init; }

    /// <summary>The record the comment belongs to.</summary>
    public required RecordRef Parent { get; init; }

    /// <summary>Who wrote it, when known.</summary>
    public UserRef? Author { get; init; }

    /// <summary>The body in the format the system stores it.</summary>
    public required RichTextValue Body { get; init; }

    /// <summary>When it was written, in UTC.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last edited, in UTC; null when never edited or unknown.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>False for internal notes (private Salesforce comments, restricted Jira comments).</summary>
    public bool IsPublic { get; init; } = true;
}

/// <summary>A comment to add.</summary>
/// <param name="Body">The body; the connector converts it to the system's format and truncates it to the system's limit, saying so in the text.</param>
/// <param name="IsPublic">False to add an internal note where the system supports it.</param>
public sealed record NewComment(RichTextValue Body, bool IsPublic = true);
