using System.Globalization;
using PluginHub.Sandbox.Hosting;
using PluginHub.Sandbox.Salesforce.Admin;
using PluginHub.Sandbox.Salesforce.Auth;
using PluginHub.Sandbox.Salesforce.Data;
using PluginHub.Sandbox.Salesforce.Endpoints;
using PluginHub.Sandbox.Salesforce.Outbound;
using PluginHub.Sandbox.Salesforce.Soql;

namespace PluginHub.Sandbox.Salesforce;

/// <summary>Options of the Salesforce sandbox that tests may change (the clock; everything else goes through the admin routes).</summary>
public sealed record SalesforceSandboxOptions
{
    /// <summary>The org's clock; null uses the server's <see cref="TimeProvider"/> (the system clock).</summary>
    public TimeProvider? Time { get; init; }
}

/// <summary>The Salesforce REST API emulator.</summary>
public sealed class SalesforceSandbox : ISandboxApi
{
    private readonly SalesforceSandboxOptions _options;

    public SalesforceSandbox()
        : this(new SalesforceSandboxOptions())
    {
    }

    public SalesforceSandbox(SalesforceSandboxOptions options)
    {
        _options = options;
    }

    public string Name => "salesforce";

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(sp => new SfOrg(_options.Time ?? sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SfSessions(sp.GetRequiredService<SfOrg>(), _options.Time ?? sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SfQueryService>();
        services.AddSingleton<SfRestApi>();
        services.AddSingleton<SfOutbound>();
        services.AddHttpClient(SfOutbound.ClientName);
        services.AddResponseCompression(o => o.MimeTypes = ["application/json", "application/octetstream", "text/xml"]);

        // Kestrel stops request lines at 8 KB; Salesforce accepts URIs up to 16 KB, which SfHttp.CheckUriLimits enforces.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestLineSize = 64 * 1024;
            o.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
        });
    }

    public void MapRoutes(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseResponseCompression(); // Salesforce gzips when asked (jsforce asks)
        app.Use(SfHttp.CheckUriLimitsAsync);
        SfOAuthEndpoints.Map(app);
        SfDataEndpoints.Map(app);
        SfAdminEndpoints.Map(app);
        app.Services.GetRequiredService<SfOutbound>().Start(app.Lifetime.ApplicationStopping);
    }

    /// <summary>Faults in Salesforce's error shape: REST error arrays, or OAuth error objects on the token endpoint.</summary>
    public async Task WriteFaultAsync(HttpContext context, FaultRule fault)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(fault);
        var status = fault.Status ?? 503;
        if (fault.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (context.Request.Path.StartsWithSegments("/services/oauth2"))
        {
            var (error, description) = status switch
            {
                400 => ("invalid_grant", "authentication failure"),
                429 or 403 => ("rate_limit_exceeded", "too many requests"),
                _ => ("server_error", "The server encountered an unexpected condition"),
            };
            await SfHttp.WriteAsync(context, SfResponse.Of(new System.Text.Json.Nodes.JsonObject { ["error"] = error, ["error_description"] = description }, status));
            return;
        }

        var (code, message) = status switch
        {
            400 => ("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records"),
            401 => ("INVALID_SESSION_ID", "Session expired or invalid"),
            403 => ("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
            404 => ("NOT_FOUND", "The requested resource does not exist"),
            429 => ("REQUEST_LIMIT_EXCEEDED", "ConcurrentRequests (Concurrent API Requests) Limit exceeded."),
            500 => ("UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)"),
            _ => ("SERVER_UNAVAILABLE", "Server temporarily unavailable. Please try again later."),
        };
        await SfHttp.WriteErrorAsync(context, status, code, message);
    }

    public void Reset(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var org = services.GetRequiredService<SfOrg>();
        var query = services.GetRequiredService<SfQueryService>();
        lock (org.Gate)
        {
            org.Reset(services.GetRequiredService<SandboxOptions>().Seed);
            query.Reset();
        }

        services.GetRequiredService<SfSessions>().Reset();
        services.GetRequiredService<SfOutbound>().Reset();
    }
}
