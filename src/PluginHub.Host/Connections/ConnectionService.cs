using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Connections;
using PluginHub.Plugins;

namespace PluginHub.Host.Connections;

/// <summary>Connections with their plugin: validation against the plugin's schema, encryption, masking, and opening a connector.</summary>
public sealed class ConnectionService(SettingsProtector protector, PluginCatalog plugins, ILoggerFactory loggers, TimeProvider time)
{
    // Plugins are loaded once per process, so each schema is compiled once.
    private readonly ConcurrentDictionary<string, SettingsSchema> _schemas = new(StringComparer.Ordinal);

    /// <summary>The schema of an Active plugin, or the reason why the plugin cannot be used.</summary>
    public (SettingsSchema? Schema, string? Problem) SchemaOf(string connector)
    {
        var plugin = plugins.Find(connector);
        return plugin switch
        {
            null => (null, $"No connector plugin '{connector}' is installed. Installed: {string.Join(", ", plugins.Plugins.Select(p => p.Id))}."),
            { Status: not PluginStatus.Active } => (null, $"Connector plugin '{connector}' is {plugin.Status}: {plugin.Error}"),
            _ => (_schemas.GetOrAdd(connector, _ => new SettingsSchema(plugin.SettingsSchema)), null),
        };
    }

    public ConnectionDto ToDto(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var settings = protector.Unprotect(connection.ProtectedSettings);

        // Without its plugin the schema is unknown, and so are the secrets: show no settings at all rather than guess.
        var schema = SchemaOf(connection.Connector).Schema;
        return new ConnectionDto(connection.Id, connection.Name, connection.Connector,
            schema?.Mask(settings) ?? [], schema?.SecretsSet(settings) ?? [], connection.CreatedAt, connection.UpdatedAt);
    }

    /// <summary>The decrypted settings (for merging an update); never returned by the API.</summary>
    public JsonObject SettingsOf(Connection connection) => protector.Unprotect(connection.ProtectedSettings);

    public string Protect(JsonObject settings) => protector.Protect(settings);

    /// <summary>Creates a connector for the connection; the caller disposes it.</summary>
    /// <exception cref="ConnectorException">When the plugin is unavailable or rejects the settings.</exception>
    public IConnector Open(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var settings = JsonDocument.Parse(protector.Unprotect(connection.ProtectedSettings).ToJsonString());
        return plugins.CreateConnector(connection.Connector, new ConnectorContext
        {
            ConnectionId = connection.Id.ToString(),
            Settings = settings.RootElement.Clone(),
            LoggerFactory = loggers,
            Time = time,
        });
    }
}
