using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace PluginHub.Sandbox.Hosting;

/// <summary>One running sandbox: an emulated system on its own Kestrel port with the shared admin routes.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    public const string AdminPrefix = "/_sandbox";

    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, ISandboxApi api, Uri baseUrl)
    {
        _app = app;
        Api = api;
        BaseUrl = baseUrl;
    }

    public ISandboxApi Api { get; }

    /// <summary>The URL it listens on, without a trailing slash (the real port when started on port 0).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The sandbox's services, for tests that want to look at its state directly.</summary>
    public IServiceProvider Services => _app.Services;

    public static async Task<SandboxServer> StartAsync(ISandboxApi api, SandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(SandboxServer).Assembly.GetName().Name });
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(api);
        builder.Services.AddSingleton<SandboxMetrics>();
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton(TimeProvider.System);
        api.ConfigureServices(builder.Services);

        var app = builder.Build();
        app.UseRouting();
        app.Use(InjectAsync);
        app.MapSandboxAdmin();
        api.MapRoutes(app);
        api.Reset(app.Services);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxServer(app, api, new Uri(address.TrimEnd('/')));
    }

    /// <summary>Counts the call, then applies the injected latency and faults, before the emulated route runs.</summary>
    private static async Task InjectAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(AdminPrefix))
        {
            await next(context);
            return;
        }

        var services = context.RequestServices;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
        services.GetRequiredService<SandboxMetrics>().Count($"{context.Request.Method} /{route.TrimStart('/')}");

        var faults = services.GetRequiredService<FaultInjector>();
        var cancel = context.RequestAborted;
        if (faults.LatencyMs > 0)
        {
            await Task.Delay(faults.LatencyMs, cancel);
        }

        if (faults.Take(context.Request.Method, context.Request.Path.Value ?? "/") is { } fault)
        {
            if (fault.DelayMs is > 0)
            {
                await Task.Delay(fault.DelayMs.Value, cancel);
            }

            if (fault.Status is not null)
            {
                await services.GetRequiredService<ISandboxApi>().WriteFaultAsync(context, fault);
                return;
            }
        }

        await next(context);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
