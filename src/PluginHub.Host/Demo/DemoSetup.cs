using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Connections;
using PluginHub.Core.Integrations;
using PluginHub.Host.Connections;
using PluginHub.Host.Integrations;
using PluginHub.Plugins;
using PluginHub.Sandbox;
using PluginHub.Scheduling;

namespace PluginHub.Host.Demo;

/// <summary>
/// Once the host listens: starts and populates both sandboxes, creates the two connections and both template integrations
/// through the same services the API uses, enables them, then plays the people of both systems until the host stops.
/// </summary>
internal sealed class DemoSetup(
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    IOptions<DemoOptions> options,
    IServer server,
    IHttpClientFactory http,
    ILogger<DemoSetup> logger) : BackgroundService
{
    private static readonly Dictionary<string, string> Project = new() { ["project"] = "SUP" };

    private static readonly string[] CaseSubjects =
    [
        "Invoices show the wrong currency", "Password reset e-mail never arrives", "Export to CSV times out", "Mobile app crashes on login",
        "Dashboard shows yesterday's numbers", "Cannot attach files larger than 5 MB", "SSO loop after the last update", "Search ignores accents",
    ];

    private static readonly string[] TaskSummaries =
    [
        "Customers can download their data", "Rate-limit the public API", "Upgrade the PDF renderer", "Show order status in the portal",
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StartedAsync(stoppingToken))
        {
            return;
        }

        var demo = options.Value;
        await using var sandboxes = await StartSandboxesAsync(demo, stoppingToken);
        try
        {
            await SetUpAsync(sandboxes, demo, stoppingToken);
            await PlayPeopleAsync(sandboxes, demo, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The demo could not be set up; the host keeps running");
        }
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource<bool>();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult(true)))
        using (stoppingToken.Register(() => started.TrySetResult(false)))
        {
            return await started.Task;
        }
    }

    private async Task<SandboxCluster> StartSandboxesAsync(DemoOptions demo, CancellationToken cancellationToken)
    {
        try
        {
            return await SandboxCluster.StartAsync(new SandboxClusterOptions { SalesforceUrl = demo.SalesforceUrl, JiraUrl = demo.JiraUrl }, cancellationToken);
        }
        catch (IOException ex)
        {
            logger.LogWarning("The demo's sandbox ports are taken ({Message}); using free ones instead", ex.Message);
            return await SandboxCluster.StartAsync(new SandboxClusterOptions { SalesforceUrl = "http://127.0.0.1:0", JiraUrl = "http://127.0.0.1:0" }, cancellationToken);
        }
    }

    private async Task SetUpAsync(SandboxCluster sandboxes, DemoOptions demo, CancellationToken cancellationToken)
    {
        var salesforce = sandboxes.Salesforce!.BaseUrl;
        var jira = sandboxes.Jira!.BaseUrl;

        // The people of each side also exist on the other, as in a real company: users are matched by e-mail.
        await AdminAsync(jira, "/_sandbox/jira/users", new { email = "agent@pluginhub.test", token = "agent-token", displayName = "Avery Agent" }, cancellationToken);
        await AdminAsync(salesforce, "/_sandbox/users", new { username = "developer@pluginhub.test", email = "developer@pluginhub.test", firstName = "Devon", lastName = "Developer" }, cancellationToken);

        // What was there before PluginHub: a few open Cases and Jira tasks.
        await using (var agent = Person("salesforce", SalesforceSettings(salesforce, "agent@pluginhub.test", "agent-password", "AGENTTOKEN")))
        {
            await WriteAsync(agent, [.. CaseSubjects.Take(3).Select((s, i) => NewCase(s, i))], cancellationToken);
        }

        await using (var developer = Person("jira", JiraSettings(jira, "developer@pluginhub.test", "developer-token")))
        {
            await WriteAsync(developer, [NewTask(TaskSummaries[0])], cancellationToken);
        }

        var connectionService = services.GetRequiredService<ConnectionService>();
        var connections = services.GetRequiredService<IConnectionStore>();
        var sfConnection = await connections.AddAsync("Demo Salesforce", "salesforce", connectionService.Protect(JsonNode.Parse(SalesforceSettings(salesforce, "integration@pluginhub.test", "sandbox-password", "SANDBOXTOKEN").GetRawText())!.AsObject()), cancellationToken)
            ?? throw new InvalidOperationException("The demo connection exists already.");
        var jiraConnection = await connections.AddAsync("Demo Jira", "jira", connectionService.Protect(JsonNode.Parse(JiraSettings(jira, "integration@pluginhub.test", "sandbox-token").GetRawText())!.AsObject()), cancellationToken)
            ?? throw new InvalidOperationException("The demo connection exists already.");

        await CreateIntegrationAsync("Cases to Jira (demo)", "salesforce-cases-to-jira-tasks", sfConnection.Id, jiraConnection.Id, demo, cancellationToken);
        await CreateIntegrationAsync("Jira tasks to Cases (demo)", "jira-tasks-to-salesforce-cases", jiraConnection.Id, sfConnection.Id, demo, cancellationToken);

        var api = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5000";
        logger.LogInformation(
            "Demo ready. Swagger: {Api}/swagger (X-Api-Key: {ApiKey}). Salesforce sandbox: {Salesforce} (agent@pluginhub.test / agent-password + AGENTTOKEN). Jira sandbox: {Jira} (developer@pluginhub.test / developer-token). Both integrations poll every {Seconds} s.",
            api.TrimEnd('/'), DemoMode.ApiKey, salesforce, jira, demo.PollSeconds);
    }

    private async Task CreateIntegrationAsync(string name, string template, Guid source, Guid target, DemoOptions demo, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["name"] = name,
            ["template"] = template,
            ["source"] = new JsonObject { ["connection"] = source.ToString() },
            ["target"] = new JsonObject { ["connection"] = target.ToString() },
            ["schedule"] = new JsonObject { ["pollSeconds"] = demo.PollSeconds },
            ["initialSync"] = new JsonObject { ["enabled"] = true },
        };
        var built = await services.GetRequiredService<DefinitionBuilder>().BuildAsync(request, cancellationToken);
        if (built.Definition is null)
        {
            throw new InvalidOperationException($"The demo integration '{name}' is invalid: {string.Join("; ", built.Problems.Select(p => $"{p.Key}: {string.Join(" ", p.Value)}"))}");
        }

        var store = services.GetRequiredService<IIntegrationStore>();
        var integration = await store.AddAsync(name, JsonSerializer.Serialize(built.Definition, Core.Integrations.Definitions.IntegrationDefinition.JsonOptions), built.Definition.Schedule.ToSchedule(), cancellationToken);
        await store.SetEnabledAsync(integration.Id, true, cancellationToken);
        await services.GetRequiredService<ScheduleReconciler>().ReconcileAsync(cancellationToken);
        logger.LogInformation("Integration '{Name}' created from template {Template} and enabled", name, template);
    }

    /// <summary>The support agent opens Cases and works on them; the developer files tasks.</summary>
    private async Task PlayPeopleAsync(SandboxCluster sandboxes, DemoOptions demo, CancellationToken cancellationToken)
    {
        if (demo.ActivitySeconds <= 0)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        await using var agent = Person("salesforce", SalesforceSettings(sandboxes.Salesforce!.BaseUrl, "agent@pluginhub.test", "agent-password", "AGENTTOKEN"));
        await using var developer = Person("jira", JiraSettings(sandboxes.Jira!.BaseUrl, "developer@pluginhub.test", "developer-token"));
        RecordRef? lastCase = null;
        for (var tick = 0; !cancellationToken.IsCancellationRequested; tick++)
        {
            await Task.Delay(TimeSpan.FromSeconds(demo.ActivitySeconds), cancellationToken);
            try
            {
                switch (tick % 3)
                {
                    case 0:
                        var subject = CaseSubjects[(3 + tick) % CaseSubjects.Length];
                        lastCase = (await WriteAsync(agent, [NewCase(subject, tick)], cancellationToken))[0];
                        logger.LogInformation("Demo: the agent opened Case {Case} \"{Subject}\"", lastCase.DisplayKey ?? lastCase.Id, subject);
                        break;
                    case 1 when lastCase is not null:
                        await WriteAsync(agent, [new RecordWrite { Operation = WriteOperation.Update, Entity = "Case", Id = lastCase.Id, Fields = new Dictionary<string, FieldValue> { ["Status"] = new ChoiceValue("Working", "Working") } }], cancellationToken);
                        logger.LogInformation("Demo: the agent started working on Case {Case}", lastCase.DisplayKey ?? lastCase.Id);
                        break;
                    default:
                        var summary = TaskSummaries[tick % TaskSummaries.Length];
                        var task = (await WriteAsync(developer, [NewTask(summary)], cancellationToken))[0];
                        logger.LogInformation("Demo: the developer filed {Task} \"{Summary}\"", task.DisplayKey ?? task.Id, summary);
                        break;
                }
            }
            catch (ConnectorException ex)
            {
                logger.LogWarning("Demo: a person's change failed ({Kind}): {Message}", ex.Kind, ex.Message);
            }
        }
    }

    private IConnector Person(string connector, JsonElement settings) =>
        services.GetRequiredService<PluginCatalog>().CreateConnector(connector, new ConnectorContext
        {
            ConnectionId = "demo-person",
            Settings = settings,
            LoggerFactory = services.GetRequiredService<ILoggerFactory>(),
        });

    private static async Task<IReadOnlyList<RecordRef>> WriteAsync(IConnector connector, IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken)
    {
        var results = await ((IRecordWriter)connector).WriteAsync(writes, cancellationToken);
        var failed = results.FirstOrDefault(r => !r.Succeeded);
        return failed is null
            ? [.. results.Select(r => r.Record!)]
            : throw new ConnectorException(failed.Error?.Kind ?? FailureKind.Internal, failed.Error?.Message ?? "The write failed.");
    }

    private static RecordWrite NewCase(string subject, int i) => new()
    {
        Operation = WriteOperation.Create,
        Entity = "Case",
        Fields = new Dictionary<string, FieldValue>
        {
            ["Subject"] = new TextValue(subject),
            ["Description"] = new TextValue($"Reported through the web form.\nSteps: open the app, then \"{subject.ToLowerInvariant()}\"."),
            ["Priority"] = new ChoiceValue(new[] { "High", "Medium", "Low" }[i % 3], null),
            ["Status"] = new ChoiceValue("New", null),
            ["Origin"] = new ChoiceValue("Web", null),
        },
    };

    private static RecordWrite NewTask(string summary) => new()
    {
        Operation = WriteOperation.Create,
        Entity = "Task",
        Scope = Project,
        Fields = new Dictionary<string, FieldValue>
        {
            ["summary"] = new TextValue(summary),
            ["description"] = new RichTextValue(RichTextFormat.Plain, "Filed by engineering; support should know."),
        },
    };

    private static JsonElement SalesforceSettings(Uri url, string user, string password, string token) => JsonSerializer.SerializeToElement(new
    {
        loginUrl = url.ToString(),
        clientId = "pluginhub-sandbox",
        clientSecret = "sandbox-secret",
        username = user,
        password,
        securityToken = token,
    });

    private static JsonElement JiraSettings(Uri url, string user, string token) =>
        JsonSerializer.SerializeToElement(new { baseUrl = url.ToString(), username = user, apiToken = token, flavor = "cloud", apiVersion = "3" });

    private async Task AdminAsync(Uri baseUrl, string path, object body, CancellationToken cancellationToken)
    {
        using var client = http.CreateClient();
        using var response = await client.PostAsJsonAsync(new Uri(baseUrl, path), body, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
