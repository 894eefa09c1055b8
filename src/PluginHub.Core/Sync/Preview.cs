namespace PluginHub.Core.Sync;

/// <summary>One thing a run would do to one record.</summary>
/// <param name="Direction">toTarget or toSource.</param>
/// <param name="Action">create, update, link (adopt a record found by correlation id) or skip.</param>
/// <param name="From">The record read: entity and key (or id).</param>
/// <param name="To">The record written: entity and key (or id); null for a create or a skip.</param>
/// <param name="Fields">The fields that would be written (names only, never values).</param>
/// <param name="Reason">Why a record is skipped or fails; null otherwise.</param>
public sealed record PlannedChange(string Direction, string Action, string From, string? To, IReadOnlyList<string> Fields, string? Reason);

/// <summary>What a dry run found: the planned changes and the API calls a real run would make per side.</summary>
/// <param name="Changes">The planned changes, at most the preview's limit.</param>
/// <param name="RecordsRead">Records read (the preview stops after its limit).</param>
/// <param name="Complete">False when the preview stopped at its limit before the end of the changes.</param>
/// <param name="EstimatedCalls">Side (source, target) → estimated API calls: the reads the preview made plus the writes it planned, in batches.</param>
public sealed record PreviewResult(IReadOnlyList<PlannedChange> Changes, int RecordsRead, bool Complete, IReadOnlyDictionary<string, int> EstimatedCalls);

/// <summary>Collects a dry run's plan. Thread-safe; shared by both directions of one preview.</summary>
public sealed class PreviewCollector(int maxRecords)
{
    private readonly Lock _lock = new();
    private readonly List<PlannedChange> _changes = [];
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal) { ["source"] = 0, ["target"] = 0 };
    private int _read;

    /// <summary>How many records the preview reads at most.</summary>
    public int MaxRecords { get; } = maxRecords;

    /// <summary>True once the limit is reached.</summary>
    public bool Full
    {
        get
        {
            lock (_lock)
            {
                return _read >= MaxRecords;
            }
        }
    }

    public bool Truncated { get; set; }

    public void Read(int records)
    {
        lock (_lock)
        {
            _read += records;
        }
    }

    public void Add(PlannedChange change)
    {
        lock (_lock)
        {
            _changes.Add(change);
        }
    }

    /// <summary>Counts <paramref name="calls"/> API calls on <paramref name="side"/>.</summary>
    public void Calls(Side side, int calls)
    {
        lock (_lock)
        {
            _calls[side == Side.Source ? "source" : "target"] += calls;
        }
    }

    public PreviewResult Result()
    {
        lock (_lock)
        {
            return new PreviewResult([.. _changes], _read, !Truncated, new Dictionary<string, int>(_calls));
        }
    }
}
