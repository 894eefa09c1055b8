using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Jira;

/// <summary>Creates Jira connectors. The plugin's entry point.</summary>
public sealed class JiraConnectorFactory : IConnectorFactory
{
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new JiraConnector();
    }
}
