using System.Globalization;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Connections;
using PluginHub.Core.Sync;

namespace PluginHub.Host.Connections;

/// <summary>
/// Opens the connector of a stored connection for the sync engine: its plugin, with its settings decrypted. Connectors are
/// kept between runs (<see cref="ConnectorPool"/>) until their connection is saved again.
/// </summary>
internal sealed class ConnectorProvider(IConnectionStore connections, ConnectionService service, ConnectorPool pool) : IConnectorProvider
{
    public async Task<IConnector> OpenAsync(string connection, CancellationToken cancellationToken)
    {
        var stored = Guid.TryParse(connection, out var id) ? await connections.GetAsync(id, cancellationToken) : null;
        return stored is null
            ? throw new ConnectorException(FailureKind.Configuration, $"The connection '{connection}' does not exist any more.")
            : await pool.RentAsync($"{stored.Id}@{stored.UpdatedAt.Ticks.ToString(CultureInfo.InvariantCulture)}", () => service.Open(stored));
    }

    public ValueTask ReleaseAsync(IConnector connector) => pool.ReturnAsync(connector);
}
