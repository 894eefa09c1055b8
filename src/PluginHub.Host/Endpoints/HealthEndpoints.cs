using Microsoft.Extensions.Diagnostics.HealthChecks;
using PluginHub.Persistence;

namespace PluginHub.Host.Endpoints;

internal static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddPluginHubHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the database answers too. Neither needs the API key.</summary>
    public static IEndpointRouteBuilder MapPluginHubHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).WithTags("Health").WithName("Live");
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(ReadyTag) }).WithTags("Health").WithName("Ready");
        return app;
    }

    private sealed class DatabaseHealthCheck(DatabaseInitializer database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                return await database.CanConnectAsync(cancellationToken)
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("The database does not answer.");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("The database does not answer.", ex);
            }
        }
    }
}
