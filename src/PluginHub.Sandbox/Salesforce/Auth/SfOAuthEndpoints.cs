using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PluginHub.Sandbox.Salesforce.Data;
using PluginHub.Sandbox.Salesforce.Endpoints;

namespace PluginHub.Sandbox.Salesforce.Auth;

/// <summary>OAuth token/revoke, identity and userinfo, and the legacy SOAP <c>login()</c> that jsforce uses without a client secret (reference §1).</summary>
internal static partial class SfOAuthEndpoints
{
    private const string JwtGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static void Map(WebApplication app)
    {
        app.MapPost("/services/oauth2/token", TokenAsync);
        app.MapMethods("/services/oauth2/revoke", ["GET", "POST"], RevokeAsync);
        app.MapGet("/id/{orgId}/{userId}", IdentityAsync);
        app.MapMethods("/services/oauth2/userinfo", ["GET", "POST"], UserInfoAsync);
        app.MapPost("/services/Soap/u/{version}", SoapLoginAsync);
    }

    private static async Task TokenAsync(HttpContext ctx, SfSessions sessions, SfOrg org)
    {
        var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync(ctx.RequestAborted) : new FormCollection([]);
        string? F(string key) => form.TryGetValue(key, out var v) ? v.ToString() : ctx.Request.Query[key].FirstOrDefault();
        var clientId = F("client_id");
        var secret = F("client_secret");
        var basic = ctx.Request.Headers.Authorization.ToString();
        if (basic.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic[6..].Trim())).Split(':', 2);
            clientId ??= Uri.UnescapeDataString(pair[0]);
            secret ??= pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null;
        }

        var grant = F("grant_type");
        if (grant is not ("password" or "client_credentials" or "refresh_token" or JwtGrant))
        {
            await OAuthErrorAsync(ctx, "unsupported_grant_type", "grant type not supported");
            return;
        }

        if (grant == JwtGrant)
        {
            var (jwtUser, error, description) = CheckJwt(F("assertion"), sessions, SfHttp.BaseUrl(ctx));
            if (jwtUser is null)
            {
                await OAuthErrorAsync(ctx, error!, description!);
                return;
            }

            await WriteTokenAsync(ctx, sessions, org, jwtUser, withScope: true);
            return;
        }

        if (clientId != SfSessions.ClientId)
        {
            await OAuthErrorAsync(ctx, "invalid_client_id", "client identifier invalid");
            return;
        }

        // The refresh-token flow allows public clients without a secret; the others need the right one.
        if ((secret is not null || grant != "refresh_token") && secret != SfSessions.ClientSecret)
        {
            await OAuthErrorAsync(ctx, "invalid_client", "invalid client credentials");
            return;
        }

        string? userId;
        switch (grant)
        {
            case "password":
                userId = sessions.CheckPassword(F("username"), F("password"));
                if (userId is null)
                {
                    await OAuthErrorAsync(ctx, "invalid_grant", "authentication failure");
                    return;
                }

                break;
            case "client_credentials":
                userId = org.IntegrationUserId; // the connected app's "Run As" user
                break;
            default:
                userId = sessions.RefreshUser(F("refresh_token"));
                if (userId is null)
                {
                    await OAuthErrorAsync(ctx, "invalid_grant", "expired access/refresh token");
                    return;
                }

                break;
        }

        await WriteTokenAsync(ctx, sessions, org, userId, withScope: grant != "password");
    }

    /// <summary>The token response of §1.2 (the username-password flow answers without scope; no flow here returns a refresh token).</summary>
    private static async Task WriteTokenAsync(HttpContext ctx, SfSessions sessions, SfOrg org, string userId, bool withScope)
    {
        var session = sessions.Issue(userId);
        var baseUrl = SfHttp.BaseUrl(ctx);
        var id = $"{baseUrl}/id/{org.OrgId}/{userId}";
        var issuedAt = session.Issued.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["access_token"] = session.Token,
            ["signature"] = SfSessions.Signature(id, issuedAt),
            ["scope"] = "api web full refresh_token id",
            ["instance_url"] = baseUrl,
            ["id"] = id,
            ["token_type"] = "Bearer",
            ["issued_at"] = issuedAt,
        };
        if (!withScope)
        {
            body.Remove("scope");
        }

        await SfHttp.WriteAsync(ctx, SfResponse.Of(body));
    }

    /// <summary>
    /// JWT bearer flow (§1.5): <c>iss</c> = client id, <c>sub</c> = username, <c>aud</c> = login/test.salesforce.com or this sandbox,
    /// <c>exp</c> in the future; RS256 signature checked when a certificate was registered through the admin API.
    /// </summary>
    private static (string? UserId, string? Error, string? Description) CheckJwt(string? assertion, SfSessions sessions, string baseUrl)
    {
        var parts = assertion?.Split('.') ?? [];
        if (parts.Length != 3)
        {
            return (null, "invalid_grant", "invalid assertion");
        }

        JsonNode? claims;
        try
        {
            claims = JsonNode.Parse(Base64UrlDecode(parts[1]));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return (null, "invalid_grant", "invalid assertion");
        }

        if (claims?["iss"]?.GetValue<string>() != SfSessions.ClientId)
        {
            return (null, "invalid_client_id", "client identifier invalid");
        }

        var aud = claims["aud"]?.GetValue<string>()?.TrimEnd('/');
        if (aud is not ("https://login.salesforce.com" or "https://test.salesforce.com") && aud != baseUrl)
        {
            return (null, "invalid_grant", "audience is invalid");
        }

        if (claims["exp"] is not JsonValue exp || !exp.TryGetValue<long>(out var seconds) || DateTimeOffset.FromUnixTimeSeconds(seconds) < sessions.Now())
        {
            return (null, "invalid_grant", "expired authorization code");
        }

        if (!sessions.VerifyJwtSignature($"{parts[0]}.{parts[1]}", Base64UrlDecode(parts[2])))
        {
            return (null, "invalid_grant", "invalid assertion");
        }

        var userId = sessions.UserByName(claims["sub"]?.GetValue<string>());
        return userId is null ? (null, "invalid_grant", "user hasn't approved this consumer") : (userId, null, null);
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private static Task OAuthErrorAsync(HttpContext ctx, string error, string description, int status = 400) =>
        SfHttp.WriteAsync(ctx, SfResponse.Of(new JsonObject { ["error"] = error, ["error_description"] = description }, status));

    private static async Task RevokeAsync(HttpContext ctx, SfSessions sessions)
    {
        var token = ctx.Request.Query["token"].FirstOrDefault();
        if (token is null && ctx.Request.HasFormContentType)
        {
            token = (await ctx.Request.ReadFormAsync(ctx.RequestAborted))["token"].FirstOrDefault();
        }

        if (token is null || !sessions.Revoke(token))
        {
            await OAuthErrorAsync(ctx, "unsupported_token_type", "this token type is not supported");
            return;
        }

        ctx.Response.StatusCode = 200;
    }

    private static SfSession? Session(HttpContext ctx, SfSessions sessions) =>
        sessions.Validate(SfHttp.BearerToken(ctx) ?? ctx.Request.Query["oauth_token"].FirstOrDefault());

    private static async Task IdentityAsync(HttpContext ctx, string orgId, string userId, SfSessions sessions, SfOrg org)
    {
        if (Session(ctx, sessions) is null)
        {
            ctx.Response.StatusCode = 403;
            ctx.Response.ContentType = "text/plain;charset=UTF-8";
            await ctx.Response.WriteAsync("Bad_OAuth_Token", ctx.RequestAborted);
            return;
        }

        SfRecord? user;
        lock (org.Gate)
        {
            user = SfId.TryNormalize(userId, out var uid) && orgId == org.OrgId ? org.Find(uid) : null;
        }

        if (user is null || user.Type.Name != "User")
        {
            ctx.Response.StatusCode = 404;
            ctx.Response.ContentType = "text/plain;charset=UTF-8";
            await ctx.Response.WriteAsync("Bad_Id", ctx.RequestAborted);
            return;
        }

        var baseUrl = SfHttp.BaseUrl(ctx);
        JsonObject body;
        lock (org.Gate)
        {
            body = new JsonObject
            {
                ["id"] = $"{baseUrl}/id/{org.OrgId}/{user.Id}",
                ["asserted_user"] = true,
                ["user_id"] = user.Id,
                ["organization_id"] = org.OrgId,
                ["username"] = user.Get("Username") as string,
                ["nick_name"] = user.Get("Alias") as string,
                ["display_name"] = user.Get("Name") as string,
                ["email"] = user.Get("Email") as string,
                ["email_verified"] = true,
                ["first_name"] = user.Get("FirstName") as string,
                ["last_name"] = user.Get("LastName") as string,
                ["timezone"] = user.Get("TimeZoneSidKey") as string,
                ["photos"] = new JsonObject { ["picture"] = $"{baseUrl}/profilephoto/005/F", ["thumbnail"] = $"{baseUrl}/profilephoto/005/T" },
                ["addr_street"] = null,
                ["addr_city"] = null,
                ["addr_state"] = null,
                ["addr_country"] = null,
                ["addr_zip"] = null,
                ["mobile_phone"] = null,
                ["mobile_phone_verified"] = false,
                ["is_lightning_login_user"] = false,
                ["status"] = new JsonObject { ["created_date"] = null, ["body"] = null },
                ["urls"] = new JsonObject
                {
                    ["enterprise"] = $"{baseUrl}/services/Soap/c/{{version}}/{org.OrgId[..15]}",
                    ["metadata"] = $"{baseUrl}/services/Soap/m/{{version}}/{org.OrgId[..15]}",
                    ["partner"] = $"{baseUrl}/services/Soap/u/{{version}}/{org.OrgId[..15]}",
                    ["rest"] = $"{baseUrl}/services/data/v{{version}}/",
                    ["sobjects"] = $"{baseUrl}/services/data/v{{version}}/sobjects/",
                    ["search"] = $"{baseUrl}/services/data/v{{version}}/search/",
                    ["query"] = $"{baseUrl}/services/data/v{{version}}/query/",
                    ["recent"] = $"{baseUrl}/services/data/v{{version}}/recent/",
                    ["tooling_soap"] = $"{baseUrl}/services/Soap/T/{{version}}/{org.OrgId[..15]}",
                    ["tooling_rest"] = $"{baseUrl}/services/data/v{{version}}/tooling/",
                    ["profile"] = $"{baseUrl}/{user.Id}",
                    ["feeds"] = $"{baseUrl}/services/data/v{{version}}/chatter/feeds",
                    ["groups"] = $"{baseUrl}/services/data/v{{version}}/chatter/groups",
                    ["users"] = $"{baseUrl}/services/data/v{{version}}/chatter/users",
                    ["feed_items"] = $"{baseUrl}/services/data/v{{version}}/chatter/feed-items",
                    ["custom_domain"] = baseUrl,
                },
                ["active"] = user.Get("IsActive") is true,
                ["user_type"] = "STANDARD",
                ["language"] = "en_US",
                ["locale"] = "en_US",
                ["utcOffset"] = 0,
                ["last_modified_date"] = SfTime.Format((DateTime)user.Get("LastModifiedDate")!),
                ["is_app_installed"] = true,
            };
        }

        await SfHttp.WriteAsync(ctx, SfResponse.Of(body));
    }

    private static async Task UserInfoAsync(HttpContext ctx, SfSessions sessions, SfOrg org)
    {
        if (Session(ctx, sessions) is not { } session)
        {
            ctx.Response.StatusCode = 403;
            await ctx.Response.WriteAsync("Bad_OAuth_Token", ctx.RequestAborted);
            return;
        }

        JsonObject body;
        lock (org.Gate)
        {
            var user = org.Find(session.UserId)!;
            body = new JsonObject
            {
                ["sub"] = $"{SfHttp.BaseUrl(ctx)}/id/{org.OrgId}/{user.Id}",
                ["user_id"] = user.Id,
                ["organization_id"] = org.OrgId,
                ["preferred_username"] = user.Get("Username") as string,
                ["nickname"] = user.Get("Alias") as string,
                ["name"] = user.Get("Name") as string,
                ["email"] = user.Get("Email") as string,
                ["email_verified"] = true,
                ["given_name"] = user.Get("FirstName") as string,
                ["family_name"] = user.Get("LastName") as string,
                ["zoneinfo"] = user.Get("TimeZoneSidKey") as string,
                ["active"] = true,
                ["user_type"] = "STANDARD",
                ["language"] = "en_US",
                ["locale"] = "en_US",
                ["utcOffset"] = 0,
                ["updated_at"] = SfTime.Format((DateTime)user.Get("LastModifiedDate")!),
            };
        }

        await SfHttp.WriteAsync(ctx, SfResponse.Of(body));
    }

    /// <summary>The partner SOAP <c>login()</c>: jsforce regex-extracts serverUrl, sessionId, userId, organizationId (unavailable from 65.0).</summary>
    private static async Task SoapLoginAsync(HttpContext ctx, string version, SfSessions sessions, SfOrg org)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var xml = await reader.ReadToEndAsync(ctx.RequestAborted);
        var check = SfVersions.Check(version);
        if (check != 200 || decimal.Parse(version, CultureInfo.InvariantCulture) >= 65)
        {
            await SoapFaultAsync(ctx, "UNSUPPORTED_API_VERSION", "UNSUPPORTED_API_VERSION: Invalid Api version specified on URL");
            return;
        }

        var username = XmlValue(xml, "username");
        var password = XmlValue(xml, "password");
        var userId = sessions.CheckPassword(username, password);
        if (userId is null)
        {
            await SoapFaultAsync(ctx, "INVALID_LOGIN", "INVALID_LOGIN: Invalid username, password, security token; or user locked out.");
            return;
        }

        var session = sessions.Issue(userId);
        var baseUrl = SfHttp.BaseUrl(ctx);
        string name;
        string email;
        lock (org.Gate)
        {
            var user = org.Find(userId)!;
            name = SecurityElement.Escape(user.Get("Name") as string ?? string.Empty);
            email = SecurityElement.Escape(user.Get("Email") as string ?? string.Empty);
        }

        var response = $"""
            <?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><loginResponse><result><metadataServerUrl>{baseUrl}/services/Soap/m/{version}/{org.OrgId[..15]}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>true</sandbox><serverUrl>{baseUrl}/services/Soap/u/{version}/{org.OrgId[..15]}</serverUrl><sessionId>{SecurityElement.Escape(session.Token)}</sessionId><userId>{userId}</userId><userInfo><organizationId>{org.OrgId}</organizationId><organizationName>PluginHub Sandbox</organizationName><sessionSecondsValid>{(int)sessions.Lifetime.TotalSeconds}</sessionSecondsValid><userEmail>{email}</userEmail><userFullName>{name}</userFullName><userId>{userId}</userId><userName>{SecurityElement.Escape(username)}</userName></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>
            """;
        ctx.Response.ContentType = "text/xml;charset=UTF-8";
        await ctx.Response.WriteAsync(response, ctx.RequestAborted);
    }

    private static async Task SoapFaultAsync(HttpContext ctx, string code, string message)
    {
        ctx.Response.StatusCode = 500;
        ctx.Response.ContentType = "text/xml;charset=UTF-8";
        await ctx.Response.WriteAsync(
            $"""<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>sf:{code}</faultcode><faultstring>{SecurityElement.Escape(message)}</faultstring><detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>{code}</sf:exceptionCode><sf:exceptionMessage>{SecurityElement.Escape(message)}</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>""",
            ctx.RequestAborted);
    }

    private static string? XmlValue(string xml, string element)
    {
        var m = Regex.Match(xml, $@"<(?:\w+:)?{element}>([^<]*)</(?:\w+:)?{element}>", RegexOptions.None, TimeSpan.FromSeconds(1));
        return m.Success ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value) : null;
    }
}
