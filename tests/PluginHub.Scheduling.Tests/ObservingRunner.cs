using PluginHub.Core.Runs;

namespace PluginHub.Scheduling.Tests;

/// <summary>
/// The real runner, made slower by <see cref="Hold"/> and watched: how many runs are in progress at once, per integration
/// and in total. It lets a test see whether Quartz ever starts one integration twice at the same time.
/// </summary>
internal sealed class ObservingRunner(RecordingRunner inner) : IIntegrationRunner
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, int> _running = [];
    private readonly Dictionary<Guid, int> _maxRunning = [];
    private int _total;

    /// <summary>How long each run is held before the real runner records it; long enough for runs to overlap if they could.</summary>
    public static TimeSpan Hold { get; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The most runs of all integrations together that were in progress at one time.</summary>
    public int MaxTotal { get; private set; }

    public int MaxConcurrencyOf(Guid integrationId)
    {
        lock (_lock)
        {
            return _maxRunning.GetValueOrDefault(integrationId);
        }
    }

    public async Task<Run?> RunAsync(Guid integrationId, RunTrigger trigger, Guid? queuedRunId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var running = _running[integrationId] = _running.GetValueOrDefault(integrationId) + 1;
            _maxRunning[integrationId] = Math.Max(_maxRunning.GetValueOrDefault(integrationId), running);
            MaxTotal = Math.Max(MaxTotal, ++_total);
        }

        try
        {
            await Task.Delay(Hold, cancellationToken);
            return await inner.RunAsync(integrationId, trigger, queuedRunId, cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                _running[integrationId]--;
                _total--;
            }
        }
    }
}
