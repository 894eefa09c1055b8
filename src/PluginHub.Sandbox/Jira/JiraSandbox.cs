using System.Globalization;
using System.Text.Json.Nodes;
using PluginHub.Sandbox.Hosting;
using PluginHub.Sandbox.Jira.Endpoints;
using PluginHub.Sandbox.Jira.Model;
using PluginHub.Sandbox.Jira.Webhooks;

namespace PluginHub.Sandbox.Jira;

/// <summary>Which Jira the sandbox pretends to be.</summary>
public enum JiraFlavor
{
    /// <summary>Jira Cloud: REST v2 and v3, <c>/search/jql</c>, accountId users.</summary>
    Cloud,

    /// <summary>Jira Server/Data Center: REST v2, offset <c>/search</c>, name/key users, personal access tokens.</summary>
    Server,
}

/// <summary>
/// The Jira REST API emulator (reference: ../shared/reference/jira-rest.md). Cloud serves <c>/rest/api/2</c> and
/// <c>/rest/api/3</c> (ADF); Server serves <c>/rest/api/2</c> only. <c>/rest/api/latest</c> is an alias of 2.
/// </summary>
public sealed class JiraSandbox(JiraFlavor flavor) : ISandboxApi
{
    public JiraFlavor Flavor { get; } = flavor;

    public string Name => Flavor == JiraFlavor.Cloud ? "jira-cloud" : "jira-server";

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(sp => new JiraStore(Flavor, sp.GetRequiredService<TimeProvider>()));
        services.AddHttpClient(JiraWebhooks.HttpClientName);
        services.AddSingleton<JiraWebhooks>();
        services.AddHostedService(sp => sp.GetRequiredService<JiraWebhooks>());
    }

    public void MapRoutes(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var cloud = Flavor == JiraFlavor.Cloud;
        // The same API under the context paths real deployments use: DC's "/jira", Cloud's scoped-token gateway.
        foreach (var context in cloud ? new[] { "", "/ex/jira/{cloudId}" } : ["", "/jira"])
        {
            var root = context.Length == 0 ? (IEndpointRouteBuilder)app : app.MapGroup(context);
            foreach (var (prefix, version) in cloud
                ? new[] { ("/rest/api/2", "2"), ("/rest/api/latest", "2"), ("/rest/api/3", "3") }
                : [("/rest/api/2", "2"), ("/rest/api/latest", "2")])
            {
                var api = root.MapGroup(prefix);
                MetaEndpoints.Map(api, version, cloud);
                IssueEndpoints.Map(api, version);
                CommentEndpoints.Map(api, version);
                AttachmentEndpoints.Map(api, version);
                SearchEndpoints.Map(api, version, cloud);
                if (cloud)
                {
                    IssueEndpoints.MapCloud(api, version);
                }
            }

            WebhookEndpoints.Map(root);
            AttachmentEndpoints.MapImages(root);
            if (cloud)
            {
                AttachmentEndpoints.MapMedia(root);
            }
            else
            {
                AttachmentEndpoints.MapSecure(root);
                WebhookEndpoints.MapDataCenter10(root);
                // Server has no REST v3: Jersey answers its "null for uri" 404.
                root.Map("/rest/api/3/{**rest}", async http =>
                {
                    http.Response.StatusCode = 404;
                    http.Response.ContentType = JiraCall.JsonContentType;
                    var uri = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}";
                    await http.Response.WriteAsync(new JsonObject { ["message"] = $"null for uri: {uri}", ["status-code"] = 404 }.ToJsonString(Rendering.JiraJson.Options));
                });
            }
        }

        JiraAdminEndpoints.Map(app);
    }

    /// <summary>
    /// Faults in Jira's shape: 429 with <c>Retry-After</c> and the rate-limit headers of the flavour (reference §8.2/8.3),
    /// 503 with <c>Retry-After</c>, others with the error collection body.
    /// </summary>
    public async Task WriteFaultAsync(HttpContext context, FaultRule fault)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(fault);
        var status = fault.Status ?? 503;
        var headers = context.Response.Headers;
        context.Response.StatusCode = status;
        var retryAfter = fault.RetryAfterSeconds ?? (status == 429 ? 5 : (int?)null);
        if (retryAfter is { } seconds)
        {
            headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        string message;
        if (status == 429)
        {
            var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            headers["X-RateLimit-Limit"] = "100";
            headers["X-RateLimit-Remaining"] = "0";
            if (Flavor == JiraFlavor.Cloud)
            {
                headers["X-RateLimit-Reset"] = now.AddSeconds(retryAfter ?? 5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                headers["X-RateLimit-NearLimit"] = "true";
                headers["RateLimit-Reason"] = "jira-burst-based";
            }
            else
            {
                headers["X-RateLimit-Interval-Seconds"] = "1";
                headers["X-RateLimit-FillRate"] = "10";
            }

            message = "Rate limit exceeded.";
        }
        else
        {
            message = status switch
            {
                409 => "The issue was updated concurrently. Please retry.",
                503 => "Jira is temporarily unavailable. Please try again later.",
                502 or 504 => "Bad gateway.",
                _ => "Internal server error.",
            };
        }

        context.Response.ContentType = JiraCall.JsonContentType;
        await context.Response.WriteAsync(JiraError.Body([message], new Dictionary<string, string>()).ToJsonString(Rendering.JiraJson.Options));
    }

    public void Reset(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = services.GetRequiredService<JiraStore>();
        var seed = services.GetRequiredService<SandboxOptions>().Seed;
        lock (store.Gate)
        {
            store.Reset();
            if (seed is { } s)
            {
                JiraSeeder.Seed(store, s);
            }
        }

        services.GetRequiredService<JiraWebhooks>().ClearAttempts();
    }
}
