using PluginHub.Connectors.Abstractions;

namespace PluginHub.TestPlugins.TwoFactories;

/// <summary>A second factory beside <see cref="BasicConnectorFactory"/>: the host cannot tell which is the entry point.</summary>
public sealed class SecondConnectorFactory : IConnectorFactory
{
    public IConnector Create(ConnectorContext context) => new BasicConnector("test-two-factories");
}
