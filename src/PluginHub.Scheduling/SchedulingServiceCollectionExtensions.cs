using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace PluginHub.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>Registers Quartz (RAM store, or the clustered PostgreSQL store), the sync job, the reconciler and the run starter.</summary>
    public static IServiceCollection AddPluginHubScheduling(this IServiceCollection services, SchedulingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => o.InstanceName = "PluginHub");
            q.UseDefaultThreadPool(Math.Max(1, options.MaxConcurrentRuns));
            if (options.ClusteredPostgresConnectionString is { } postgres)
            {
                q.UsePersistentStore(s =>
                {
                    s.UsePostgres(postgres);
                    s.UseSystemTextJsonSerializer();
                    s.UseClustering();
                    s.ProvisionSchema();
                });
            }
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddSingleton<ScheduleReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduleReconciler>());
        services.AddSingleton<RunStarter>();
        return services;
    }
}
