using System.Collections.Concurrent;

namespace PluginHub.Core.Sync;

/// <summary>
/// Change notices from webhooks and outbound messages, kept only as record ids until a run of their integration takes
/// them: that run reads those records by id first, so an event is handled even before the remote search index sees it.
/// Memory only: a notice lost in a restart is caught by the next poll.
/// </summary>
public sealed class NoticeInbox
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, byte>> _pending = new();

    /// <summary>Adds notices for records of one side of an integration.</summary>
    /// <param name="integrationId">The integration.</param>
    /// <param name="side">The side the records live on.</param>
    /// <param name="ids">The records' remote ids.</param>
    public void Add(Guid integrationId, Side side, IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var pending = _pending.GetOrAdd(integrationId, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        foreach (var id in ids)
        {
            pending[SyncSide.ErrorId(side, id)] = 0;
        }
    }

    /// <summary>Takes every pending notice of an integration, named as run errors name records (<c>source/…</c>, <c>target/…</c>).</summary>
    /// <param name="integrationId">The integration.</param>
    public IReadOnlySet<string> Take(Guid integrationId) =>
        _pending.TryRemove(integrationId, out var pending) ? pending.Keys.ToHashSet(StringComparer.Ordinal) : new HashSet<string>();
}
