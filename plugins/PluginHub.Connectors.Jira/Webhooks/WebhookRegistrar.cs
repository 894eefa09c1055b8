using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Read;

namespace PluginHub.Connectors.Jira.Webhooks;

/// <summary>
/// Registers admin webhooks, found again by name or URL so that a restart never adds a second one: the classic API
/// (<c>/rest/webhooks/1.0/webhook</c>, Cloud and Server), or Data Center 10's (<c>/rest/jira-webhook/1.0/webhooks</c>) where the
/// classic one is gone. Cloud's dynamic webhooks (<c>/rest/api/3/webhook</c>) are for Connect and OAuth apps only and refuse
/// API tokens; without Jira admin rights the registration is left to an admin (<see cref="WebhookRegistrationResult.ManualSetup"/>).
/// </summary>
internal sealed class WebhookRegistrar(JiraApi api)
{
    /// <summary>What a registration subscribes to: issue changes, and comments and files (which a poll finds through <c>updated</c> too).</summary>
    private static readonly string[] Events =
    [
        "jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated", "comment_deleted",
        "attachment_created", "attachment_deleted",
    ];

    public async Task<WebhookRegistrationResult> EnsureAsync(WebhookRegistration registration, CancellationToken cancellationToken)
    {
        var (dialect, list) = await ListAsync(cancellationToken);
        if (dialect is null)
        {
            return Manual(registration, list.Status);
        }

        var body = dialect.Body(registration, Events, Filter(registration));
        if (Find(list.Body, registration) is { } existing)
        {
            var id = Id(existing);
            await api.SendAsync(HttpMethod.Put, $"{dialect.Path}/{id}", "Updating the webhook", cancellationToken, body);
            return new WebhookRegistrationResult { RemoteId = id, Created = false };
        }

        var created = await api.SendAsync(HttpMethod.Post, dialect.Path, "Registering the webhook", cancellationToken, body);
        return new WebhookRegistrationResult { RemoteId = created.Body is JsonObject o ? Id(o) : null, Created = true };
    }

    public async Task RemoveAsync(WebhookRegistration registration, CancellationToken cancellationToken)
    {
        var (dialect, list) = await ListAsync(cancellationToken);
        if (dialect is not null && Find(list.Body, registration) is { } existing)
        {
            await api.SendAsync(HttpMethod.Delete, $"{dialect.Path}/{Id(existing)}", "Removing the webhook", cancellationToken, handled: status => status == 404);
        }
    }

    /// <summary>The registrations, from the first API this Jira serves; no dialect when none lets us in.</summary>
    private async Task<(WebhookDialect? Dialect, JiraResponse List)> ListAsync(CancellationToken cancellationToken)
    {
        JiraResponse list = new(404, null);
        foreach (var dialect in api.Settings.IsCloud ? [WebhookDialect.Classic] : new[] { WebhookDialect.Classic, WebhookDialect.DataCenter10 })
        {
            list = await api.GetAsync(dialect.Path, "Listing webhooks", cancellationToken, handled: status => status is 401 or 403 or 404);
            if (list.IsSuccess)
            {
                return (dialect, list);
            }

            if (list.Status != 404)
            {
                break;
            }
        }

        return (null, list);
    }

    private static JsonObject? Find(JsonNode? list, WebhookRegistration registration) =>
        (list as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(w => (string?)w["name"] == registration.Name)
        ?? (list as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(w => Uri.TryCreate((string?)w["url"], UriKind.Absolute, out var url) && url == registration.Url);

    /// <summary>The id: <c>id</c> where given, else the last segment of <c>self</c> (…/webhook/12).</summary>
    private static string Id(JsonObject webhook) =>
        webhook["id"]?.ToString() ?? ((string?)webhook["self"])?.TrimEnd('/').Split('/')[^1] ?? throw new ConnectorException(FailureKind.Internal, "Jira returned a webhook without an id.");

    private static string Filter(WebhookRegistration registration) => Jql.Entity(registration.Entity, Scope.Project(registration.Scope));

    private static WebhookRegistrationResult Manual(WebhookRegistration registration, int status) => new()
    {
        ManualSetup = $"Jira did not let the connection register webhooks (HTTP {status}; it takes a Jira administrator). Ask an admin to add one under "
            + $"System → WebHooks: name '{registration.Name}', URL {registration.Url}, events: {string.Join(", ", Events)}, "
            + $"JQL filter: {Filter(registration)}{(registration.Secret is null ? "" : ", and the integration's webhook secret")}.",
    };
}
