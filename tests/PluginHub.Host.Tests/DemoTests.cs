using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using PluginHub.Testing;

namespace PluginHub.Host.Tests;

/// <summary>The README's first command as a new user runs it: <c>--demo</c> syncs between the bundled sandboxes within a minute.</summary>
public sealed partial class DemoTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Demo_creates_both_template_integrations_and_data_flows_within_a_minute()
    {
        await using var host = await HostProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["PluginHub__DataDir"] = _data.Path,
                ["PluginHub__Demo__SalesforceUrl"] = "http://127.0.0.1:0",
                ["PluginHub__Demo__JiraUrl"] = "http://127.0.0.1:0",
                ["PluginHub__Demo__PollSeconds"] = "5",
                ["PluginHub__Demo__ActivitySeconds"] = "2",
            },
            TimeSpan.FromSeconds(60),
            "--demo");

        await host.WaitForOutputAsync(CaseToTaskCreated(), TimeSpan.FromSeconds(60));
        await host.WaitForOutputAsync(TaskToCaseCreated(), TimeSpan.FromSeconds(60));

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo");
        var integrations = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/integrations", UriKind.Relative));
        Assert.Equal(2, integrations.GetArrayLength());
        Assert.All(integrations.EnumerateArray(), i => Assert.True(i.GetProperty("enabled").GetBoolean()));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative))).StatusCode);
        Assert.True(Directory.Exists(Path.Combine(_data.Path, "demo")), "the demo keeps its data apart");
    }

    public void Dispose() => _data.Dispose();

    [GeneratedRegex(@"Case \S+ → Task SUP-\d+ created")]
    private static partial Regex CaseToTaskCreated();

    [GeneratedRegex(@"Task SUP-\d+ → Case \S+ created")]
    private static partial Regex TaskToCaseCreated();
}
