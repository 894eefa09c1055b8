using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PluginHub.Host.Tests;

/// <summary>The real host in memory, with its own data folder and settings per test.</summary>
public sealed class HostFactory : WebApplicationFactory<Program>
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
