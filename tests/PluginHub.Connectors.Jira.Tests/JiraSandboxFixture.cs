using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Sandbox;
using PluginHub.Sandbox.Hosting;

namespace PluginHub.Connectors.Jira.Tests;

/// <summary>One Jira sandbox of one flavour on a free port, per test class, with its admin routes and raw clients.</summary>
public abstract class JiraSandboxFixture : IAsyncLifetime
{
    public const string IntegrationEmail = "integration@pluginhub.test";
    public const string IntegrationToken = "sandbox-token";
    public const string DeveloperEmail = "developer@pluginhub.test";
    public const string DeveloperToken = "developer-token";

    private SandboxCluster? _cluster;

    public abstract bool IsCloud { get; }

    public string ApiVersion => IsCloud ? "3" : "2";

    public SandboxServer Server { get; private set; } = null!;

    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>The sandbox's admin routes (no credentials).</summary>
    public HttpClient Admin { get; private set; } = null!;

    /// <summary>A raw REST client acting as the human user, for changes "people" make.</summary>
    public HttpClient Developer { get; private set; } = null!;

    /// <summary>A raw REST client acting as the integration user, to look at what the connector wrote.</summary>
    public HttpClient Integration { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync(IsCloud
            ? new SandboxClusterOptions { JiraUrl = "http://127.0.0.1:0" }
            : new SandboxClusterOptions { JiraServerUrl = "http://127.0.0.1:0" });
        Server = IsCloud ? _cluster.Jira! : _cluster.JiraServer!;
        Admin = new HttpClient { BaseAddress = BaseUrl };
        Developer = Client(DeveloperEmail, DeveloperToken);
        Integration = Client(IntegrationEmail, IntegrationToken);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        Developer.Dispose();
        Integration.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>Connection settings as the host would pass them.</summary>
    public JsonElement Settings(string? username = IntegrationEmail, string token = IntegrationToken, string? baseUrl = null, string? apiVersion = null, string? flavor = null)
    {
        var settings = new JsonObject
        {
            ["baseUrl"] = baseUrl ?? BaseUrl.ToString(),
            ["flavor"] = flavor ?? (IsCloud ? "cloud" : "server"),
            ["apiToken"] = token,
            ["pollOverlapSeconds"] = 5,
        };
        if (username is not null)
        {
            settings["username"] = username;
        }

        if (apiVersion is not null)
        {
            settings["apiVersion"] = apiVersion;
        }

        return JsonSerializer.SerializeToElement(settings);
    }

    public async Task AdminAsync(string path, object body)
    {
        using var response = await Admin.PostAsJsonAsync("_sandbox/" + path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await Admin.DeleteAsync("_sandbox/faults");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Calls per route since the last reset, e.g. <c>"POST /rest/api/2/issue/bulk"</c>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> MetricsAsync()
    {
        var metrics = await Admin.GetFromJsonAsync<JsonObject>("_sandbox/metrics");
        return metrics!["byRoute"]!.AsObject().ToDictionary(p => p.Key, p => (long)p.Value!, StringComparer.Ordinal);
    }

    public async Task ResetMetricsAsync()
    {
        using var response = await Admin.PostAsync("_sandbox/metrics/reset", null);
        response.EnsureSuccessStatusCode();
    }

    private HttpClient Client(string user, string token)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{token}")));
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }
}

/// <summary>Jira Cloud (REST v3, ADF).</summary>
public sealed class CloudSandbox : JiraSandboxFixture
{
    public override bool IsCloud => true;
}

/// <summary>Jira Server/Data Center (REST v2, wiki markup).</summary>
public sealed class ServerSandbox : JiraSandboxFixture
{
    public override bool IsCloud => false;
}
