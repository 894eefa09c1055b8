using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using PluginHub.Testing;

namespace PluginHub.Host.Tests;

public sealed class IntegrationsEndpointTests : IAsyncLifetime
{
    private const string Key = "integrations-test-key";
    private readonly TempDirectory _data = new();
    private HostFactory _factory = null!;
    private HttpClient _client = null!;
    private string _salesforceId = "";

    public async Task InitializeAsync()
    {
        _factory = HostFactory.WithKey(_data.Path, Key);
        _client = _factory.CreateApiClient(Key);
        _salesforceId = await CreateConnectionAsync("Support org", "salesforce", new { loginUrl = "http://127.0.0.1:9", clientId = "c", username = "u" });
        await CreateConnectionAsync("Engineering Jira", "jira", new { baseUrl = "http://127.0.0.1:9", apiToken = "t" });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    private async Task<string> CreateConnectionAsync(string name, string connector, object settings)
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/api/connections", UriKind.Relative), new { name, connector, settings });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static object FromTemplate(string name = "Cases to SUP", object? schedule = null) => new
    {
        name,
        template = "salesforce-cases-to-jira-tasks",
        source = new { connection = "Support org" },
        target = new { connection = "Engineering Jira", scope = new { project = "SUP" } },
        direction = "bidirectional",
        schedule = schedule ?? new { pollSeconds = 30 },
    };

    private async Task<JsonElement> CreateAsync(object body)
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/api/integrations", UriKind.Relative), body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync() + _factory.Logs.Text[^Math.Min(3000, _factory.Logs.Text.Length)..]);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Lists_both_templates()
    {
        var templates = await _client.GetFromJsonAsync<JsonElement>(new Uri("/api/templates", UriKind.Relative));

        var ids = templates.EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        Assert.Contains("salesforce-cases-to-jira-tasks", ids);
        Assert.Contains("jira-tasks-to-salesforce-cases", ids);
        var title = templates.EnumerateArray().First(t => t.GetProperty("id").GetString() == "salesforce-cases-to-jira-tasks").GetProperty("title").GetString();
        Assert.Equal("Salesforce Cases to Jira Tasks", title);
    }

    [Fact]
    public async Task Creates_from_a_template_with_overrides_resolving_connections_by_name()
    {
        var created = await CreateAsync(FromTemplate());

        Assert.False(created.GetProperty("enabled").GetBoolean());
        Assert.Equal(1, created.GetProperty("revision").GetInt32());
        var definition = created.GetProperty("definition");
        Assert.Equal(_salesforceId, definition.GetProperty("source").GetProperty("connection").GetString());
        Assert.Equal("Case", definition.GetProperty("source").GetProperty("entity").GetString());
        Assert.Equal("SUP", definition.GetProperty("target").GetProperty("scope").GetProperty("project").GetString());
        Assert.Equal("bidirectional", definition.GetProperty("direction").GetString());
        Assert.Equal(30, definition.GetProperty("schedule").GetProperty("pollSeconds").GetInt32());
        var status = definition.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("source").GetString() == "Status");
        Assert.Equal("To Do", status.GetProperty("valueMap").GetProperty("toTarget").GetProperty("New").GetString());
        Assert.True(definition.GetProperty("comments").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Every_problem_of_an_invalid_integration_is_listed_at_once()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/api/integrations", UriKind.Relative), new
        {
            name = "Broken",
            template = "salesforce-cases-to-jira-tasks",
            source = new { connection = "No such connection" },
            target = new { connection = "Engineering Jira" },
            schedule = new { cron = "every tuesday" },
        });

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, _factory.Logs.Text);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("No such connection", errors.GetProperty("definition/source/connection")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("every tuesday", errors.GetProperty("definition/schedule")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_violations_name_their_location()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/api/integrations", UriKind.Relative), new
        {
            name = "",
            template = "no-such-template",
            source = new { connection = "Support org", entity = "Case" },
            target = new { connection = "Engineering Jira", entity = "Task" },
            direction = "sideways",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var keys = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("name", keys);
        Assert.Contains("template", keys);
        Assert.Contains("definition/direction", keys);
    }

    [Fact]
    public async Task Enabling_schedules_the_integration_and_disabling_or_deleting_unschedules_it()
    {
        var id = (await CreateAsync(FromTemplate())).GetProperty("id").GetString()!;
        var scheduler = await _factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var job = new JobKey(id, "integrations");
        var poll = new TriggerKey(id, "integrations");
        Assert.False(await scheduler.Exists(poll));

        var enabled = await (await _client.PostAsync(new Uri($"/api/integrations/{id}/enable", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.True(await scheduler.Exists(poll));

        await _client.PostAsync(new Uri($"/api/integrations/{id}/disable", UriKind.Relative), null);
        Assert.False(await scheduler.Exists(poll));

        await _client.PostAsync(new Uri($"/api/integrations/{id}/enable", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync(new Uri($"/api/integrations/{id}", UriKind.Relative))).StatusCode);
        await WaitUntilAsync(async () => !await scheduler.Exists(job), "the deleted integration's job is removed");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(new Uri($"/api/integrations/{id}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Run_now_answers_202_with_the_run_id_and_the_run_is_recorded()
    {
        var id = (await CreateAsync(FromTemplate())).GetProperty("id").GetString()!;

        using var response = await _client.PostAsync(new Uri($"/api/integrations/{id}/runs", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal($"/api/runs/{runId}", response.Headers.Location?.OriginalString);

        JsonElement run = default;
        await WaitUntilAsync(async () =>
        {
            run = await _client.GetFromJsonAsync<JsonElement>(new Uri($"/api/runs/{runId}", UriKind.Relative));
            return run.GetProperty("status").GetString() is not ("Queued" or "Running");
        }, "the run finishes");

        // The test's connections point at systems that do not exist: the run is recorded as failed, with the reason.
        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("Manual", run.GetProperty("trigger").GetString());
        Assert.Matches("^(Configuration|Transient): ", run.GetProperty("message").GetString());
        var runs = await _client.GetFromJsonAsync<JsonElement>(new Uri($"/api/integrations/{id}/runs", UriKind.Relative));
        Assert.Equal(runId, runs[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Preview_with_an_unusable_connection_is_a_problem_with_the_failure_kind_and_of_an_unknown_integration_404()
    {
        var id = (await CreateAsync(FromTemplate())).GetProperty("id").GetString()!;

        using var unusable = await _client.PostAsync(new Uri($"/api/integrations/{id}/preview", UriKind.Relative), null);
        using var unknown = await _client.PostAsync(new Uri($"/api/integrations/{Guid.NewGuid()}/preview", UriKind.Relative), null);
        using var badLimit = await _client.PostAsync(new Uri($"/api/integrations/{id}/preview?limit=0", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadGateway, unusable.StatusCode);
        var problem = await unusable.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Configuration", problem.GetProperty("failureKind").GetString()); // the test's Salesforce connection has no password
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task Events_need_events_on_and_hooks_answer_only_for_enabled_integrations_with_events()
    {
        var id = (await CreateAsync(FromTemplate())).GetProperty("id").GetString()!;
        using var anonymous = _factory.CreateClient();

        using var events = await _client.PostAsync(new Uri($"/api/integrations/{id}/events", UriKind.Relative), null);
        using var hook = await anonymous.PostAsync(new Uri($"/hooks/jira/{id}", UriKind.Relative), new StringContent("{}"));
        using var unknownHook = await anonymous.PostAsync(new Uri($"/hooks/salesforce/{Guid.NewGuid()}?key=x", UriKind.Relative), new StringContent("<x/>"));

        Assert.Equal(HttpStatusCode.Conflict, events.StatusCode);
        Assert.Equal("application/problem+json", events.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, hook.StatusCode);
        Assert.Equal("application/problem+json", hook.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknownHook.StatusCode);
    }

    [Fact]
    public async Task Update_replaces_the_definition_bumps_the_revision_and_keeps_names_unique()
    {
        var id = (await CreateAsync(FromTemplate("First"))).GetProperty("id").GetString()!;
        await CreateAsync(FromTemplate("Second"));

        using var renamed = await _client.PutAsJsonAsync(new Uri($"/api/integrations/{id}", UriKind.Relative), FromTemplate("First, every 5 minutes", new { cron = "0 0/5 * * * ?" }));
        var updated = await renamed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(2, updated.GetProperty("revision").GetInt32());
        Assert.Equal("0 0/5 * * * ?", updated.GetProperty("definition").GetProperty("schedule").GetProperty("cron").GetString());

        using var clash = await _client.PutAsJsonAsync(new Uri($"/api/integrations/{id}", UriKind.Relative), FromTemplate("Second"));
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        using var missing = await _client.PutAsJsonAsync(new Uri($"/api/integrations/{Guid.NewGuid()}", UriKind.Relative), FromTemplate("Third"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Timed out waiting until {what}.");
    }
}
