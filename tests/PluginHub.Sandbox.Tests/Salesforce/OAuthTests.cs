using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PluginHub.Sandbox.Salesforce;

namespace PluginHub.Sandbox.Tests.Salesforce;

/// <summary>Reference §1 and checklist §10.1: token flows, errors, revoke, identity, bearer schemes, expiry.</summary>
public sealed class OAuthTests : SalesforceTestBase
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 26, 17, 42, 0, TimeSpan.Zero));

    protected override SalesforceSandboxOptions SandboxOptions => new() { Time = _clock };

    private async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(params (string Key, string Value)[] form)
    {
        using var anon = new HttpClient { BaseAddress = BaseUrl };
        var res = await anon.PostAsync(U("/services/oauth2/token"), Form(form));
        return (res.StatusCode, await res.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task Password_flow_answers_the_real_token_shape_with_the_sandbox_as_instance_url()
    {
        var (status, body) = await TokenAsync(("grant_type", "password"), ("client_id", "pluginhub-sandbox"), ("client_secret", "sandbox-secret"), ("username", "agent@pluginhub.test"), ("password", "agent-passwordAGENTTOKEN"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(BaseUrl.ToString().TrimEnd('/'), body.GetProperty("instance_url").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("issued_at").ValueKind);
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("issued_at").GetString());
        Assert.False(body.TryGetProperty("refresh_token", out _));
        Assert.False(body.TryGetProperty("expires_in", out _));
        var id = body.GetProperty("id").GetString()!;
        var segments = new Uri(id).Segments;
        Assert.StartsWith("00D", segments[^2], StringComparison.Ordinal);
        Assert.StartsWith("005", segments[^1], StringComparison.Ordinal);
        Assert.Matches("^00D[A-Za-z0-9]{12}![A-Za-z0-9._]+$", body.GetProperty("access_token").GetString()!);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("sandbox-secret"), Encoding.UTF8.GetBytes(id + body.GetProperty("issued_at").GetString())));
        Assert.Equal(expected, body.GetProperty("signature").GetString());
    }

    [Theory]
    [InlineData("integration@pluginhub.test", "sandbox-password", "pluginhub-sandbox", "sandbox-secret", "invalid_grant", "authentication failure")]
    [InlineData("integration@pluginhub.test", "wrongSANDBOXTOKEN", "pluginhub-sandbox", "sandbox-secret", "invalid_grant", "authentication failure")]
    [InlineData("nobody@pluginhub.test", "sandbox-passwordSANDBOXTOKEN", "pluginhub-sandbox", "sandbox-secret", "invalid_grant", "authentication failure")]
    [InlineData("integration@pluginhub.test", "sandbox-passwordSANDBOXTOKEN", "other-app", "sandbox-secret", "invalid_client_id", "client identifier invalid")]
    [InlineData("integration@pluginhub.test", "sandbox-passwordSANDBOXTOKEN", "pluginhub-sandbox", "wrong", "invalid_client", "invalid client credentials")]
    public async Task Wrong_credentials_get_the_real_oauth_error_bodies(string user, string password, string clientId, string secret, string error, string description)
    {
        var (status, body) = await TokenAsync(("grant_type", "password"), ("client_id", clientId), ("client_secret", secret), ("username", user), ("password", password));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal(description, body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Unknown_grant_type_is_unsupported_grant_type()
    {
        var (status, body) = await TokenAsync(("grant_type", "authorization_code"), ("client_id", "pluginhub-sandbox"), ("client_secret", "sandbox-secret"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("unsupported_grant_type", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Client_credentials_with_basic_auth_run_as_the_integration_user()
    {
        using var anon = new HttpClient { BaseAddress = BaseUrl };
        using var req = new HttpRequestMessage(HttpMethod.Post, U("/services/oauth2/token")) { Content = Form(("grant_type", "client_credentials")) };
        req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("pluginhub-sandbox:sandbox-secret")));
        var res = await anon.SendAsync(req);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Contains("api", body.GetProperty("scope").GetString(), StringComparison.Ordinal);
        var (_, me, _) = await SendAsync(HttpMethod.Get, "query?q=SELECT+Username+FROM+User+WHERE+Id+%3D+%27" + new Uri(body.GetProperty("id").GetString()!).Segments[^1] + "%27", token: body.GetProperty("access_token").GetString());
        Assert.Equal("integration@pluginhub.test", me.GetProperty("records")[0].GetProperty("Username").GetString());
    }

    [Fact]
    public async Task Refresh_token_flow_issues_a_new_access_token_and_a_revoked_refresh_token_fails()
    {
        var refresh = (await AdminAsync("refresh-tokens", new { username = "agent@pluginhub.test" })).GetProperty("refresh_token").GetString()!;
        var (status, body) = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", "pluginhub-sandbox"), ("client_secret", "sandbox-secret"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.EndsWith(new Uri(body.GetProperty("id").GetString()!).Segments[^1], body.GetProperty("id").GetString(), StringComparison.Ordinal);

        using var anon = new HttpClient { BaseAddress = BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await anon.PostAsync(U("/services/oauth2/revoke"), Form(("token", refresh)))).StatusCode);
        var (again, error) = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", "pluginhub-sandbox"), ("client_secret", "sandbox-secret"));
        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
        Assert.Equal("expired access/refresh token", error.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Revoked_access_token_answers_401_invalid_session_id()
    {
        using var anon = new HttpClient { BaseAddress = BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await anon.PostAsync(U("/services/oauth2/revoke"), Form(("token", Token)))).StatusCode);

        var (status, body, _) = await GetAsync("limits");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""", body.GetRawText());
    }

    [Fact]
    public async Task Missing_or_garbage_token_answers_the_exact_401_body()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, "sobjects", token: "00Dxx!nonsense");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""", body.GetRawText());
    }

    [Fact]
    public async Task Legacy_OAuth_authorization_scheme_is_accepted()
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, U($"{Data}/limits"));
        req.Headers.TryAddWithoutValidation("Authorization", "OAuth " + Token);
        using var anon = new HttpClient { BaseAddress = BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await anon.SendAsync(req)).StatusCode);
    }

    [Fact]
    public async Task Sessions_expire_after_the_configured_idle_lifetime_and_slide_with_activity()
    {
        await AdminAsync("sessions", new { lifetimeSeconds = 600 });
        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("limits")).Status); // activity slides the session
        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("limits")).Status);
        _clock.Advance(TimeSpan.FromMinutes(11));
        var (status, body, _) = await GetAsync("limits");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        SingleError(body, "INVALID_SESSION_ID");
    }

    [Fact]
    public async Task Admin_revocation_expires_every_session_of_a_user()
    {
        var agent = await LoginAsync("agent@pluginhub.test", "agent-passwordAGENTTOKEN");
        var revoked = await AdminAsync("sessions/revoke", new { username = "agent@pluginhub.test" });
        Assert.Equal(1, revoked.GetProperty("revoked").GetInt32());

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "limits", token: agent)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("limits")).Status);
    }

    [Fact]
    public async Task Identity_url_answers_with_bearer_or_oauth_token_parameter()
    {
        var login = await LoginUserInfoAsync();
        var (status, body, _) = await GetAsync(new Uri(login).PathAndQuery + "?format=json");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("integration@pluginhub.test", body.GetProperty("username").GetString());
        Assert.StartsWith("005", body.GetProperty("user_id").GetString(), StringComparison.Ordinal);

        using var anon = new HttpClient { BaseAddress = BaseUrl };
        var res = await anon.GetAsync(U(new Uri(login).PathAndQuery + "?format=json&oauth_token=" + Uri.EscapeDataString(Token)));
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anon.GetAsync(U(new Uri(login).PathAndQuery))).StatusCode);
    }

    private async Task<string> LoginUserInfoAsync()
    {
        using var anon = new HttpClient { BaseAddress = BaseUrl };
        var res = await anon.PostAsync(U("/services/oauth2/token"), Form(("grant_type", "password"), ("client_id", "pluginhub-sandbox"), ("client_secret", "sandbox-secret"), ("username", "integration@pluginhub.test"), ("password", "sandbox-passwordSANDBOXTOKEN")));
        return (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Users_added_by_admin_log_in_while_active()
    {
        await AdminAsync("users", new { username = "dev@pluginhub.test", firstName = "Dee", lastName = "Veloper", password = "pw", securityToken = "TOK" });
        var token = await LoginAsync("dev@pluginhub.test", "pwTOK");
        var me = (await SendAsync(HttpMethod.Get, "query?q=" + Uri.EscapeDataString("SELECT Name, Email FROM User WHERE Username = 'dev@pluginhub.test'"), token: token)).Body;
        Assert.Equal("Dee Veloper", me.GetProperty("records")[0].GetProperty("Name").GetString());

        await AdminAsync("users", new { username = "gone@pluginhub.test", password = "pw", securityToken = "TOK", isActive = false });
        var (status, body) = await TokenAsync(("grant_type", "password"), ("client_id", "pluginhub-sandbox"), ("client_secret", "sandbox-secret"), ("username", "gone@pluginhub.test"), ("password", "pwTOK"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Each_user_writes_under_its_own_identity()
    {
        var agent = await LoginAsync("agent@pluginhub.test", "agent-passwordAGENTTOKEN");
        var id = await CreateAsync("Case", new { Subject = "by integration" });
        var (status, _, _) = await SendAsync(HttpMethod.Patch, $"sobjects/Case/{id}", new { Status = "Working" }, token: agent);
        Assert.Equal(HttpStatusCode.NoContent, status);

        var row = (await QueryAsync($"SELECT CreatedBy.Username, LastModifiedBy.Username, Owner.Username FROM Case WHERE Id = '{id}'")).GetProperty("records")[0];
        Assert.Equal("integration@pluginhub.test", row.GetProperty("CreatedBy").GetProperty("Username").GetString());
        Assert.Equal("agent@pluginhub.test", row.GetProperty("LastModifiedBy").GetProperty("Username").GetString());
        Assert.Equal("User", row.GetProperty("LastModifiedBy").GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("integration@pluginhub.test", row.GetProperty("Owner").GetProperty("Username").GetString());
    }

    [Fact]
    public async Task Soap_login_returns_the_elements_jsforce_extracts_and_faults_on_bad_credentials()
    {
        using var anon = new HttpClient { BaseAddress = BaseUrl };
        const string Envelope = """<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header/><se:Body><login xmlns="urn:partner.soap.sforce.com"><username>agent@pluginhub.test</username><password>{0}</password></login></se:Body></se:Envelope>""";
        var ok = await anon.PostAsync(U("/services/Soap/u/50.0"), new StringContent(string.Format(System.Globalization.CultureInfo.InvariantCulture, Envelope, "agent-passwordAGENTTOKEN"), Encoding.UTF8, "text/xml"));
        var xml = await ok.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Matches("<serverUrl>http://127.0.0.1:\\d+/services/Soap/u/50.0/00D", xml);
        Assert.Matches("<sessionId>00D[^<]+</sessionId>", xml);
        Assert.Contains("<passwordExpired>false</passwordExpired>", xml, StringComparison.Ordinal);
        Assert.Matches("<organizationId>00D[A-Za-z0-9]{15}</organizationId>", xml);

        var bad = await anon.PostAsync(U("/services/Soap/u/50.0"), new StringContent(string.Format(System.Globalization.CultureInfo.InvariantCulture, Envelope, "nope"), Encoding.UTF8, "text/xml"));
        Assert.Equal(HttpStatusCode.InternalServerError, bad.StatusCode);
        Assert.Contains("INVALID_LOGIN", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Jwt(RSA key, object claims)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var head = B64(Encoding.UTF8.GetBytes("""{"alg":"RS256"}"""));
        var body = B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = key.SignData(Encoding.ASCII.GetBytes($"{head}.{body}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{head}.{body}.{B64(signature)}";
    }

    [Fact]
    public async Task Jwt_bearer_flow_checks_issuer_audience_expiry_subject_and_the_registered_key()
    {
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);
        await AdminAsync("jwt-certificate", new { pem = key.ExportSubjectPublicKeyInfoPem() });
        var exp = _clock.GetUtcNow().AddMinutes(3).ToUnixTimeSeconds();
        const string Grant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

        var (ok, body) = await TokenAsync(("grant_type", Grant), ("assertion", Jwt(key, new { iss = "pluginhub-sandbox", sub = "agent@pluginhub.test", aud = "https://login.salesforce.com", exp })));
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.False(body.TryGetProperty("refresh_token", out _));
        var (_, me, _) = await SendAsync(HttpMethod.Get, "query?q=SELECT+Username+FROM+User+WHERE+Id+%3D+%27" + new Uri(body.GetProperty("id").GetString()!).Segments[^1] + "%27", token: body.GetProperty("access_token").GetString());
        Assert.Equal("agent@pluginhub.test", me.GetProperty("records")[0].GetProperty("Username").GetString());

        foreach (var (assertion, error, description) in new[]
        {
            (Jwt(other, new { iss = "pluginhub-sandbox", sub = "agent@pluginhub.test", aud = "https://login.salesforce.com", exp }), "invalid_grant", "invalid assertion"),
            (Jwt(key, new { iss = "pluginhub-sandbox", sub = "agent@pluginhub.test", aud = "https://elsewhere.example", exp }), "invalid_grant", "audience is invalid"),
            (Jwt(key, new { iss = "pluginhub-sandbox", sub = "agent@pluginhub.test", aud = "https://login.salesforce.com", exp = exp - 600 }), "invalid_grant", "expired authorization code"),
            (Jwt(key, new { iss = "pluginhub-sandbox", sub = "ghost@pluginhub.test", aud = "https://login.salesforce.com", exp }), "invalid_grant", "user hasn't approved this consumer"),
            (Jwt(key, new { iss = "someone-else", sub = "agent@pluginhub.test", aud = "https://login.salesforce.com", exp }), "invalid_client_id", "client identifier invalid"),
        })
        {
            var (status, failure) = await TokenAsync(("grant_type", Grant), ("assertion", assertion));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(error, failure.GetProperty("error").GetString());
            Assert.Equal(description, failure.GetProperty("error_description").GetString());
        }
    }
}
