using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using PluginHub.Sandbox.Jira.Endpoints;
using PluginHub.Sandbox.Jira.Jql;
using PluginHub.Sandbox.Jira.Model;
using PluginHub.Sandbox.Jira.Rendering;

namespace PluginHub.Sandbox.Jira.Webhooks;

/// <summary>An admin webhook (<c>/rest/webhooks/1.0/webhook</c>).</summary>
internal sealed class WebhookRegistration
{
    public required int Id { get; init; }

    public required string Name { get; set; }

    public required string Url { get; set; }

    public required List<string> Events { get; set; }

    /// <summary>The <c>issue-related-events-section</c> JQL filter; null for every issue.</summary>
    public string? Jql { get; set; }

    public bool ExcludeBody { get; set; }

    public string? Secret { get; set; }

    public bool Enabled { get; set; } = true;

    public long LastUpdated { get; set; }

    public string LastUpdatedUser { get; set; } = "";
}

/// <summary>One POST to a webhook URL; retried with the same identifier.</summary>
internal sealed record WebhookDelivery(int WebhookId, string Url, string? Body, string? Secret, string Identifier, string Event);

/// <summary>What happened to a delivery, for the admin route and tests.</summary>
internal sealed record DeliveryAttempt(string Identifier, string Event, string Url, int Attempt, int? Status, string? Error);

/// <summary>
/// Builds webhook payloads at the moment of the change (v2 representations even on Cloud, times in the actor's zone)
/// and hands them to a background sender that signs them, retries on 408/409/425/429/5xx and connection errors, and
/// keeps the <c>X-Atlassian-Webhook-Identifier</c> stable across retries.
/// </summary>
internal sealed class JiraWebhooks(JiraStore store, IHttpClientFactory httpClients, TimeProvider time) : BackgroundService
{
    public const string HttpClientName = "jira-webhooks";

    private static readonly HashSet<int> RetryStatuses = [408, 409, 425, 429];

    private readonly Channel<WebhookDelivery> _queue = Channel.CreateUnbounded<WebhookDelivery>();
    private readonly List<DeliveryAttempt> _attempts = [];
    private readonly Lock _attemptsGate = new();

    /// <summary>Delays between attempts; short so that tests and the demo see retries quickly.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    public IReadOnlyList<DeliveryAttempt> Attempts
    {
        get
        {
            lock (_attemptsGate)
            {
                return _attempts.ToList();
            }
        }
    }

    public void ClearAttempts()
    {
        lock (_attemptsGate)
        {
            _attempts.Clear();
        }
    }

    /// <summary>Registers a webhook (caller holds the gate); an invalid JQL filter throws <see cref="JiraError"/>.</summary>
    public WebhookRegistration Register(JsonObject body, JiraUser actor, WebhookRegistration? existing = null)
    {
        var url = (string?)body["url"];
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Replace("${", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out _))
        {
            throw JiraError.Fields(new Dictionary<string, string> { ["url"] = "The webhook URL is invalid." });
        }

        var jql = (string?)body["filters"]?["issue-related-events-section"] ?? (string?)body["jqlFilter"];
        if (!string.IsNullOrWhiteSpace(jql))
        {
            try
            {
                new JqlCompiler(store, actor, time.GetUtcNow()).Compile(JqlParser.Parse(jql));
            }
            catch (JqlException e)
            {
                throw JiraError.Fields(new Dictionary<string, string> { ["filters"] = e.Message });
            }
        }

        var events = (body["events"] as JsonArray ?? []).Select(e => (string?)e ?? "").Where(e => e.Length > 0).ToList();
        var hook = existing ?? new WebhookRegistration { Id = store.NextWebhookId(), Name = "", Url = url, Events = events };
        hook.Name = (string?)body["name"] ?? existing?.Name ?? $"Webhook {hook.Id}";
        hook.Url = url;
        hook.Events = events.Count > 0 ? events : ["jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated", "comment_deleted"];
        hook.Jql = string.IsNullOrWhiteSpace(jql) ? null : jql;
        hook.ExcludeBody = (bool?)body["excludeBody"] ?? false;
        hook.Secret = (string?)body["secret"] ?? existing?.Secret;
        hook.Enabled = (bool?)body["enabled"] ?? true;
        hook.LastUpdated = store.NowMs();
        hook.LastUpdatedUser = store.IsCloud ? actor.AccountId : actor.Name;
        if (existing is null)
        {
            store.Webhooks.Add(hook);
        }

