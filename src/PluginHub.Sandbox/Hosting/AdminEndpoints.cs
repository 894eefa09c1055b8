namespace PluginHub.Sandbox.Hosting;

/// <summary>The admin routes every sandbox serves under <c>/_sandbox/</c> (DESIGN §9). They need no credentials and are not counted.</summary>
internal static class AdminEndpoints
{
    public static void MapSandboxAdmin(this WebApplication app)
    {
        var admin = app.MapGroup(SandboxServer.AdminPrefix);
        admin.MapGet("/metrics", (SandboxMetrics metrics) => Results.Json(new { requests = metrics.Requests, byRoute = metrics.ByRoute }));
        admin.MapPost("/metrics/reset", (SandboxMetrics metrics) =>
        {
            metrics.Reset();
            return Results.NoContent();
        });
        admin.MapPost("/faults", (FaultRule rule, FaultInjector faults) =>
        {
            faults.Add(rule);
            return Results.NoContent();
        });
        admin.MapDelete("/faults", (FaultInjector faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        admin.MapPost("/latency", (LatencyRequest request, FaultInjector faults) =>
        {
            faults.LatencyMs = request.Ms;
            return Results.NoContent();
        });
        admin.MapPost("/reset", (IServiceProvider services, ISandboxApi api, SandboxMetrics metrics, FaultInjector faults) =>
        {
            faults.Clear();
            faults.LatencyMs = 0;
            metrics.Reset();
            api.Reset(services);
            return Results.NoContent();
        });
    }

    private sealed record LatencyRequest(int Ms);
}
