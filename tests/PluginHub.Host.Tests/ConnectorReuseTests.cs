using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace PluginHub.Host.Tests;

/// <summary>Runs reuse their connectors' logins and described schemas, until the connection is saved again.</summary>
public sealed class ConnectorReuseTests(ITestOutputHelper output) : IAsyncLifetime
{
    private HostAgainstSandboxes _setup = null!;

    public async Task InitializeAsync() => _setup = await HostAgainstSandboxes.StartAsync(output);

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task Consecutive_runs_log_in_and_describe_once_and_a_saved_connection_opens_afresh()
    {
        var integration = await _setup.CreateIntegrationAsync("salesforce-cases-to-jira-tasks", []);
        var salesforce = _setup.Sandboxes.SalesforceUrl;
        await _setup.RunAsync(integration);
        await _setup.Sandboxes.ResetMetricsAsync(salesforce);

        await _setup.RunAsync(integration);
        await _setup.RunAsync(integration);
        Assert.Equal((0, 0), (await CallsAsync("POST /services/oauth2/token"), await CallsAsync("GET /services/data/v{version}/sobjects/{type}/describe")));

        var connections = await _setup.Api.GetFromJsonAsync<JsonElement>(new Uri("/api/connections", UriKind.Relative));
        var id = connections.EnumerateArray().Single(c => c.GetProperty("connector").GetString() == "salesforce").GetProperty("id").GetString();
        using var saved = await _setup.Api.PutAsJsonAsync(new Uri($"/api/connections/{id}", UriKind.Relative),
            new { name = "Salesforce, saved again", settings = _setup.Sandboxes.SalesforceSettings() });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        var run = await _setup.RunAsync(integration);
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1, await CallsAsync("POST /services/oauth2/token"));
    }

    private async Task<long> CallsAsync(string route)
    {
        var metrics = await _setup.Sandboxes.AdminAsync(_setup.Sandboxes.SalesforceUrl, HttpMethod.Get, "/_sandbox/metrics");
        return metrics!["byRoute"]![route]?.GetValue<long>() ?? 0;
    }
}
