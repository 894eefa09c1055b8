using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PluginHub.Sandbox;
using PluginHub.Testing;

namespace PluginHub.Host.Tests;

/// <summary>Definitions are checked against what their connections describe, and every problem is listed at once.</summary>
public sealed class DefinitionCheckTests : IAsyncLifetime
{
    private const string Key = "definition-check-key";
    private readonly TempDirectory _data = new();
    private SandboxCluster _sandboxes = null!;
    private HostFactory _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandboxes = await SandboxCluster.StartAsync(new SandboxClusterOptions { SalesforceUrl = "http://127.0.0.1:0", JiraUrl = "http://127.0.0.1:0" });
        _factory = HostFactory.WithKey(_data.Path, Key);
        _client = _factory.CreateApiClient(Key);
        await PostAsync("/api/connections", new
        {
            name = "Support org",
            connector = "salesforce",
            settings = new
            {
                loginUrl = _sandboxes.Salesforce!.BaseUrl.ToString(), clientId = "pluginhub-sandbox", clientSecret = "sandbox-secret",
                username = "integration@pluginhub.test", password = "sandbox-password", securityToken = "SANDBOXTOKEN",
            },
        });
        await PostAsync("/api/connections", new
        {
            name = "Engineering Jira",
            connector = "jira",
            settings = new { baseUrl = _sandboxes.Jira!.BaseUrl.ToString(), username = "integration@pluginhub.test", apiToken = "sandbox-token" },
        });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _sandboxes.DisposeAsync();
        _data.Dispose();
    }

    [Theory]
    [InlineData("salesforce-cases-to-jira-tasks", "Support org", "Engineering Jira")]
    [InlineData("jira-tasks-to-salesforce-cases", "Engineering Jira", "Support org")]
    public async Task Both_templates_pass_against_the_real_schemas(string template, string source, string target)
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/api/integrations", UriKind.Relative), new
        {
            name = template,
            template,
            source = new { connection = source },
            target = new { connection = target },
            direction = "bidirectional",
        });

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_entities_fields_values_and_correlation_fields_are_all_reported_at_once()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/api/integrations", UriKind.Relative), new
        {
            name = "Broken",
            source = new { connection = "Support org", entity = "Case" },
            target = new { connection = "Engineering Jira", entity = "Task", scope = new { project = "SUP" } },
            direction = "bidirectional",
            fields = new object[]
            {
                new { source = "Subjekt", target = "summary" },
                new { source = "Status", target = "status", valueMap = new { toTarget = new Dictionary<string, string> { ["New"] = "Doing" } } },
                new { source = "CaseNumber", target = "summary", direction = "both" },
                new { source = "OwnerId", target = "summary" },
            },
            correlation = new { source = new { field = "Subject" } },
        });
        using var noEntity = await _client.PostAsJsonAsync(new Uri("/api/integrations", UriKind.Relative), new
        {
            name = "No entity",
            source = new { connection = "Support org", entity = "Ticket__c" },
            target = new { connection = "Engineering Jira", entity = "Task", scope = new { project = "SUP" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("Case has no field 'Subjekt'", errors.GetProperty("definition/fields/0/source")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("'Doing' is not a value of status", errors.GetProperty("definition/fields/1/valueMap/toTarget")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("cannot be written", errors.GetProperty("definition/fields/2/source")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("users map only to users", errors.GetProperty("definition/fields/3")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("cannot hold a searchable correlation id", errors.GetProperty("definition/correlation/source/field")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noEntity.StatusCode);
        Assert.Contains("has no entity 'Ticket__c'", (await noEntity.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    private async Task PostAsync(string path, object body)
    {
        using var response = await _client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
