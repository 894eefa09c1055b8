namespace PluginHub.Connectors.Abstractions;

/// <summary>
/// The names of the optional capabilities as a manifest declares them (<c>"capabilities": ["readChanges", "write"]</c>),
/// and the interface behind each. The host refuses a plugin that declares a capability its connector does not implement.
/// </summary>
public static class ConnectorCapabilities
{
    /// <summary><see cref="IChangeReader"/>.</summary>
    public const string ReadChanges = "readChanges";

    /// <summary><see cref="IRecordReader"/>.</summary>
    public const string ReadById = "readById";

    /// <summary><see cref="IRecordWriter"/>.</summary>
    public const string Write = "write";

    /// <summary><see cref="ICommentStore"/>.</summary>
    public const string Comments = "comments";

    /// <summary><see cref="IAttachmentStore"/>.</summary>
    public const string Attachments = "attachments";

    /// <summary><see cref="IWebhookReceiver"/>.</summary>
    public const string Webhooks = "webhooks";

    /// <summary><see cref="IActivityFeed"/> (contract 1.2).</summary>
    public const string ActivityFeed = "activityFeed";

    /// <summary>Every capability name with its interface.</summary>
    public static IReadOnlyDictionary<string, Type> All { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [ReadChanges] = typeof(IChangeReader),
        [ReadById] = typeof(IRecordReader),
        [Write] = typeof(IRecordWriter),
        [Comments] = typeof(ICommentStore),
        [Attachments] = typeof(IAttachmentStore),
        [Webhooks] = typeof(IWebhookReceiver),
        [ActivityFeed] = typeof(IActivityFeed),
    };

    /// <summary>The capability names a connector type implements, in a stable order.</summary>
    /// <param name="connectorType">A type implementing <see cref="IConnector"/>.</param>
    public static IReadOnlyList<string> ImplementedBy(Type connectorType)
    {
        ArgumentNullException.ThrowIfNull(connectorType);
        return [.. All.Where(c => c.Value.IsAssignableFrom(connectorType)).Select(c => c.Key).Order(StringComparer.Ordinal)];
    }
}
