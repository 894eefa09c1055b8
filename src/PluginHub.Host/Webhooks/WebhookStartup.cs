using PluginHub.Core.Integrations;

namespace PluginHub.Host.Webhooks;

/// <summary>Once the host listens, re-registers the webhooks of enabled integrations with events on (they may have been removed remotely).</summary>
internal sealed class WebhookStartup(IHostApplicationLifetime lifetime, IIntegrationStore integrations, WebhookRegistrar registrar, ILogger<WebhookStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The public URL may come from the listening address, known only once the server has started.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task;
        }

        foreach (var integration in await integrations.ListAsync(stoppingToken))
        {
            if (integration.Enabled && integration.ParseDefinition() is { Events: true })
            {
                var setups = await registrar.EnsureAsync(integration, stoppingToken);
                foreach (var setup in setups.Where(s => s.ManualSetup is not null))
                {
                    logger.LogInformation("Integration {IntegrationName}: {Connector} deliveries must be set up by hand — {ManualSetup}", integration.Name, setup.Connector, setup.ManualSetup);
                }
            }
        }
    }
}
