using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;

namespace PluginHub.Connectors.Jira;

/// <summary>Creates Jira connectors. The plugin's entry point.</summary>
public sealed class JiraConnectorFactory : IConnectorFactory
{
    /// <summary>Validates the settings (no I/O) and creates a connector for one connection.</summary>
    /// <param name="context">The connection's settings, logger factory and clock.</param>
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new JiraConnector(JiraSettings.From(context.Settings), context.Time, context.LoggerFactory);
    }
}
