using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PluginHub.Testing;
using Quartz;

namespace PluginHub.Host.Tests;

/// <summary>Two hosts on one PostgreSQL database: one schema, one Quartz cluster sharing the integrations' jobs (DESIGN §7, §8).</summary>
public sealed class ClusteredPostgresTests : IAsyncLifetime
{
    private const string Key = "cluster-test-key";
    private readonly TempDirectory _data = new();
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _data.Dispose();
    }

    private HostFactory Host() => new(_data.Path, new Dictionary<string, string?>
    {
        ["PluginHub:ApiKey"] = Key,
        ["PluginHub:Storage:Provider"] = "PostgreSql",
        ["PluginHub:Storage:ConnectionString"] = _database.ConnectionString,
    });

    [Fact]
    public async Task Two_hosts_share_the_database_and_the_schedule()
    {
        await using var first = Host();
        await using var second = Host();
        using var api = first.CreateClient();
        using var other = second.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", Key);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);

        await api.PostAsJsonAsync(new Uri("/api/connections", UriKind.Relative),
            new { name = "sf", connector = "salesforce", settings = new { loginUrl = "http://127.0.0.1:9", clientId = "c", username = "u" } });
        await api.PostAsJsonAsync(new Uri("/api/connections", UriKind.Relative),
            new { name = "jira", connector = "jira", settings = new { baseUrl = "http://127.0.0.1:9", apiToken = "t" } });
        using var created = await api.PostAsJsonAsync(new Uri("/api/integrations", UriKind.Relative), new
        {
            name = "clustered",
            template = "salesforce-cases-to-jira-tasks",
            source = new { connection = "sf" },
            target = new { connection = "jira" },
            schedule = new { pollSeconds = 3600 },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(new Uri($"/api/integrations/{id}/enable", UriKind.Relative), null)).StatusCode);

        // The second host sees the job the first one scheduled: the Quartz store is the shared database.
        var scheduler = await second.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.True(await scheduler.Exists(new TriggerKey(id, "integrations")));
        var nodes = await scheduler.QueryClusterNodes();
        Assert.True(nodes.Count >= 2, $"both hosts check in to the cluster; saw {nodes.Count}");
    }
}
