using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Sandbox.Hosting;
using PluginHub.Sandbox.Salesforce;
using PluginHub.Testing;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>
/// A Salesforce sandbox on a free port for one test class (xunit class fixture), with the connection settings that reach it and
/// helpers for its admin routes. Classes that inject faults or change sessions get their own org this way.
/// </summary>
public class SalesforceSandbox : IAsyncLifetime
{
    public const string ClientId = "pluginhub-sandbox";
    public const string ClientSecret = "sandbox-secret";
    public const string Username = "integration@pluginhub.test";
    public const string Password = "sandbox-password";
    public const string SecurityToken = "SANDBOXTOKEN";

    private SandboxServer _server = null!;
    private HttpClient _admin = null!;

    public Uri BaseUrl => _server.BaseUrl;

    /// <summary>The org's clock; null for the system clock.</summary>
    protected virtual TimeProvider? Clock => null;

    public virtual async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(
            new PluginHub.Sandbox.Salesforce.SalesforceSandbox(new SalesforceSandboxOptions { Time = Clock }),
            new SandboxOptions { Url = "http://127.0.0.1:0" });
        _admin = new HttpClient { BaseAddress = _server.BaseUrl };
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>Settings of the integration user with the password flow; <paramref name="overrides"/> replace or add keys.</summary>
    public JsonElement Settings(params (string Key, object? Value)[] overrides)
    {
        var settings = new Dictionary<string, object?>
        {
            ["loginUrl"] = BaseUrl.ToString().TrimEnd('/'),
            ["clientId"] = ClientId,
            ["clientSecret"] = ClientSecret,
            ["username"] = Username,
            ["password"] = Password,
            ["securityToken"] = SecurityToken,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return JsonSerializer.SerializeToElement(settings.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value));
    }

    public SalesforceConnector Connect(ITestOutputHelper output, JsonElement? settings = null, TimeProvider? time = null) =>
        (SalesforceConnector)new SalesforceConnectorFactory().Create(new ConnectorContext
        {
            ConnectionId = "salesforce-tests",
            Settings = settings ?? Settings(),
            LoggerFactory = LoggerFactory.Create(b => b.AddTestOutput(output, LogLevel.Debug)),
            Time = time ?? TimeProvider.System,
        });

    /// <summary>POSTs to an admin route (<c>/_sandbox/{path}</c>) and returns the JSON answer.</summary>
    public async Task<JsonElement> AdminAsync(string path, object? body = null)
    {
        using var response = await _admin.PostAsJsonAsync(new Uri($"/_sandbox/{path}", UriKind.Relative), body ?? new { });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await _admin.DeleteAsync(new Uri("/_sandbox/faults", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Calls per route template since the last reset (<c>"GET /services/data/v{version}/query"</c> → n).</summary>
    public async Task<IReadOnlyDictionary<string, long>> MetricsAsync()
    {
        var metrics = await _admin.GetFromJsonAsync<JsonElement>(new Uri("/_sandbox/metrics", UriKind.Relative));
        return metrics.GetProperty("byRoute").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
    }

    public Task ResetMetricsAsync() => AdminAsync("metrics/reset");

    /// <summary>
    /// A REST call as the given user (a person editing records, or an admin doing what the connector does not: deletes, e-mails),
    /// logging in on each call. Returns the status and the JSON body (default when empty).
    /// </summary>
    public async Task<(int Status, JsonElement Body)> RestAsync(HttpMethod method, string path, object? body = null, string username = Username, string password = Password + SecurityToken)
    {
        using var login = await _admin.PostAsync(new Uri("/services/oauth2/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["username"] = username,
            ["password"] = password,
        }));
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(method, new Uri($"/services/data/v62.0/{path}", UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Creates a record over REST and returns its id.</summary>
    public async Task<string> CreateAsync(string type, object fields, string username = Username, string password = Password + SecurityToken)
    {
        var (status, body) = await RestAsync(HttpMethod.Post, $"sobjects/{type}", fields, username, password);
        Assert.True(status == 201, $"create {type}: {status} {body}");
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Calls of routes whose template contains <paramref name="fragment"/>.</summary>
    public async Task<long> CallsAsync(string fragment) => (await MetricsAsync()).Where(m => m.Key.Contains(fragment, StringComparison.Ordinal)).Sum(m => m.Value);

    /// <summary>The org id, as outbound messages carry it.</summary>
    public async Task<string> OrganizationIdAsync(ITestOutputHelper output)
    {
        await using var connector = Connect(output);
        var result = await connector.CheckAsync(CancellationToken.None);
        Assert.True(result.Healthy, result.Message);
        return result.Message!.Split(' ')[3];
    }

    /// <summary>A well-formed 18-character id with a valid checksum that no record has.</summary>
    public static string MissingId(string prefix) => WithChecksum(prefix + "5g0ZZZZZZZZZ");

    public static string WithChecksum(string id15)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        var suffix = new char[3];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (char.IsAsciiLetterUpper(id15[(chunk * 5) + i]))
                {
                    bits |= 1 << i;
                }
            }

            suffix[chunk] = Alphabet[bits];
        }

        return id15 + new string(suffix);
    }
}
