using System.Text.Json;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.TestPlugins.Good;

/// <summary>Creates <see cref="GoodConnector"/>s; reads the optional <c>greeting</c> setting.</summary>
public sealed class GoodConnectorFactory : IConnectorFactory
{
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var greeting = context.Settings.ValueKind == JsonValueKind.Object && context.Settings.TryGetProperty("greeting", out var value)
            ? value.GetString()
            : null;
        if (greeting is { Length: > 20 })
        {
            throw new ConnectorException(FailureKind.Configuration, "The greeting is longer than 20 characters.");
        }

        return new GoodConnector(context.ConnectionId, greeting ?? "value", context.Time);
    }
}
