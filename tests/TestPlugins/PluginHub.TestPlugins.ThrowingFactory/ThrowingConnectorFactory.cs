using PluginHub.Connectors.Abstractions;

namespace PluginHub.TestPlugins.ThrowingFactory;

/// <summary>A factory whose constructor fails, as a plugin with a broken start-up would.</summary>
public sealed class ThrowingConnectorFactory : IConnectorFactory
{
    public const string Reason = "The test factory refuses to start.";

    public ThrowingConnectorFactory() => throw new InvalidOperationException(Reason);

    public IConnector Create(ConnectorContext context) => new BasicConnector("test-throwing-factory");
}
