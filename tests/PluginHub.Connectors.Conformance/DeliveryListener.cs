using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Conformance;

/// <summary>
/// A local HTTP endpoint that stands in for PluginHub's webhook ingress: it records every request exactly as received
/// (method, headers, raw body) and answers 200, so that tests can hand real deliveries to <see cref="IWebhookReceiver.Parse"/>.
/// </summary>
public sealed class DeliveryListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<WebhookRequest> _received = new();

    private DeliveryListener(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The URL deliveries are posted to (any path under it is accepted).</summary>
    public Uri Url { get; }

    /// <summary>Answers a delivery the way PluginHub would (a Salesforce acknowledgement, say), so the sender stops retrying; plain 200 when null.</summary>
    public Func<WebhookRequest, WebhookResponse?>? Respond { get; set; }

    /// <summary>Every request received so far, oldest first.</summary>
    public IReadOnlyList<WebhookRequest> Received => [.. _received];

    /// <summary>Starts listening on a free port of 127.0.0.1.</summary>
    public static async Task<DeliveryListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        DeliveryListener? listener = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var request = new WebhookRequest
            {
                Method = context.Request.Method,
                Headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                Body = body.ToArray(),
            };
            listener!._received.Enqueue(request);
            if (listener.Respond?.Invoke(request) is { } answer)
            {
                context.Response.StatusCode = answer.StatusCode;
                context.Response.ContentType = answer.ContentType;
                await context.Response.WriteAsync(answer.Body, context.RequestAborted);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        listener = new DeliveryListener(app, new Uri(address.TrimEnd('/') + "/hooks/conformance"));
        return listener;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
