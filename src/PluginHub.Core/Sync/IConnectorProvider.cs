using PluginHub.Connectors.Abstractions;

namespace PluginHub.Core.Sync;

/// <summary>Opens connectors for the connections an integration names. The host implements it (plugins, decrypted settings).</summary>
public interface IConnectorProvider
{
    /// <summary>Opens a connector for one connection; the caller hands it back through <see cref="ReleaseAsync"/>.</summary>
    /// <param name="connection">The connection id as stored in the definition.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="ConnectorException">With <see cref="FailureKind.Configuration"/> when the connection or its plugin is unavailable.</exception>
    Task<IConnector> OpenAsync(string connection, CancellationToken cancellationToken);

    /// <summary>Hands back a connector after a run. By default it is disposed; a provider may keep it for the next run instead.</summary>
    /// <param name="connector">A connector this provider opened.</param>
    ValueTask ReleaseAsync(IConnector connector) => connector.DisposeAsync();
}
