namespace PluginHub.Sandbox.Hosting;

/// <summary>
/// One emulated system (Salesforce, Jira Cloud, Jira Server). The shared host gives every flavour the same admin surface
/// (<c>/_sandbox/metrics</c>, <c>faults</c>, <c>latency</c>, <c>reset</c>) and asks the flavour for its own routes,
/// its fault body and its reset.
/// </summary>
public interface ISandboxApi
{
    /// <summary>For logs: <c>salesforce</c>, <c>jira-cloud</c>, <c>jira-server</c>.</summary>
    string Name { get; }

    /// <summary>Registers the flavour's state and services (singletons: one instance per sandbox server).</summary>
    void ConfigureServices(IServiceCollection services);

    /// <summary>Maps the emulated REST routes and the flavour's own admin routes under <c>/_sandbox/</c>.</summary>
    void MapRoutes(WebApplication app);

    /// <summary>Writes the response of an injected fault in the system's real error shape (status, headers, body).</summary>
    Task WriteFaultAsync(HttpContext context, FaultRule fault);

    /// <summary>Drops every change and returns to the initial state (default users, then the seed data when a seed is set).</summary>
    void Reset(IServiceProvider services);
}
