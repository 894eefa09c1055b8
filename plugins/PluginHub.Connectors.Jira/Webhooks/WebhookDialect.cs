using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Jira.Webhooks;

/// <summary>One of Jira's admin webhook APIs: where it lives and how it wants a registration written.</summary>
internal sealed record WebhookDialect(string Path, Func<WebhookRegistration, string[], string, JsonObject> Body)
{
    /// <summary><c>/rest/webhooks/1.0/webhook</c>: Cloud and Server/Data Center up to 9.</summary>
    public static WebhookDialect Classic { get; } = new("rest/webhooks/1.0/webhook", (registration, events, jql) => WithSecret(registration, new JsonObject
    {
        ["name"] = registration.Name,
        ["url"] = registration.Url.ToString(),
        ["events"] = Array(events),
        ["filters"] = new JsonObject { ["issue-related-events-section"] = jql },
        ["excludeBody"] = false,
    }));

    /// <summary><c>/rest/jira-webhook/1.0/webhooks</c>: Data Center 10.</summary>
    public static WebhookDialect DataCenter10 { get; } = new("rest/jira-webhook/1.0/webhooks", (registration, events, jql) => WithSecret(registration, new JsonObject
    {
        ["name"] = registration.Name,
        ["url"] = registration.Url.ToString(),
        ["events"] = Array(events),
        ["active"] = true,
        ["configuration"] = new JsonObject { ["FILTERS"] = jql, ["EXCLUDE_BODY"] = "false" },
    }));

    private static JsonArray Array(string[] values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static JsonObject WithSecret(WebhookRegistration registration, JsonObject body)
    {
        if (registration.Secret is { Length: > 0 } secret)
        {
            body["secret"] = secret;
        }

        return body;
    }
}
