using System.Collections.Concurrent;

namespace PluginHub.Connectors.Jira.Write;

/// <summary>
/// Lets one write at a time touch an issue. Jira Cloud limits writes per issue (reference §8.2) and concurrent edits of one
/// issue conflict (409), while edits of different issues may run side by side.
/// </summary>
internal sealed class IssueGate
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public async Task<T> RunAsync<T>(string issueId, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(issueId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            gate.Release();
        }
    }
}
