using PluginHub.Connectors.Abstractions;

namespace PluginHub.TestPlugins.PrivateDependency;

/// <summary>Creates <see cref="PrivateDependencyConnector"/>s.</summary>
public sealed class PrivateDependencyConnectorFactory : IConnectorFactory
{
    public IConnector Create(ConnectorContext context) => new PrivateDependencyConnector();
}
