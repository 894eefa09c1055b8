using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Connections;
using PluginHub.Core.Integrations;
using PluginHub.Host.Connections;

namespace PluginHub.Host.Webhooks;

/// <summary>What one side of an integration needs for events: where deliveries go and whether they are set up.</summary>
/// <param name="Side">source or target.</param>
/// <param name="Connector">The connector id (jira, salesforce).</param>
/// <param name="Url">The URL the remote system must post to (for Salesforce it carries the integration's key).</param>
/// <param name="Registered">True when the connector registered it through the remote API.</param>
/// <param name="ManualSetup">What an admin must do where the remote API cannot register it; null otherwise.</param>
/// <param name="Error">Why registration failed; null when it did not.</param>
internal sealed record EventSetup(string Side, string Connector, Uri Url, bool Registered, string? ManualSetup, string? Error);

/// <summary>
/// Keeps the remote webhook registrations of integrations with events on in line with their state: registered (idempotently)
/// when enabled and at start-up, removed when disabled or deleted. A failure never blocks the integration: polling goes on.
/// </summary>
internal sealed class WebhookRegistrar(
    IConnectionStore connections,
    ConnectionService connectionService,
    WebhookSecrets secrets,
    IOptions<PluginHubOptions> options,
    IServer server,
    ILogger<WebhookRegistrar> logger)
{
    // What genuine deliveries carry (the Salesforce org id), learned when registering; memory only, refilled on demand.
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _expected = new(StringComparer.Ordinal);

    /// <summary>Registers (or describes) the deliveries of every side that takes webhooks.</summary>
    public Task<IReadOnlyList<EventSetup>> EnsureAsync(Integration integration, CancellationToken cancellationToken) =>
        ForEachSideAsync(integration, async (connector, receiver, registration) =>
        {
            var result = await receiver.EnsureRegisteredAsync(registration, cancellationToken);
            _expected[$"{integration.Id:N}/{connector}"] = result.Expected;
            return (result.ManualSetup is null, result.ManualSetup);
        }, cancellationToken);

    /// <summary>Removes the registrations (a no-op where they were set up by hand).</summary>
    public Task<IReadOnlyList<EventSetup>> RemoveAsync(Integration integration, CancellationToken cancellationToken) =>
        ForEachSideAsync(integration, async (connector, receiver, registration) =>
        {
            await receiver.RemoveRegistrationAsync(registration, cancellationToken);
            _expected.TryRemove($"{integration.Id:N}/{connector}", out _);
            return (false, null);
        }, cancellationToken);

    /// <summary>What deliveries of an integration from a connector must carry; registers again to learn it when unknown.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ExpectedAsync(Integration integration, string connector, CancellationToken cancellationToken)
    {
        if (!_expected.TryGetValue($"{integration.Id:N}/{connector}", out var expected))
        {
            await EnsureAsync(integration, cancellationToken);
            expected = _expected.GetValueOrDefault($"{integration.Id:N}/{connector}");
        }

        return expected ?? new Dictionary<string, string>();
    }

    private async Task<IReadOnlyList<EventSetup>> ForEachSideAsync(
        Integration integration, Func<string, IWebhookReceiver, WebhookRegistration, Task<(bool Registered, string? Manual)>> action, CancellationToken cancellationToken)
    {
        var definition = integration.ParseDefinition();
        var setups = new List<EventSetup>();
        foreach (var (side, endpoint) in new[] { ("source", definition.Source), ("target", definition.Target) })
        {
            if (!Guid.TryParse(endpoint.Connection, out var id) || await connections.GetAsync(id, cancellationToken) is not { } connection)
            {
                continue;
            }

            var url = UrlFor(integration.Id, connection.Connector);
            try
            {
                await using var connector = connectionService.Open(connection);
                if (connector is not IWebhookReceiver receiver)
                {
                    continue;
                }

                var registration = new WebhookRegistration
                {
                    Name = $"PluginHub {integration.Name} ({integration.Id:N})",
                    Url = url,
                    Entity = endpoint.Entity,
                    Scope = endpoint.Scope,
                    Secret = secrets.For(integration.Id),
                };
                var (registered, manual) = await action(connection.Connector, receiver, registration);
                setups.Add(new EventSetup(side, connection.Connector, url, registered, manual, null));
            }
            catch (ConnectorException ex)
            {
                logger.LogWarning("Webhook registration of integration {IntegrationName} on {Connector} failed ({Kind}): {Message}; polling goes on",
                    integration.Name, connection.Connector, ex.Kind, ex.Message);
                setups.Add(new EventSetup(side, connection.Connector, url, false, null, $"{ex.Kind}: {ex.Message}"));
            }
        }

        return setups;
    }

    /// <summary>The delivery URL of an integration for a connector, on the host's public base URL.</summary>
    public Uri UrlFor(Guid integrationId, string connector)
    {
        var path = $"hooks/{connector}/{integrationId}";
        if (connector == "salesforce")
        {
            path += "?key=" + secrets.For(integrationId);
        }

        return new Uri(PublicBase(), path);
    }

    private Uri PublicBase()
    {
        var configured = options.Value.PublicUrl
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal))).FirstOrDefault()
            ?? new Uri("http://127.0.0.1:5000");
        return configured.AbsoluteUri.EndsWith('/') ? configured : new Uri(configured.AbsoluteUri + "/");
    }
}
