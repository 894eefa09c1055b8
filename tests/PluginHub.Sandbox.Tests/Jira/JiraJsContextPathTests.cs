using PluginHub.Sandbox.Tests.Clients;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>jira.js keeps a path prefix in <c>host</c>: a DC context path (<c>/jira</c>) works end to end and every URL keeps it.</summary>
public sealed class JiraJsContextPathTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    [Fact]
    public async Task Version2Client_against_a_server_context_path()
    {
        var baseUrl = f.ServerServer.BaseUrl.ToString().TrimEnd('/') + "/jira";
        var r = await NodeClient.RunAsync("jira/v2-server.mjs", new Dictionary<string, string>
        {
            ["JIRA_URL"] = baseUrl,
            ["JIRA_EMAIL"] = "integration",
            ["JIRA_TOKEN"] = JiraSandboxFixture.IntegrationToken,
            ["JIRA_PAT"] = JiraSandboxFixture.IntegrationToken,
        });

        Assert.Equal($"{baseUrl}/rest/api/2/user?username=integration", r.GetProperty("myself").GetProperty("self").GetString());
        Assert.StartsWith($"{baseUrl}/secure/attachment/", r.GetProperty("attachments")[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.StartsWith($"{baseUrl}/rest/api/2/issue/", r.GetProperty("afterEdit").GetProperty("self").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, r.GetProperty("searchPost").GetProperty("total").GetInt32());
    }
}
