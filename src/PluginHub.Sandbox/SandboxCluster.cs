using PluginHub.Sandbox.Hosting;
using PluginHub.Sandbox.Jira;
using PluginHub.Sandbox.Salesforce;

namespace PluginHub.Sandbox;

/// <summary>What to start; a null URL leaves that sandbox off.</summary>
public sealed record SandboxClusterOptions
{
    public string? SalesforceUrl { get; init; }

    /// <summary>Jira Cloud flavour (REST v2 and v3, <c>/search/jql</c>, accountId users).</summary>
    public string? JiraUrl { get; init; }

    /// <summary>Jira Server/Data Center flavour (REST v2, offset <c>/search</c>, name/key users, personal access tokens).</summary>
    public string? JiraServerUrl { get; init; }

    public int? Seed { get; init; }
}

/// <summary>
/// The library entry point: starts the requested sandboxes in this process (tests and the host's demo use
/// <c>http://127.0.0.1:0</c> for free ports) and stops them on dispose.
/// </summary>
public sealed class SandboxCluster : IAsyncDisposable
{
    private readonly List<SandboxServer> _servers = [];

    private SandboxCluster()
    {
    }

    public SandboxServer? Salesforce { get; private set; }

    public SandboxServer? Jira { get; private set; }

    public SandboxServer? JiraServer { get; private set; }

    public static async Task<SandboxCluster> StartAsync(SandboxClusterOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = new SandboxCluster();
        try
        {
            if (options.SalesforceUrl is { } sf)
            {
                cluster.Salesforce = await cluster.AddAsync(new SalesforceSandbox(), sf, options.Seed, cancellationToken);
            }

            if (options.JiraUrl is { } jira)
            {
                cluster.Jira = await cluster.AddAsync(new JiraSandbox(JiraFlavor.Cloud), jira, options.Seed, cancellationToken);
            }

            if (options.JiraServerUrl is { } server)
            {
                cluster.JiraServer = await cluster.AddAsync(new JiraSandbox(JiraFlavor.Server), server, options.Seed, cancellationToken);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task<SandboxServer> AddAsync(ISandboxApi api, string url, int? seed, CancellationToken cancellationToken)
    {
        var server = await SandboxServer.StartAsync(api, new SandboxOptions { Url = url, Seed = seed }, cancellationToken);
        _servers.Add(server);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _servers.Clear();
    }
}
