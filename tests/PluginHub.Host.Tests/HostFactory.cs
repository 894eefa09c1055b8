using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace PluginHub.Host.Tests;

/// <summary>The real host in memory, with its own data folder and settings per test.</summary>
public sealed class HostFactory : WebApplicationFactory<PluginHubOptions>
{
    private readonly Dictionary<string, string?> _settings;

    public HostFactory(string dataDir, IDictionary<string, string?>? settings = null)
    {
        DataDir = dataDir;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["PluginHub:DataDir"] = dataDir,
        };
    }

    public string DataDir { get; }

    /// <summary>Every log line the host wrote, at every level.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>A host whose API key is <paramref name="apiKey"/>, with more settings if given.</summary>
    public static HostFactory WithKey(string dataDir, string apiKey, IDictionary<string, string?>? settings = null) =>
        new(dataDir, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["PluginHub:ApiKey"] = apiKey });

    /// <summary>A client that sends <paramref name="apiKey"/> in X-Api-Key.</summary>
    public HttpClient CreateApiClient(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
    }
}
