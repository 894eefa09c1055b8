using System.Collections.Concurrent;

namespace PluginHub.Host.Webhooks;

/// <summary>
/// Delivery ids seen lately, so that a redelivered webhook triggers nothing twice. Bounded: the oldest ids are forgotten first
/// (a very late duplicate costs one extra run, which writes nothing because runs are idempotent).
/// </summary>
internal sealed class DeliveryLog
{
    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>True the first time an id is seen.</summary>
    public bool FirstTime(string deliveryId)
    {
        if (!_seen.TryAdd(deliveryId, 0))
        {
            return false;
        }

        _order.Enqueue(deliveryId);
        while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
        {
            _seen.TryRemove(oldest, out _);
        }

        return true;
    }
}
