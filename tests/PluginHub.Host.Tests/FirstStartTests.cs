using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PluginHub.Testing;

namespace PluginHub.Host.Tests;

/// <summary>The host as a new user starts it: a real process, no configuration, an empty data folder.</summary>
public sealed class FirstStartTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Starts_with_no_configuration_creates_its_store_and_guards_the_api()
    {
        await using var host = await HostProcess.StartAsync(
            new Dictionary<string, string> { ["PluginHub__DataDir"] = _data.Path, ["ASPNETCORE_ENVIRONMENT"] = "Production" },
            TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/api/connectors", UriKind.Relative))).StatusCode);
        Assert.True(File.Exists(Path.Combine(_data.Path, "pluginhub.db")), "the SQLite store is created in the data folder");

        var keyFile = Path.Combine(_data.Path, "api-key");
        Assert.Contains(keyFile, host.Output, StringComparison.Ordinal);
        var key = (await File.ReadAllTextAsync(keyFile)).Trim();
        Assert.DoesNotContain(key, host.Output, StringComparison.Ordinal);

        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var connectors = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/connectors", UriKind.Relative));
        Assert.Equal(
            [("jira", "Active"), ("salesforce", "Active")],
            connectors.EnumerateArray().Select(c => (c.GetProperty("id").GetString(), c.GetProperty("status").GetString())));
    }

    public void Dispose() => _data.Dispose();
}
