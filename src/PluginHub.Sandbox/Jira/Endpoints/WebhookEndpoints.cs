using System.Text.Json.Nodes;
using PluginHub.Sandbox.Jira.Model;

namespace PluginHub.Sandbox.Jira.Endpoints;

/// <summary>Admin webhooks, <c>/rest/webhooks/1.0/webhook</c> (reference §9.1): Jira administrators only.</summary>
internal static class WebhookEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/rest/webhooks/1.0/webhook");
        hooks.MapGet("", JiraCall.Handle("2", ListAsync));
        hooks.MapPost("", JiraCall.Handle("2", CreateAsync));
        hooks.MapGet("/{id}", JiraCall.Handle("2", GetAsync));
        hooks.MapPut("/{id}", JiraCall.Handle("2", UpdateAsync));
        hooks.MapDelete("/{id}", JiraCall.Handle("2", DeleteAsync));
    }

    /// <summary>Data Center 10's webhook API, <c>/rest/jira-webhook/1.0/webhooks</c>: same registrations, another shape.</summary>
    public static void MapDataCenter10(IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/rest/jira-webhook/1.0/webhooks");
        hooks.MapGet("", JiraCall.Handle("2", call =>
        {
            Admin(call);
            lock (call.Store.Gate)
            {
                return call.OkAsync(new JsonArray(call.Store.Webhooks.Select(w => (JsonNode)Dc10(w)).ToArray()));
            }
        }));
        hooks.MapPost("", JiraCall.Handle("2", async call =>
        {
            var admin = Admin(call);
            var body = FromDc10(await call.ReadObjectAsync());
            JsonObject result;
            lock (call.Store.Gate)
            {
                result = Dc10(call.Webhooks.Register(body, admin));
            }

            await call.WriteAsync(201, result);
        }));
        hooks.MapGet("/{id}", JiraCall.Handle("2", call =>
        {
            Admin(call);
            lock (call.Store.Gate)
            {
                return call.OkAsync(Dc10(Find(call)));
            }
        }));
        hooks.MapPut("/{id}", JiraCall.Handle("2", async call =>
        {
            var admin = Admin(call);
            var body = FromDc10(await call.ReadObjectAsync());
            JsonObject result;
            lock (call.Store.Gate)
            {
                result = Dc10(call.Webhooks.Register(body, admin, Find(call)));
            }

            await call.OkAsync(result);
        }));
        hooks.MapDelete("/{id}", JiraCall.Handle("2", DeleteAsync));
    }

    private static JsonObject FromDc10(JsonObject body) => new()
    {
        ["name"] = body["name"]?.DeepClone(),
        ["url"] = body["url"]?.DeepClone(),
        ["events"] = body["events"]?.DeepClone(),
        ["enabled"] = body["active"]?.DeepClone() ?? true,
        ["secret"] = body["secret"]?.DeepClone(),
        ["excludeBody"] = string.Equals((string?)body["configuration"]?["EXCLUDE_BODY"], "true", StringComparison.OrdinalIgnoreCase),
        ["filters"] = new JsonObject { ["issue-related-events-section"] = body["configuration"]?["FILTERS"]?.DeepClone() },
    };

    private static JsonObject Dc10(Webhooks.WebhookRegistration hook) => new()
    {
        ["id"] = hook.Id,
        ["name"] = hook.Name,
        ["url"] = hook.Url,
        ["events"] = new JsonArray(hook.Events.Select(e => (JsonNode)JsonValue.Create(e)).ToArray()),
        ["active"] = hook.Enabled,
        ["configuration"] = new JsonObject { ["FILTERS"] = hook.Jql ?? "", ["EXCLUDE_BODY"] = hook.ExcludeBody ? "true" : "false" },
        ["sslVerificationRequired"] = true,
        ["createdDate"] = hook.LastUpdated,
        ["updatedDate"] = hook.LastUpdated,
    };

    private static JiraUser Admin(JiraCall call)
    {
        var user = call.RequireUser();
        return user.IsAdmin ? user : throw new JiraError(403, "You do not have the permission to manage webhooks. Only Jira administrators can.");
    }

    private static Webhooks.WebhookRegistration Find(JiraCall call) =>
        call.Store.Webhooks.Find(w => Rendering.JiraJson.Id(w.Id) == call.Route("id")) ?? throw new JiraError(404, "Webhook not found.");

    private static Task ListAsync(JiraCall call)
    {
        Admin(call);
        JsonArray result;
        lock (call.Store.Gate)
        {
            result = new JsonArray(call.Store.Webhooks.Select(w => (JsonNode)call.Webhooks.Render(w, call.BaseUrl)).ToArray());
        }

        return call.OkAsync(result);
    }

    private static async Task CreateAsync(JiraCall call)
    {
        var admin = Admin(call);
        var body = await call.ReadObjectAsync();
        JsonObject result;
        lock (call.Store.Gate)
        {
            result = call.Webhooks.Render(call.Webhooks.Register(body, admin), call.BaseUrl);
        }

        await call.WriteAsync(201, result);
    }

    private static Task GetAsync(JiraCall call)
    {
        Admin(call);
        JsonObject result;
        lock (call.Store.Gate)
        {
            result = call.Webhooks.Render(Find(call), call.BaseUrl);
        }

        return call.OkAsync(result);
    }

    private static async Task UpdateAsync(JiraCall call)
    {
        var admin = Admin(call);
        var body = await call.ReadObjectAsync();
        JsonObject result;
        lock (call.Store.Gate)
        {
            result = call.Webhooks.Render(call.Webhooks.Register(body, admin, Find(call)), call.BaseUrl);
        }

        await call.OkAsync(result);
    }

    private static Task DeleteAsync(JiraCall call)
    {
        Admin(call);
        lock (call.Store.Gate)
        {
            call.Store.Webhooks.Remove(Find(call));
        }

        return call.NoContentAsync();
    }
}
