using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PluginHub.Sandbox.Hosting;
using PluginHub.Sandbox.Salesforce;

namespace PluginHub.Sandbox.Tests.Salesforce;

/// <summary>
/// Starts a Salesforce sandbox on a free port for one test class (a fresh org per test: xunit creates the class per test)
/// and offers raw-HTTP helpers: login, authenticated JSON calls, admin calls.
/// </summary>
public abstract class SalesforceTestBase : IAsyncLifetime
{
    public const string Version = "64.0";

    protected SandboxServer Server { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    protected string Token { get; private set; } = string.Empty;

    protected Uri BaseUrl => Server.BaseUrl;

    protected static string Data => $"/services/data/v{Version}";

    /// <summary>Override to start the sandbox with its own clock or seed.</summary>
    protected virtual SalesforceSandboxOptions SandboxOptions => new();

    protected virtual int? Seed => null;

    public virtual async Task InitializeAsync()
    {
        Server = await SandboxServer.StartAsync(new SalesforceSandbox(SandboxOptions), new PluginHub.Sandbox.Hosting.SandboxOptions { Url = "http://127.0.0.1:0", Seed = Seed });
        Http = new HttpClient { BaseAddress = Server.BaseUrl };
        Token = await LoginAsync();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    protected static Uri U(string path) => new(path, UriKind.Relative);

    protected async Task<string> LoginAsync(string username = "integration@pluginhub.test", string password = "sandbox-passwordSANDBOXTOKEN")
    {
        using var anon = new HttpClient { BaseAddress = Server.BaseUrl };
        var res = await anon.PostAsync(U("/services/oauth2/token"), Form(("grant_type", "password"), ("client_id", "pluginhub-sandbox"), ("client_secret", "sandbox-secret"), ("username", username), ("password", password)));
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(res.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    protected static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    protected async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, object? body = null, string? token = null, HttpClient? client = null)
    {
        using var req = new HttpRequestMessage(method, U(path.StartsWith('/') ? path : $"{Data}/{path}"));
        if (body is not null)
        {
            req.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var res = await (client ?? Http).SendAsync(req);
        var text = await res.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (res.StatusCode, json, res);
    }

    protected Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    protected Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    protected Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, body);

    protected Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    protected async Task<string> CreateAsync(string type, object fields)
    {
        var (status, body, _) = await PostAsync($"sobjects/{type}", fields);
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    protected async Task<JsonElement> QueryAsync(string soql, bool all = false)
    {
        var (status, body, _) = await GetAsync($"{(all ? "queryAll" : "query")}?q={Uri.EscapeDataString(soql)}");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body;
    }

    protected async Task<JsonElement> AdminAsync(string path, object? body = null)
    {
        using var anon = new HttpClient { BaseAddress = Server.BaseUrl };
        var res = await anon.PostAsJsonAsync(U($"/_sandbox/{path}"), body ?? new { });
        var text = await res.Content.ReadAsStringAsync();
        Assert.True(res.IsSuccessStatusCode, $"{path}: {(int)res.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts Salesforce's error array shape and returns the first error.</summary>
    protected static JsonElement SingleError(JsonElement body, string errorCode)
    {
        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        var error = body[0];
        Assert.Equal(errorCode, error.GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        return error;
    }

    protected IDictionary<string, string> NodeEnv(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string> { ["SF_URL"] = Server.BaseUrl.ToString().TrimEnd('/') };
        foreach (var (k, v) in extra)
        {
            env[k] = v;
        }

        return env;
    }
}
