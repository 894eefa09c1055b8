using PluginHub.Connectors.Abstractions;

namespace PluginHub.TestPlugins;

/// <summary>Creates <see cref="BasicConnector"/>s named after the plugin assembly. Linked into the test plugins that need it.</summary>
public sealed class BasicConnectorFactory : IConnectorFactory
{
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new BasicConnector(typeof(BasicConnectorFactory).Assembly.GetName().Name ?? "test plugin");
    }
}
