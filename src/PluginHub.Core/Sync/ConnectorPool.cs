using PluginHub.Connectors.Abstractions;

namespace PluginHub.Core.Sync;

/// <summary>
/// Keeps connectors handed back after a run for the next run of the same connection, so that their login and described
/// schemas are reused: an integration polling every minute would otherwise log in to Salesforce every minute and describe
/// both systems every run. Thread-safe; a connector is lent to one run at a time.
/// </summary>
public sealed class ConnectorPool(TimeProvider time) : IAsyncDisposable
{
    /// <summary>How long a connector is kept unused; schema changes in the remote systems show within this time.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<IConnector, string> _lent = new(ReferenceEqualityComparer.Instance);
    private readonly List<(IConnector Connector, string Key, DateTimeOffset Since)> _idle = [];

    /// <summary>An idle connector opened under <paramref name="key"/>, or a new one.</summary>
    /// <param name="key">What the connector was opened for: the connection and the version of its settings, so that a connection
    /// saved since is opened afresh.</param>
    /// <param name="open">Opens a new connector.</param>
    public async Task<IConnector> RentAsync(string key, Func<IConnector> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        IConnector? connector = null;
        List<IConnector> expired;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            expired = [.. _idle.Where(i => now - i.Since > IdleLifetime).Select(i => i.Connector)];
            _idle.RemoveAll(i => now - i.Since > IdleLifetime);
            var index = _idle.FindLastIndex(i => i.Key == key);
            if (index >= 0)
            {
                connector = _idle[index].Connector;
                _idle.RemoveAt(index);
            }
        }

        await DisposeAllAsync(expired);
        connector ??= open();
        lock (_lock)
        {
            _lent[connector] = key;
        }

        return connector;
    }

    /// <summary>Takes back a connector this pool lent; disposes any other.</summary>
    /// <param name="connector">The connector a run is done with.</param>
    public async ValueTask ReturnAsync(IConnector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        lock (_lock)
        {
            if (_lent.Remove(connector, out var key))
            {
                _idle.Add((connector, key, time.GetUtcNow()));
                return;
            }
        }

        await connector.DisposeAsync();
    }

    /// <summary>Disposes the idle connectors.</summary>
    public async ValueTask DisposeAsync()
    {
        List<IConnector> idle;
        lock (_lock)
        {
            idle = [.. _idle.Select(i => i.Connector)];
            _idle.Clear();
        }

        await DisposeAllAsync(idle);
    }

    private static async Task DisposeAllAsync(IEnumerable<IConnector> connectors)
    {
        foreach (var connector in connectors)
        {
            await connector.DisposeAsync();
        }
    }
}
