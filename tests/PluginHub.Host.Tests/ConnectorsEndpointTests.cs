using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PluginHub.Testing;

namespace PluginHub.Host.Tests;

public sealed class ConnectorsEndpointTests : IDisposable
{
    private const string Key = "connectors-test-key";
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Lists_the_bundled_salesforce_and_jira_plugins_as_active()
    {
        await using var factory = new HostFactory(_data.Path, new Dictionary<string, string?> { ["PluginHub:ApiKey"] = Key });

        var connectors = await GetConnectorsAsync(factory);

        Assert.Equal(["jira", "salesforce"], connectors.Select(c => c.GetProperty("id").GetString()));
        Assert.All(connectors, c =>
        {
            Assert.Equal("Active", c.GetProperty("status").GetString());
            Assert.Equal(PluginHub.Connectors.Abstractions.ContractVersion.Current, c.GetProperty("contract").GetString());
            Assert.Equal(JsonValueKind.Null, c.GetProperty("error").ValueKind);
            Assert.Equal(JsonValueKind.Array, c.GetProperty("capabilities").ValueKind);
        });
    }

    [Fact]
    public async Task A_corrupt_plugin_folder_is_reported_faulted_and_the_host_keeps_serving()
    {
        using var plugins = new TempDirectory();
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "plugins"), plugins.Path);
        var corrupt = Directory.CreateDirectory(Path.Combine(plugins.Path, "Broken.Connector")).FullName;
        await File.WriteAllTextAsync(Path.Combine(corrupt, "connector.json"),
            """{ "id": "broken", "name": "Broken", "version": "1.0.0", "contract": "1.0", "assembly": "Broken.dll" }""");
        await File.WriteAllBytesAsync(Path.Combine(corrupt, "Broken.dll"), [0x4D, 0x5A, 0x00, 0x13, 0x37, 0xFF, 0x00, 0x01]);
        var unreadable = Directory.CreateDirectory(Path.Combine(plugins.Path, "Unreadable.Connector")).FullName;
        await File.WriteAllTextAsync(Path.Combine(unreadable, "connector.json"), "{ this is not json");

        await using var factory = new HostFactory(_data.Path, new Dictionary<string, string?>
        {
            ["PluginHub:ApiKey"] = Key,
            ["PluginHub:PluginsDir"] = plugins.Path,
        });

        var connectors = (await GetConnectorsAsync(factory)).ToDictionary(c => c.GetProperty("id").GetString()!);

        Assert.Equal("Active", connectors["salesforce"].GetProperty("status").GetString());
        Assert.Equal("Active", connectors["jira"].GetProperty("status").GetString());
        Assert.Equal("Faulted", connectors["broken"].GetProperty("status").GetString());
        Assert.Contains("not a valid .NET assembly", connectors["broken"].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("Faulted", connectors["Unreadable.Connector"].GetProperty("status").GetString());
        Assert.Contains("connector.json", connectors["Unreadable.Connector"].GetProperty("error").GetString(), StringComparison.Ordinal);

        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_disabled_plugin_is_listed_as_disabled()
    {
        await using var factory = new HostFactory(_data.Path, new Dictionary<string, string?>
        {
            ["PluginHub:ApiKey"] = Key,
            ["PluginHub:Plugins:Disabled:0"] = "jira",
        });

        var connectors = (await GetConnectorsAsync(factory)).ToDictionary(c => c.GetProperty("id").GetString()!);

        Assert.Equal("Disabled", connectors["jira"].GetProperty("status").GetString());
        Assert.Equal("Active", connectors["salesforce"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Swagger_documents_the_route_and_the_api_key_scheme()
    {
        await using var factory = new HostFactory(_data.Path, new Dictionary<string, string?> { ["PluginHub:ApiKey"] = Key });
        using var client = factory.CreateClient();

        using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative)));

        var scheme = doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        var operation = doc.RootElement.GetProperty("paths").GetProperty("/api/connectors").GetProperty("get");
        Assert.Equal("ListConnectors", operation.GetProperty("operationId").GetString());
        Assert.Equal("Connectors", operation.GetProperty("tags")[0].GetString());
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
    }

    private static async Task<List<JsonElement>> GetConnectorsAsync(HostFactory factory)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        var body = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/connectors", UriKind.Relative));
        return [.. body.EnumerateArray()];
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    public void Dispose() => _data.Dispose();
}
