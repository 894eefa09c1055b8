namespace PluginHub.Core.Connections;

/// <summary>A stored connection: which plugin, and its settings encrypted by the host (never in clear text at rest).</summary>
public sealed record Connection
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The plugin id (<c>salesforce</c>, <c>jira</c>).</summary>
    public required string Connector { get; init; }

    /// <summary>The settings JSON as protected (encrypted) by the host.</summary>
    public required string ProtectedSettings { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }
}