        return hook;
    }

    public JsonObject Render(WebhookRegistration hook, string baseUrl)
    {
        var o = new JsonObject
        {
            ["self"] = $"{baseUrl}/rest/webhooks/1.0/webhook/{hook.Id}",
            ["name"] = hook.Name,
            ["url"] = hook.Url,
            ["events"] = new JsonArray(hook.Events.Select(e => (JsonNode)JsonValue.Create(e)).ToArray()),
            ["filters"] = new JsonObject { ["issue-related-events-section"] = hook.Jql ?? "" },
            ["excludeBody"] = hook.ExcludeBody,
            ["enabled"] = hook.Enabled,
            ["lastUpdated"] = hook.LastUpdated,
            ["lastUpdatedUser"] = hook.LastUpdatedUser,
            ["lastUpdatedDisplayName"] = store.FindUser(hook.LastUpdatedUser)?.DisplayName,
        };
        return o;
    }

    private JiraJson V2(JiraCall call) => new(store, call.BaseUrl, "2", call.User);

    /// <summary>The issue as webhooks carry it: all fields, v2 shapes; Cloud's <c>self</c> famously lacks <c>/issue/</c>.</summary>
    private JsonObject IssueBody(JiraJson json, JiraIssue issue, bool trimmed = false)
    {
        var fields = trimmed ? FieldSelection.Parse(["summary,issuetype,project,status,priority,assignee"], "") : FieldSelection.Parse(["*all"], "");
        var o = json.Issue(issue, fields, new HashSet<string>(), []);
        o.Remove("expand");
        if (store.IsCloud)
        {
            o["self"] = $"{json.Api}/{issue.Id}";
        }

        return o;
    }

    public void IssueEvent(JiraCall call, string webhookEvent, string typeName, JiraIssue issue, ChangeHistory? history, JiraComment? comment = null)
    {
        Raise(call, webhookEvent, issue, json =>
        {
            var o = new JsonObject
            {
                ["timestamp"] = store.NowMs(),
                ["webhookEvent"] = webhookEvent,
                ["issue_event_type_name"] = typeName,
                ["user"] = call.User is null ? null : json.User(call.User),
                ["issue"] = IssueBody(json, issue),
            };
            if (history is not null)
            {
                o["changelog"] = new JsonObject
                {
                    ["id"] = JiraJson.Id(history.Id),
                    ["items"] = new JsonArray(history.Items.Select(i => (JsonNode)JiraJson.ChangeItem(i)).ToArray()),
                };
            }

            if (comment is not null)
            {
                o["comment"] = json.Comment(issue, comment);
            }

            return o;
        });
    }

    public void CommentEvent(JiraCall call, string webhookEvent, JiraIssue issue, JiraComment comment) =>
        Raise(call, webhookEvent, issue, json => new JsonObject
        {
            ["timestamp"] = store.NowMs(),
            ["webhookEvent"] = webhookEvent,
            ["comment"] = json.Comment(issue, comment),
            ["issue"] = IssueBody(json, issue, trimmed: true),
        });

    public void AttachmentEvent(JiraCall call, string webhookEvent, JiraAttachment attachment)
    {
        var issue = store.Issues[attachment.IssueId];
        Raise(call, webhookEvent, issue, json => new JsonObject
        {
            ["timestamp"] = store.NowMs(),
            ["webhookEvent"] = webhookEvent,
            ["attachment"] = json.Attachment(attachment),
        });
    }

    public void PropertyEvent(JiraCall call, string webhookEvent, JiraIssue issue, string key, JsonNode? value) =>
        Raise(call, webhookEvent, issue, json => new JsonObject
        {
            ["timestamp"] = store.NowMs(),
            ["webhookEvent"] = webhookEvent,
            ["property"] = new JsonObject { ["key"] = key, ["value"] = value?.DeepClone() },
            ["issueId"] = issue.Id,
        });

    /// <summary>Matches the enabled registrations (event and JQL filter) and queues one delivery each; caller holds the gate.</summary>
    private void Raise(JiraCall call, string webhookEvent, JiraIssue issue, Func<JiraJson, JsonObject> payload)
    {
        JsonObject? body = null;
        foreach (var hook in store.Webhooks)
        {
            if (!hook.Enabled || !hook.Events.Contains(webhookEvent, StringComparer.Ordinal) || !MatchesFilter(hook, issue))
            {
                continue;
            }

            body ??= payload(V2(call));
            var own = (JsonObject)body.DeepClone();
            if (own.ContainsKey("issue") || own.ContainsKey("comment"))
            {
                own["matchedWebhookIds"] = new JsonArray(hook.Id);
            }

            var url = hook.Url.Replace("${issue.key}", issue.Key, StringComparison.Ordinal)
                .Replace("${issue.id}", JiraJson.Id(issue.Id), StringComparison.Ordinal)
                .Replace("${project.key}", store.Project(issue.ProjectId).Key, StringComparison.Ordinal);
            _queue.Writer.TryWrite(new WebhookDelivery(hook.Id, url, hook.ExcludeBody ? null : own.ToJsonString(JiraJson.Options), hook.Secret, Guid.NewGuid().ToString(), webhookEvent));
        }
    }

    private bool MatchesFilter(WebhookRegistration hook, JiraIssue issue)
    {
        if (hook.Jql is null)
        {
            return true;
        }

        try
        {
            var admin = store.Users.Find(u => u.IsAdmin) ?? store.Integration;
            return new JqlCompiler(store, admin, time.GetUtcNow()).Compile(JqlParser.Parse(hook.Jql)).Filter(issue);
        }
        catch (JqlException)
        {
            return false;
        }
    }

    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                // In order for first attempts; retries run on their own so that one dead URL does not hold up the others.
                if (!await SendAsync(delivery, 0, stoppingToken))
                {
                    _ = RetryAsync(delivery, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task RetryAsync(WebhookDelivery delivery, CancellationToken cancel)
    {
        try
        {
            for (var attempt = 1; attempt <= RetryDelays.Count; attempt++)
            {
                await Task.Delay(RetryDelays[attempt - 1], time, cancel);
                if (await SendAsync(delivery, attempt, cancel))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>True when done (delivered, or failed in a way that is not retried).</summary>
    private async Task<bool> SendAsync(WebhookDelivery delivery, int attempt, CancellationToken cancel)
    {
        if (!Uri.TryCreate(delivery.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            // A URL that cannot be sent to at all: record it and give up, keeping the sender alive for other hooks.
            Record(new DeliveryAttempt(delivery.Identifier, delivery.Event, delivery.Url, attempt, null, "Invalid webhook URL."));
            return true;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        var body = delivery.Body ?? "";
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Add("X-Atlassian-Webhook-Identifier", delivery.Identifier);
        request.Headers.Add("X-Atlassian-Webhook-Flow", "Primary");
        request.Headers.UserAgent.ParseAdd("Atlassian Webhook HTTP Client");
        if (attempt > 0)
        {
            request.Headers.Add("X-Atlassian-Webhook-Retry", attempt.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(delivery.Secret))
        {
            request.Headers.Add("X-Hub-Signature", Sign(delivery.Secret, body));
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            Record(new DeliveryAttempt(delivery.Identifier, delivery.Event, delivery.Url, attempt, status, null));
            return !(RetryStatuses.Contains(status) || status >= 500);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            Record(new DeliveryAttempt(delivery.Identifier, delivery.Event, delivery.Url, attempt, null, e.Message));
            return false;
        }
    }

    private void Record(DeliveryAttempt attempt)
    {
        lock (_attemptsGate)
        {
            _attempts.Add(attempt);
            if (_attempts.Count > 1000)
            {
                _attempts.RemoveAt(0);
            }
        }
    }
}
