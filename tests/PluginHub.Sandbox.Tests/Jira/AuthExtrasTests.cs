using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>Reference §1.2 and §10 optional auth behaviours: anonymous read mode, CAPTCHA after failed logins, hidden e-mails, dynamic webhooks.</summary>
public sealed class AuthExtrasTests(JiraSandboxFixture f) : IClassFixture<JiraSandboxFixture>
{
    private static async Task SettingsAsync(Uri baseUrl, object settings)
    {
        using var admin = new HttpClient { BaseAddress = baseUrl };
        (await admin.PostAsync(new Uri("/_sandbox/jira/settings", UriKind.Relative), JsonContent.Create(settings))).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Checklist_optional_anonymous_read_mode_lets_anonymous_callers_browse()
    {
        var key = await f.Cloud.CreateIssueAsync("public issue");
        await SettingsAsync(f.CloudServer.BaseUrl, new { anonymousRead = true });
        try
        {
            Assert.Equal(200, (await f.Anonymous.GetAsync($"/rest/api/2/issue/{key}")).Code);
            Assert.Equal(200, (await f.Anonymous.GetAsync("/rest/api/3/search/jql?jql=project%3DSUP")).Code);
            Assert.Equal(401, (await f.Anonymous.GetAsync("/rest/api/2/myself")).Code);
            Assert.Equal(401, (await f.Anonymous.PutAsync($"/rest/api/2/issue/{key}", new JsonObject())).Code);
        }
        finally
        {
            await SettingsAsync(f.CloudServer.BaseUrl, new { anonymousRead = false });
        }

        Assert.Equal(404, (await f.Anonymous.GetAsync($"/rest/api/2/issue/{key}")).Code);
    }

    [Fact]
    public async Task Failed_logins_can_look_anonymous_with_only_the_seraph_header_telling()
    {
        await SettingsAsync(f.ServerServer.BaseUrl, new { failedLoginAsAnonymous = true });
        try
        {
            using var wrong = f.Client(f.ServerServer, "integration", "wrong");
            var info = await wrong.GetAsync("/rest/api/2/serverInfo");
            Assert.Equal(200, info.Code);
            Assert.Equal("AUTHENTICATED_FAILED", info.Header("X-Seraph-LoginReason"));
            var search = await wrong.GetAsync("/rest/api/2/search?jql=project%3DSUP");
            Assert.Equal(400, search.Code);
            Assert.Equal("The value 'SUP' does not exist for the field 'project'.", search.Json["errorMessages"]![0].Str());
            var myself = await wrong.GetAsync("/rest/api/2/myself");
            Assert.Equal(401, myself.Code);
            Assert.Equal("AUTHENTICATED_FAILED", myself.Header("X-Seraph-LoginReason"));
            Assert.Null((await f.Server.GetAsync("/rest/api/2/serverInfo")).Header("X-Seraph-LoginReason"));
        }
        finally
        {
            await SettingsAsync(f.ServerServer.BaseUrl, new { failedLoginAsAnonymous = false });
        }
    }

    [Fact]
    public async Task Checklist_optional_captcha_after_failed_logins_answers_403_authentication_denied()
    {
        await SettingsAsync(f.ServerServer.BaseUrl, new { captchaAfterFailures = 2 });
        try
        {
            using var wrong = f.Client(f.ServerServer, "developer", "wrong");
            Assert.Equal(401, (await wrong.GetAsync("/rest/api/2/myself")).Code);
            Assert.Equal(401, (await wrong.GetAsync("/rest/api/2/myself")).Code);
            using var right = f.Client(f.ServerServer, "developer", "developer-token");
            var denied = await right.GetAsync("/rest/api/2/myself");
            Assert.Equal(403, denied.Code);
            Assert.Equal("AUTHENTICATION_DENIED", denied.Header("X-Seraph-LoginReason"));
            Assert.StartsWith("CAPTCHA_CHALLENGE; login-url=", denied.Header("X-Authentication-Denied-Reason"), StringComparison.Ordinal);
        }
        finally
        {
            await SettingsAsync(f.ServerServer.BaseUrl, new { captchaAfterFailures = 0 });
        }
    }

    [Fact]
    public async Task Checklist_optional_hidden_email_users_show_no_email_to_others_and_match_only_exactly()
    {
        using var admin = new HttpClient { BaseAddress = f.CloudServer.BaseUrl };
        var created = await admin.PostAsync(new Uri("/_sandbox/jira/users", UriKind.Relative), JsonContent.Create(new { email = "private@pluginhub.test", token = "private-token", displayName = "Pat Private", hideEmail = true }));
        Assert.Equal(201, (int)created.StatusCode);

        var found = (await f.Cloud.GetAsync("/rest/api/2/user/search?query=private@pluginhub.test")).Json.AsArray().Single()!.AsObject();
        Assert.False(found.ContainsKey("emailAddress"));
        Assert.Empty((await f.Cloud.GetAsync("/rest/api/2/user/search?query=private@")).Json.AsArray());
        Assert.Single((await f.Cloud.GetAsync("/rest/api/2/user/search?query=Pat")).Json.AsArray());
        using var self = f.Client(f.CloudServer, "private@pluginhub.test", "private-token");
        Assert.Equal("private@pluginhub.test", (await self.GetAsync("/rest/api/2/myself")).Json["emailAddress"].Str());
    }

    [Fact]
    public async Task Dynamic_webhooks_are_for_apps_only()
    {
        var r = await f.Cloud.PostAsync("/rest/api/2/webhook", Json.Obj("""{"url":"https://example.com","webhooks":[{"events":["jira:issue_created"],"jqlFilter":"project = SUP"}]}"""));
        Assert.Equal(403, r.Code);
    }
}
