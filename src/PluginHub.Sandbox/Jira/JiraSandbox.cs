using PluginHub.Sandbox.Hosting;

namespace PluginHub.Sandbox.Jira;

/// <summary>Which Jira the sandbox pretends to be.</summary>
public enum JiraFlavor
{
    /// <summary>Jira Cloud: REST v2 and v3, <c>/search/jql</c>, accountId users.</summary>
    Cloud,

    /// <summary>Jira Server/Data Center: REST v2, offset <c>/search</c>, name/key users, personal access tokens.</summary>
    Server,
}

/// <summary>The Jira REST API emulator.</summary>
public sealed class JiraSandbox(JiraFlavor flavor) : ISandboxApi
{
    public JiraFlavor Flavor { get; } = flavor;

    public string Name => Flavor == JiraFlavor.Cloud ? "jira-cloud" : "jira-server";

    public void ConfigureServices(IServiceCollection services)
    {
    }

    public void MapRoutes(WebApplication app)
    {
    }

    public async Task WriteFaultAsync(HttpContext context, FaultRule fault)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(fault);
        context.Response.StatusCode = fault.Status ?? 503;
        if (fault.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsJsonAsync(new { errorMessages = new[] { "Injected fault" }, errors = new { } });
    }

    public void Reset(IServiceProvider services)
    {
    }
}
