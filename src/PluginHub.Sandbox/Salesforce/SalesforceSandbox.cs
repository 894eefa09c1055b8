using PluginHub.Sandbox.Hosting;

namespace PluginHub.Sandbox.Salesforce;

/// <summary>The Salesforce REST API emulator.</summary>
public sealed class SalesforceSandbox : ISandboxApi
{
    public string Name => "salesforce";

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

        await context.Response.WriteAsJsonAsync(new[] { new { message = "Injected fault", errorCode = "SERVER_UNAVAILABLE" } });
    }

    public void Reset(IServiceProvider services)
    {
    }
}
