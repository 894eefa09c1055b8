using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Connections;
using PluginHub.Core.Integrations;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Core.Runs;
using PluginHub.Core.Sync;
using PluginHub.Host.Connections;
using PluginHub.Host.Webhooks;
using PluginHub.Scheduling;

namespace PluginHub.Host.Endpoints;

/// <summary>
/// Webhook ingress: Jira webhooks and Salesforce outbound messages for integrations with events on. Each delivery is
/// authenticated for its integration, parsed by the connector into record ids, deduplicated, and triggers a run at once.
/// </summary>
internal static class HookEndpoints
{
    public static IEndpointRouteBuilder MapHookEndpoints(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/hooks").WithTags("Webhooks").AllowAnonymous();
        hooks.MapPost("/jira/{integrationId:guid}", (Guid integrationId, HttpContext http, Ingress ingress) => ingress.ReceiveAsync(integrationId, "jira", http))
            .WithName("JiraWebhook").WithSummary("Receives Jira webhooks for an integration; verifies X-Hub-Signature.");
        hooks.MapPost("/salesforce/{integrationId:guid}", (Guid integrationId, HttpContext http, Ingress ingress) => ingress.ReceiveAsync(integrationId, "salesforce", http))
            .WithName("SalesforceOutboundMessage").WithSummary("Receives Salesforce outbound messages for an integration (?key=… from the set-up) and acknowledges them.");
        return app;
    }

    internal sealed class Ingress(
        IIntegrationStore integrations,
        IConnectionStore connections,
        ConnectionService connectionService,
        WebhookSecrets secrets,
        DeliveryLog deliveries,
        NoticeInbox inbox,
        RunStarter runs,
        WebhookRegistrar registrar,
        ILogger<Ingress> logger)
    {
        public async Task<IResult> ReceiveAsync(Guid integrationId, string system, HttpContext http)
        {
            var ct = http.RequestAborted;
            var integration = await integrations.GetAsync(integrationId, ct);
            var definition = integration is { Enabled: true } ? integration.ParseDefinition() : null;
            if (integration is null || definition is not { Events: true })
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No integration here takes events.");
            }

            var sides = new List<(Side Side, EndpointDefinition Endpoint, Connection Connection)>();
            foreach (var (side, endpoint) in new[] { (Side.Source, definition.Source), (Side.Target, definition.Target) })
            {
                if (Guid.TryParse(endpoint.Connection, out var id) && await connections.GetAsync(id, ct) is { } connection && connection.Connector == system)
                {
                    sides.Add((side, endpoint, connection));
                }
            }

            if (sides.Count == 0)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"The integration has no {system} side.");
            }

            // Salesforce does not sign outbound messages: the integration's secret travels in the URL set up in Salesforce.
            if (system == "salesforce" && !secrets.Matches(integrationId, http.Request.Query["key"]))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The delivery is not authenticated.");
            }

            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, ct);
            var request = new WebhookRequest
            {
                Method = http.Request.Method,
                Headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                Body = body.ToArray(),
            };

            await using var connector = connectionService.Open(sides[0].Connection);
            if (connector is not IWebhookReceiver receiver)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"The {system} connector does not take webhooks.");
            }

            var expected = await registrar.ExpectedAsync(integration, system, ct);
            var parsed = receiver.Parse(request, new WebhookVerification { Secret = secrets.For(integrationId), Expected = expected });
            if (!parsed.Accepted)
            {
                logger.LogWarning("A {System} delivery for integration {IntegrationName} was rejected: {Reason}", system, integration.Name, parsed.RejectionReason);
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The delivery is not authenticated.", detail: parsed.RejectionReason);
            }

            if (parsed.DeliveryId is null || deliveries.FirstTime($"{integrationId:N}/{parsed.DeliveryId}"))
            {
                var changed = 0;
                foreach (var (side, endpoint, _) in sides)
                {
                    var ids = parsed.Notices.Where(n => !n.Deleted && n.Record.Entity == endpoint.Entity).Select(n => n.Record.Id).ToList();
                    inbox.Add(integrationId, side, ids);
                    changed += ids.Count;
                }

                if (changed > 0)
                {
                    logger.LogInformation("{System} reported {Count} changed record(s) for integration {IntegrationName}; running it now", system, changed, integration.Name);
                    await runs.StartNowAsync(integrationId, RunTrigger.Event, ct);
                }
            }
            else
            {
                logger.LogDebug("Duplicate {System} delivery {DeliveryId} ignored", system, parsed.DeliveryId);
            }

            return parsed.Acknowledgement is { } ack
                ? TypedResults.Text(ack.Body, ack.ContentType, statusCode: ack.StatusCode)
                : TypedResults.NoContent();
        }
    }
}
