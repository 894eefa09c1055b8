using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PluginHub.Sandbox.Hosting;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>A response with its status, headers and body parsed as JSON when it is JSON.</summary>
public sealed record JiraResponse(HttpStatusCode Status, HttpResponseHeaders Headers, string? ContentType, string Text, byte[] Bytes)
{
    public JsonNode Json => JsonNode.Parse(Text) ?? throw new InvalidOperationException("null body");

    public int Code => (int)Status;

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

/// <summary>A raw HTTP client for one Jira sandbox and one identity (Basic, Bearer or anonymous).</summary>
public sealed class JiraHttp : IDisposable
{
    private readonly HttpClient _http;

    public JiraHttp(Uri baseUrl, string? login, string? secret, bool bearer = false)
    {
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseUrl };
        if (bearer)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }
        else if (login is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login}:{secret}")));
        }

        _http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
    }

    public Uri BaseUrl => _http.BaseAddress!;

    public async Task<JiraResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        configure?.Invoke(request);
        using var response = await _http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new JiraResponse(response.StatusCode, response.Headers, response.Content.Headers.ContentType?.ToString(), Encoding.UTF8.GetString(bytes), bytes);
    }

    public Task<JiraResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<JiraResponse> PostAsync(string path, JsonNode? body) => SendAsync(HttpMethod.Post, path, body ?? new JsonObject());

    public Task<JiraResponse> PutAsync(string path, JsonNode? body) => SendAsync(HttpMethod.Put, path, body ?? new JsonObject());

    public Task<JiraResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    /// <summary>Creates an issue and returns its key (asserting 201).</summary>
    public async Task<string> CreateIssueAsync(string summary, string type = "Task", JsonObject? extraFields = null, string version = "2")
    {
        var fields = new JsonObject { ["project"] = new JsonObject { ["key"] = "SUP" }, ["issuetype"] = new JsonObject { ["name"] = type }, ["summary"] = summary };
        foreach (var (k, v) in extraFields ?? [])
        {
            fields[k] = v?.DeepClone();
        }

        var r = await PostAsync($"/rest/api/{version}/issue", new JsonObject { ["fields"] = fields });
        Assert.True(r.Code == 201, r.Text);
        return (string)r.Json["key"]!;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A Cloud and a Server sandbox on free ports, with clients for both default users; one per test class.</summary>
public class JiraSandboxFixture : IAsyncLifetime
{
    public const string IntegrationEmail = "integration@pluginhub.test";
    public const string IntegrationToken = "sandbox-token";
    public const string DeveloperEmail = "developer@pluginhub.test";
    public const string DeveloperToken = "developer-token";

    public SandboxCluster Cluster { get; private set; } = null!;

    public SandboxServer CloudServer => Cluster.Jira!;

    public SandboxServer ServerServer => Cluster.JiraServer!;

    public JiraHttp Cloud { get; private set; } = null!;

    public JiraHttp CloudDeveloper { get; private set; } = null!;

    public JiraHttp Server { get; private set; } = null!;

    public JiraHttp Anonymous { get; private set; } = null!;

    public virtual int? Seed => null;

    public async Task InitializeAsync()
    {
        Cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { JiraUrl = "http://127.0.0.1:0", JiraServerUrl = "http://127.0.0.1:0", Seed = Seed });
        Cloud = new JiraHttp(CloudServer.BaseUrl, IntegrationEmail, IntegrationToken);
        CloudDeveloper = new JiraHttp(CloudServer.BaseUrl, DeveloperEmail, DeveloperToken);
        Server = new JiraHttp(ServerServer.BaseUrl, "integration", IntegrationToken);
        Anonymous = new JiraHttp(CloudServer.BaseUrl, null, null);
    }

    public JiraHttp Client(SandboxServer server, string? login, string? secret, bool bearer = false) => new(server.BaseUrl, login, secret, bearer);

    public async Task DisposeAsync()
    {
        Cloud.Dispose();
        CloudDeveloper.Dispose();
        Server.Dispose();
        Anonymous.Dispose();
        await Cluster.DisposeAsync();
    }
}

/// <summary>The same pair of sandboxes seeded with Bogus seed 7.</summary>
public sealed class SeededJiraSandboxFixture : JiraSandboxFixture
{
    public override int? Seed => 7;
}

internal static class Json
{
    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static string Str(this JsonNode? node) => node?.GetValue<string>() ?? throw new InvalidOperationException("missing string");

    public static JsonObject Adf(string text) => Obj($$"""{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":{{JsonValue.Create(text).ToJsonString()}}}]}]}""");
}
