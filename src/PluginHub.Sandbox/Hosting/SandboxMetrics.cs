using System.Collections.Concurrent;

namespace PluginHub.Sandbox.Hosting;

/// <summary>Counts the emulated API calls per route template (<c>"GET /services/data/v{version}/query"</c>). Admin routes are not counted.</summary>
public sealed class SandboxMetrics
{
    private readonly ConcurrentDictionary<string, long> _byRoute = new(StringComparer.Ordinal);
    private long _requests;

    public long Requests => Interlocked.Read(ref _requests);

    public IReadOnlyDictionary<string, long> ByRoute => _byRoute.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public void Count(string route)
    {
        Interlocked.Increment(ref _requests);
        _byRoute.AddOrUpdate(route, 1, (_, n) => n + 1);
    }

    public void Reset()
    {
        _byRoute.Clear();
        Interlocked.Exchange(ref _requests, 0);
    }
}
