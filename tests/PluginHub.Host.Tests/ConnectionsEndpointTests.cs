using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PluginHub.Testing;

namespace PluginHub.Host.Tests;

public sealed class ConnectionsEndpointTests : IAsyncLifetime
{
    private const string Key = "connections-test-key";
    private const string Password = "pa55-Word-never-shown";
    private const string Token = "TOKEN-never-shown";
    private const string ClientSecret = "client-secret-never-shown";
    private readonly TempDirectory _data = new();
    private HostFactory _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory = HostFactory.WithKey(_data.Path, Key);
        _client = _factory.CreateApiClient(Key);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    private static object SalesforceConnection(string name = "Support org") => new
    {
        name,
        connector = "salesforce",
        settings = new
        {
            loginUrl = "http://127.0.0.1:9",
            clientId = "pluginhub-sandbox",
            clientSecret = ClientSecret,
            username = "integration@pluginhub.test",
            password = Password,
            securityToken = Token,
        },
    };

    private async Task<JsonElement> CreateAsync(object body)
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/api/connections", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Creates_a_connection_and_never_returns_its_secrets()
    {
        var created = await CreateAsync(SalesforceConnection());
        var id = created.GetProperty("id").GetString();

        var read = await _client.GetStringAsync(new Uri($"/api/connections/{id}", UriKind.Relative));
        var list = await _client.GetStringAsync(new Uri("/api/connections", UriKind.Relative));

        foreach (var body in new[] { created.GetRawText(), read, list })
        {
            Assert.DoesNotContain(Password, body, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, body, StringComparison.Ordinal);
            Assert.DoesNotContain(ClientSecret, body, StringComparison.Ordinal);
        }

        using var doc = JsonDocument.Parse(read);
        Assert.Equal("integration@pluginhub.test", doc.RootElement.GetProperty("settings").GetProperty("username").GetString());
        Assert.False(doc.RootElement.GetProperty("settings").TryGetProperty("password", out _));
        Assert.Equal(["clientSecret", "password", "securityToken"], doc.RootElement.GetProperty("secretsSet").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Secrets_are_encrypted_at_rest_and_absent_from_the_logs()
    {
        var created = await CreateAsync(SalesforceConnection());
        await _client.PostAsync(new Uri($"/api/connections/{created.GetProperty("id").GetString()}/test", UriKind.Relative), null);

        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "pluginhub.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT ProtectedSettings FROM connections";
        var stored = (string)(await command.ExecuteScalarAsync())!;

        Assert.DoesNotContain(Password, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("integration@pluginhub.test", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, _factory.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, _factory.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, _factory.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_keeps_secrets_it_does_not_send_and_clears_those_sent_as_null()
    {
        var id = (await CreateAsync(SalesforceConnection())).GetProperty("id").GetString();

        using var keep = await _client.PutAsJsonAsync(new Uri($"/api/connections/{id}", UriKind.Relative), new
        {
            name = "Renamed org",
            settings = new { loginUrl = "http://127.0.0.1:9", clientId = "pluginhub-sandbox", username = "integration@pluginhub.test" },
        });
        var kept = await keep.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, keep.StatusCode);
        Assert.Equal("Renamed org", kept.GetProperty("name").GetString());
        Assert.Equal(3, kept.GetProperty("secretsSet").GetArrayLength());

        using var clear = await _client.PutAsJsonAsync(new Uri($"/api/connections/{id}", UriKind.Relative), new
        {
            name = "Renamed org",
            settings = new Dictionary<string, string?> { ["loginUrl"] = "http://127.0.0.1:9", ["clientId"] = "x", ["username"] = "u", ["securityToken"] = null },
        });
        var cleared = await clear.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["clientSecret", "password"], cleared.GetProperty("secretsSet").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Invalid_connections_get_every_problem_at_once()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/api/connections", UriKind.Relative), new
        {
            name = "",
            connector = "salesforce",
            settings = new { loginUrl = "not a url", authFlow = "magic", unknownSetting = 1 },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var keys = errors.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("name", keys);
        Assert.Contains("settings/loginUrl", keys);
        Assert.Contains("settings/authFlow", keys);
        Assert.Contains(keys, k => k.StartsWith("settings", StringComparison.Ordinal) && errors.GetProperty(k).GetRawText().Contains("clientId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_connector_is_a_validation_problem_naming_the_installed_ones()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/api/connections", UriKind.Relative), new { name = "x", connector = "zendesk", settings = new { } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("connector")[0].GetString();
        Assert.Contains("zendesk", message, StringComparison.Ordinal);
        Assert.Contains("jira, salesforce", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_are_unique()
    {
        await CreateAsync(SalesforceConnection("Same"));

        using var response = await _client.PostAsJsonAsync(new Uri("/api/connections", UriKind.Relative), SalesforceConnection("Same"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Delete_removes_the_connection()
    {
        var id = (await CreateAsync(SalesforceConnection())).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync(new Uri($"/api/connections/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(new Uri($"/api/connections/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync(new Uri($"/api/connections/{id}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Testing_a_connection_that_cannot_work_reports_why_without_failing_the_request()
    {
        var id = (await CreateAsync(SalesforceConnection())).GetProperty("id").GetString();

        using var response = await _client.PostAsync(new Uri($"/api/connections/{id}/test", UriKind.Relative), null);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("failureKind").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Malformed_json_is_answered_with_problem_details()
    {
        using var content = new StringContent("{ \"name\": ", System.Text.Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync(new Uri("/api/connections", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_problem_details_before_it_is_read()
    {
        var padding = new string('x', 1024 * 1024);
        using var content = new StringContent($$"""{ "name": "big", "connector": "jira", "settings": { "baseUrl": "https://x.test", "apiToken": "{{padding}}" } }""", System.Text.Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync(new Uri("/api/connections", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await _client.GetFromJsonAsync<JsonElement[]>(new Uri("/api/connections", UriKind.Relative)) ?? []);
    }
}
