namespace PluginHub.Sandbox.Hosting;

/// <summary>
/// An injected fault (<c>POST /_sandbox/faults</c>): the next <see cref="Times"/> requests whose path starts with
/// <see cref="PathPrefix"/> (and whose method matches, when given) answer <see cref="Status"/> after <see cref="DelayMs"/>.
/// Without a status the request is only delayed, then served normally (for timeouts).
/// </summary>
public sealed record FaultRule
{
    public string? Method { get; init; }

    public string PathPrefix { get; init; } = "/";

    public int? Status { get; init; }

    public int Times { get; init; } = 1;

    public int? RetryAfterSeconds { get; init; }

    public int? DelayMs { get; init; }
}

/// <summary>The active faults and the injected latency of one sandbox server. Thread-safe.</summary>
public sealed class FaultInjector
{
    private readonly List<(FaultRule Rule, int Left)> _faults = [];
    private readonly Lock _gate = new();
    private int _latencyMs;

    /// <summary>Latency added to every emulated call.</summary>
    public int LatencyMs
    {
        get => Volatile.Read(ref _latencyMs);
        set => Volatile.Write(ref _latencyMs, Math.Max(0, value));
    }

    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            _faults.Add((rule, Math.Max(1, rule.Times)));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Takes one use of the first fault that matches the request, or returns null.</summary>
    public FaultRule? Take(string method, string path)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f =>
                (f.Rule.Method is null || string.Equals(f.Rule.Method, method, StringComparison.OrdinalIgnoreCase))
                && path.StartsWith(f.Rule.PathPrefix, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return null;
            }

            var (rule, left) = _faults[index];
            if (left <= 1)
            {
                _faults.RemoveAt(index);
            }
            else
            {
                _faults[index] = (rule, left - 1);
            }

            return rule;
        }
    }
}
