using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Salesforce;

/// <summary>Creates Salesforce connectors. The plugin's entry point.</summary>
public sealed class SalesforceConnectorFactory : IConnectorFactory
{
    /// <inheritdoc />
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new SalesforceConnector(context);
    }
}
