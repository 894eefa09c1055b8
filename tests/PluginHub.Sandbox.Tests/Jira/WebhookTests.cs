using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>A webhook receiver on a free port: records every POST; paths under <c>/flaky/</c> fail once with 503.</summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _failures = new();

    private WebhookListener(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Deliveries { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public sealed record Received(string Path, string Body, IReadOnlyDictionary<string, string> Headers)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;
    }

    public static async Task<WebhookListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var listener = new WebhookListener(app);
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var path = http.Request.Path.Value ?? "/";
            listener.Deliveries.Enqueue(new Received(path, body, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            var identifier = http.Request.Headers["X-Atlassian-Webhook-Identifier"].ToString();
            http.Response.StatusCode = path.StartsWith("/flaky/", StringComparison.Ordinal) && listener._failures.AddOrUpdate(identifier, 1, (_, n) => n + 1) == 1 ? 503 : 200;
        });
        await app.StartAsync();
        listener.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return listener;
    }

    /// <summary>Waits (bounded) until a delivery matches.</summary>
    public async Task<Received> WaitForAsync(Func<Received, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!timeout.IsCancellationRequested)
        {
            if (Deliveries.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No webhook delivery for {what}; got: {string.Join(" | ", Deliveries.Select(d => d.Path + " " + d.Body[..Math.Min(120, d.Body.Length)]))}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Reference §9 and the §10 webhook emitter: registration, JQL filter, v2 payloads, headers, HMAC signature, retries.</summary>
public sealed class WebhookTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>, IAsyncLifetime
{
    private const string Secret = "s3cret";
    private WebhookListener _listener = null!;

    public async Task InitializeAsync() => _listener = await WebhookListener.StartAsync();

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    private static bool Signed(WebhookListener.Received d)
    {
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(d.Body)));
        return d.Headers.TryGetValue("X-Hub-Signature", out var actual)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));
    }

    [Fact]
    public async Task Checklist_webhooks_registered_by_rest_deliver_signed_v2_payloads_for_issue_and_comment_events()
    {
        var register = await f.Cloud.PostAsync("/rest/webhooks/1.0/webhook", new JsonObject
        {
            ["name"] = "PluginHub SUP",
            ["url"] = new Uri(_listener.BaseUrl, "/hooks/${issue.key}").ToString(),
            ["events"] = new JsonArray("jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated"),
            ["filters"] = new JsonObject { ["issue-related-events-section"] = "project = SUP AND labels = hooked" },
            ["excludeBody"] = false,
            ["secret"] = Secret,
        });
        Assert.Equal(201, register.Code);
        Assert.True(register.Json["enabled"]!.GetValue<bool>());
        var hookId = int.Parse(register.Json["self"].Str().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Single((await f.Cloud.GetAsync("/rest/webhooks/1.0/webhook")).Json.AsArray());

        await f.Cloud.CreateIssueAsync("not hooked");
        var key = await f.CloudDeveloper.CreateIssueAsync("hooked issue", extraFields: new JsonObject { ["labels"] = new JsonArray("hooked"), ["description"] = "*wiki*" });
        var created = await _listener.WaitForAsync(d => d.Path == $"/hooks/{key}" && d.Json["webhookEvent"].Str() == "jira:issue_created", "issue created");
        Assert.True(Signed(created), "X-Hub-Signature is the HMAC-SHA256 of the raw body");
        Assert.True(Guid.TryParse(created.Headers["X-Atlassian-Webhook-Identifier"], out _));
        Assert.False(created.Headers.ContainsKey("X-Atlassian-Webhook-Retry"));
        var payload = created.Json;
        Assert.Equal("issue_created", payload["issue_event_type_name"].Str());
        Assert.Equal("5b10a2844c20165700ede22h", payload["user"]!["accountId"].Str());
        Assert.Equal(key, payload["issue"]!["key"].Str());
        Assert.Equal("*wiki*", payload["issue"]!["fields"]!["description"].Str());
        Assert.EndsWith($"/rest/api/2/{payload["issue"]!["id"].Str()}", payload["issue"]!["self"].Str(), StringComparison.Ordinal);
        Assert.Equal(hookId, payload["matchedWebhookIds"]![0]!.GetValue<int>());
        Assert.True(payload["timestamp"]!.GetValue<long>() > 1_700_000_000_000);
        Assert.Contains(payload["changelog"]!["items"]!.AsArray(), i => i!["field"].Str() == "summary");

        await f.Cloud.PutAsync($"/rest/api/2/issue/{key}", Json.Obj("""{"fields":{"summary":"hooked, edited"}}"""));
        var updated = await _listener.WaitForAsync(d => d.Json["issue_event_type_name"]?.GetValue<string>() == "issue_updated", "issue updated");
        Assert.Equal("5b10a2844c20165700ede21g", updated.Json["user"]!["accountId"].Str());
        var item = updated.Json["changelog"]!["items"]![0]!;
        Assert.Equal("hooked issue", item["fromString"].Str());
        Assert.Equal("hooked, edited", item["toString"].Str());

        var comment = await f.CloudDeveloper.PostAsync($"/rest/api/3/issue/{key}/comment", new JsonObject { ["body"] = Json.Adf("from a human") });
        var commentCreated = await _listener.WaitForAsync(d => d.Json["webhookEvent"].Str() == "comment_created", "comment created");
        Assert.Equal("from a human", commentCreated.Json["comment"]!["body"].Str());
        Assert.Equal("5b10a2844c20165700ede22h", commentCreated.Json["comment"]!["author"]!["accountId"].Str());
        Assert.Equal(key, commentCreated.Json["issue"]!["key"].Str());
        Assert.True(Signed(commentCreated));
        var commented = await _listener.WaitForAsync(d => d.Json["issue_event_type_name"]?.GetValue<string>() == "issue_commented", "issue commented");
        Assert.Equal(comment.Json["id"].Str(), commented.Json["comment"]!["id"].Str());

        await f.Cloud.PutAsync($"/rest/api/2/issue/{key}/comment/{comment.Json["id"].Str()}", Json.Obj("""{"body":"edited by the bot"}"""));
        var commentUpdated = await _listener.WaitForAsync(d => d.Json["webhookEvent"].Str() == "comment_updated", "comment updated");
        Assert.Equal("5b10a2844c20165700ede21g", commentUpdated.Json["comment"]!["updateAuthor"]!["accountId"].Str());

        await f.Cloud.DeleteAsync($"/rest/api/2/issue/{key}");
        var deleted = await _listener.WaitForAsync(d => d.Json["webhookEvent"].Str() == "jira:issue_deleted", "issue deleted");
        Assert.Equal(key, deleted.Json["issue"]!["key"].Str());
        Assert.DoesNotContain(_listener.Deliveries, d => d.Body.Contains("\"not hooked\"", StringComparison.Ordinal));

        Assert.Equal(204, (await f.Cloud.DeleteAsync($"/rest/webhooks/1.0/webhook/{hookId}")).Code);
    }

    [Fact]
    public async Task Checklist_webhook_deliveries_are_retried_with_the_same_identifier_and_a_retry_header()
    {
        using var admin = new HttpClient { BaseAddress = f.ServerServer.BaseUrl };
        var body = new JsonObject { ["url"] = new Uri(_listener.BaseUrl, "/flaky/server").ToString(), ["events"] = new JsonArray("jira:issue_created"), ["secret"] = Secret };
        var r = await admin.PostAsync(new Uri("/_sandbox/jira/webhooks", UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(201, (int)r.StatusCode);

        var key = await f.Server.CreateIssueAsync("retried");
        var retry = await _listener.WaitForAsync(d => d.Path == "/flaky/server" && d.Headers.ContainsKey("X-Atlassian-Webhook-Retry"), "retry");
        Assert.Equal("1", retry.Headers["X-Atlassian-Webhook-Retry"]);
        var first = _listener.Deliveries.First(d => d.Path == "/flaky/server");
        Assert.Equal(first.Headers["X-Atlassian-Webhook-Identifier"], retry.Headers["X-Atlassian-Webhook-Identifier"]);
        Assert.Equal(first.Body, retry.Body);
        Assert.True(Signed(retry));
        // Server payloads carry name/key users.
        Assert.Equal("integration", retry.Json["user"]!["name"].Str());
        Assert.Equal(key, retry.Json["issue"]!["key"].Str());
    }

    [Fact]
    public async Task Attachment_and_property_events_and_transitions_reach_their_subscribers()
    {
        using var admin = new HttpClient { BaseAddress = f.CloudServer.BaseUrl };
        var body = new JsonObject
        {
            ["url"] = new Uri(_listener.BaseUrl, "/other").ToString(),
            ["events"] = new JsonArray("attachment_created", "issue_property_set", "jira:issue_updated"),
            ["jql"] = "labels = other",
        };
        var r = await admin.PostAsync(new Uri("/_sandbox/jira/webhooks", UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(201, (int)r.StatusCode);

        var key = await f.Cloud.CreateIssueAsync("other events", extraFields: new JsonObject { ["labels"] = new JsonArray("other") });
        await f.Cloud.SendAsync(HttpMethod.Post, $"/rest/api/2/issue/{key}/attachments", configure: m =>
        {
            m.Content = TransportAndAuthTests.File("e.txt", "e");
            m.Headers.Add("X-Atlassian-Token", "no-check");
        });
        var attachment = await _listener.WaitForAsync(d => d.Path == "/other" && d.Json["webhookEvent"].Str() == "attachment_created", "attachment created");
        Assert.Equal("e.txt", attachment.Json["attachment"]!["filename"].Str());
        var attachmentUpdate = await _listener.WaitForAsync(d => d.Path == "/other" && d.Json["webhookEvent"].Str() == "jira:issue_updated" && d.Body.Contains("\"Attachment\"", StringComparison.Ordinal), "attachment changelog");
        Assert.Equal("e.txt", attachmentUpdate.Json["changelog"]!["items"]![0]!["toString"].Str());

        var excluded = new JsonObject { ["url"] = new Uri(_listener.BaseUrl, "/nobody").ToString(), ["events"] = new JsonArray("issue_property_set"), ["excludeBody"] = true };
        await admin.PostAsync(new Uri("/_sandbox/jira/webhooks", UriKind.Relative), new StringContent(excluded.ToJsonString(), Encoding.UTF8, "application/json"));
        await f.Cloud.PutAsync($"/rest/api/2/issue/{key}/properties/pluginhub", Json.Obj("""{"externalId":"500X"}"""));
        var bodiless = await _listener.WaitForAsync(d => d.Path == "/nobody", "excludeBody delivery");
        Assert.Equal("", bodiless.Body);
        var property = await _listener.WaitForAsync(d => d.Path == "/other" && d.Json["webhookEvent"].Str() == "issue_property_set", "property set");
        Assert.Equal("500X", property.Json["property"]!["value"]!["externalId"].Str());

        await f.Cloud.PostAsync($"/rest/api/2/issue/{key}/transitions", Json.Obj("""{"transition":{"id":"11"}}"""));
        var transition = await _listener.WaitForAsync(d => d.Path == "/other" && d.Json["issue_event_type_name"]?.GetValue<string>() == "issue_generic", "transition");
        var item = transition.Json["changelog"]!["items"]![0]!;
        Assert.Equal("status", item["field"].Str());
        Assert.Equal("In Progress", item["toString"].Str());
        Assert.Equal(4, transition.Json["issue"]!["fields"]!["status"]!["statusCategory"]!["id"]!.GetValue<int>());
        Assert.False(_listener.Deliveries.Single(d => d.Path == "/other" && d.Json["webhookEvent"].Str() == "issue_property_set").Headers.ContainsKey("X-Hub-Signature"), "no secret, no signature");
    }

    [Fact]
    public async Task Data_center_10_webhook_api_registers_and_delivers()
    {
        var r = await f.Server.PostAsync("/rest/jira-webhook/1.0/webhooks", new JsonObject
        {
            ["name"] = "dc10",
            ["url"] = new Uri(_listener.BaseUrl, "/dc10").ToString(),
            ["events"] = new JsonArray("jira:issue_created"),
            ["active"] = true,
            ["configuration"] = new JsonObject { ["FILTERS"] = "labels = dc10", ["EXCLUDE_BODY"] = "false" },
            ["secret"] = Secret,
        });
        Assert.Equal(201, r.Code);
        Assert.Equal("labels = dc10", r.Json["configuration"]!["FILTERS"].Str());
        var id = r.Json["id"]!.GetValue<int>();
        Assert.Contains((await f.Server.GetAsync("/rest/jira-webhook/1.0/webhooks")).Json.AsArray(), w => w!["id"]!.GetValue<int>() == id);

        var key = await f.Server.CreateIssueAsync("dc10", extraFields: new JsonObject { ["labels"] = new JsonArray("dc10") });
        var delivery = await _listener.WaitForAsync(d => d.Path == "/dc10", "dc10 delivery");
        Assert.True(Signed(delivery));
        Assert.Equal(key, delivery.Json["issue"]!["key"].Str());
        Assert.Equal(204, (await f.Server.DeleteAsync($"/rest/jira-webhook/1.0/webhooks/{id}")).Code);
        Assert.Equal(404, (await f.Cloud.GetAsync("/rest/jira-webhook/1.0/webhooks")).Code);
    }

    [Fact]
    public async Task Only_jira_administrators_manage_webhooks_and_invalid_filters_are_refused()
    {
        var denied = await f.CloudDeveloper.PostAsync("/rest/webhooks/1.0/webhook", new JsonObject { ["url"] = "http://127.0.0.1:1/x", ["events"] = new JsonArray("jira:issue_created") });
        Assert.Equal(403, denied.Code);
        var invalid = await f.Cloud.PostAsync("/rest/webhooks/1.0/webhook", new JsonObject
        {
            ["url"] = "http://127.0.0.1:1/x",
            ["filters"] = new JsonObject { ["issue-related-events-section"] = "project = NOPE" },
        });
        Assert.Equal(400, invalid.Code);
    }
}
