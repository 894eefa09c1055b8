using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PluginHub.Testing;
using PluginHub.Testing.EndToEnd;
using Xunit.Abstractions;

namespace PluginHub.Host.Tests;

/// <summary>The host as a real process, managed through its API, syncing between the sandboxes of the test process.</summary>
internal sealed class HostAgainstSandboxes : IAsyncDisposable
{
    public const string Key = "sandbox-tests-key";

    private readonly TempDirectory _data = new();

    private HostAgainstSandboxes(SyncHarness sandboxes)
    {
        Sandboxes = sandboxes;
    }

    /// <summary>Both sandboxes, with their people (<see cref="SyncHarness.Agent"/>, <see cref="SyncHarness.Developer"/>).</summary>
    public SyncHarness Sandboxes { get; }

    public HostProcess Host { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public static async Task<HostAgainstSandboxes> StartAsync(ITestOutputHelper output)
    {
        var setup = new HostAgainstSandboxes(await SyncHarness.StartAsync(output));
        await setup.StartHostAsync();
        return setup;
    }

    /// <summary>Starts (or starts again) the host process on the same data folder.</summary>
    public async Task StartHostAsync()
    {
        Api?.Dispose();
        Host = await HostProcess.StartAsync(
            new Dictionary<string, string> { ["PluginHub__DataDir"] = _data.Path, ["PluginHub__ApiKey"] = Key },
            TimeSpan.FromSeconds(60));
        Api = new HttpClient { BaseAddress = Host.BaseAddress };
        Api.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    /// <summary>Creates the two connections and an integration from a template with the given overrides; returns its id.</summary>
    public async Task<string> CreateIntegrationAsync(string template, Dictionary<string, object?> overrides)
    {
        var salesforce = await PostAsync("/api/connections", new { name = "Salesforce", connector = "salesforce", settings = Sandboxes.SalesforceSettings() });
        var jira = await PostAsync("/api/connections", new { name = "Jira", connector = "jira", settings = Sandboxes.JiraSettings() });
        var salesforceIsSource = template.StartsWith("salesforce", StringComparison.Ordinal);
        var request = new Dictionary<string, object?>
        {
            ["name"] = template,
            ["template"] = template,
            ["source"] = new { connection = salesforceIsSource ? salesforce : jira },
            ["target"] = new { connection = salesforceIsSource ? jira : salesforce },
        };
        foreach (var (key, value) in overrides)
        {
            request[key] = value;
        }

        return await PostAsync("/api/integrations", request);
    }

    /// <summary>Runs the integration now and waits for the run to end.</summary>
    public async Task<JsonElement> RunAsync(string integrationId, TimeSpan? timeout = null)
    {
        var runId = await PostAsync($"/api/integrations/{integrationId}/runs", null, HttpStatusCode.Accepted);
        return await Poll.UntilAsync(
            () => Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/runs/{runId}", UriKind.Relative)),
            r => r.GetProperty("status").GetString() is not ("Queued" or "Running"),
            "the run ends",
            timeout ?? TimeSpan.FromSeconds(60));
    }

    public async Task<string> PostAsync(string path, object? body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await Api.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {text}");
        return text.Length > 0 && JsonDocument.Parse(text).RootElement is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("id", out var id) ? id.GetString()! : text;
    }

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Sandboxes.DisposeAsync();
        _data.Dispose();
    }
}
