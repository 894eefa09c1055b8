namespace PluginHub.Scheduling;

/// <summary>Configuration section <c>PluginHub:Scheduling</c>.</summary>
public sealed class SchedulingOptions
{
    /// <summary>How often the reconciler re-reads the integrations table even without a change signal (another host may have changed it).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Parallel runs of different integrations.</summary>
    public int MaxConcurrentRuns { get; set; } = 4;

    /// <summary>When set, Quartz uses the clustered ADO store on this PostgreSQL database so several hosts share the work; otherwise its RAM store.</summary>
    public string? ClusteredPostgresConnectionString { get; set; }
}
