using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Connections;
using PluginHub.Core.Sync;

namespace PluginHub.Host.Connections;

/// <summary>
/// Opens the connector of a stored connection for the sync engine: its plugin, with its settings decrypted. Connectors handed
/// back after a run are kept for the next one, so that their login and described schemas are reused: an integration polling
/// every minute would otherwise log in to Salesforce every minute, and describe both systems every run.
/// </summary>
internal sealed class ConnectorProvider(IConnectionStore connections, ConnectionService service, TimeProvider time) : IConnectorProvider, IAsyncDisposable
{
    /// <summary>How long a connector is kept unused; schema changes in the remote systems show within this time.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<IConnector, Stamp> _lent = new(ReferenceEqualityComparer.Instance);
    private readonly List<(IConnector Connector, Stamp Stamp, DateTimeOffset Since)> _idle = [];

    public async Task<IConnector> OpenAsync(string connection, CancellationToken cancellationToken)
    {
        var stored = Guid.TryParse(connection, out var id) ? await connections.GetAsync(id, cancellationToken) : null;
        if (stored is null)
        {
            throw new ConnectorException(FailureKind.Configuration, $"The connection '{connection}' does not exist any more.");
        }

        // A connection saved since the connector was opened has other settings: that connector is stale.
        var stamp = new Stamp(stored.Id, stored.UpdatedAt);
        IConnector? reused = null;
        List<IConnector> stale;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            stale = [.. _idle.Where(i => now - i.Since > IdleLifetime || (i.Stamp.Connection == stamp.Connection && i.Stamp != stamp)).Select(i => i.Connector)];
            _idle.RemoveAll(i => stale.Contains(i.Connector));
            var index = _idle.FindIndex(i => i.Stamp == stamp);
            if (index >= 0)
            {
                reused = _idle[index].Connector;
                _idle.RemoveAt(index);
            }
        }

        await DisposeAllAsync(stale);
        var connector = reused ?? service.Open(stored);
        lock (_lock)
        {
            _lent[connector] = stamp;
        }

        return connector;
    }

    public async ValueTask ReleaseAsync(IConnector connector)
    {
        lock (_lock)
        {
            if (_lent.Remove(connector, out var stamp))
            {
                _idle.Add((connector, stamp, time.GetUtcNow()));
                return;
            }
        }

        await connector.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        List<IConnector> all;
        lock (_lock)
        {
            all = [.. _idle.Select(i => i.Connector)];
            _idle.Clear();
        }

        await DisposeAllAsync(all);
    }

    private static async Task DisposeAllAsync(IEnumerable<IConnector> connectors)
    {
        foreach (var connector in connectors)
        {
            await connector.DisposeAsync();
        }
    }

    /// <summary>Which connection, as saved when, a connector was opened for.</summary>
    private readonly record struct Stamp(Guid Connection, DateTime Saved);
}
