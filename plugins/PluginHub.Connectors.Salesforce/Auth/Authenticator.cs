using System.Text.Json;
using Flurl.Http;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Api;
using PluginHub.Connectors.Sdk.Http;

namespace PluginHub.Connectors.Salesforce.Auth;

/// <summary>
/// Gets and caches the access token of one connector instance. Thread-safe: concurrent callers share one login, and a token
/// found expired by several callers at once is renewed once (Salesforce tokens carry no expiry; a 401 is the only signal).
/// </summary>
internal sealed class Authenticator(SalesforceSettings settings, ConnectorHttpClient login, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SalesforceSession? _session;

    /// <summary>The cached session, or a new one.</summary>
    public async Task<SalesforceSession> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _session) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _session ??= await LoginAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops <paramref name="expired"/> (unless another caller already replaced it) and returns a fresh session.</summary>
    public Task<SalesforceSession> RenewAsync(SalesforceSession expired, CancellationToken cancellationToken)
    {
        Interlocked.CompareExchange(ref _session, null, expired);
        return GetAsync(cancellationToken);
    }

    public void Dispose() => _gate.Dispose();

    private async Task<SalesforceSession> LoginAsync(CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (settings.Flow)
        {
            case AuthFlow.Password:
                form["grant_type"] = "password";
                form["client_id"] = settings.ClientId;
                form["client_secret"] = settings.ClientSecret!;
                form["username"] = settings.Username!;
                form["password"] = settings.Password + settings.SecurityToken;
                break;
            case AuthFlow.ClientCredentials:
                form["grant_type"] = "client_credentials";
                form["client_id"] = settings.ClientId;
                form["client_secret"] = settings.ClientSecret!;
                break;
            default:
                form["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer";
                form["assertion"] = JwtAssertion.Create(settings.PrivateKey!, settings.ClientId, settings.Username!, JwtAssertion.Audience(settings.LoginUrl), time.GetUtcNow());
                break;
        }

        IFlurlResponse response;
        try
        {
            response = await login.Request("services/oauth2/token")
                .AllowAnyHttpStatus()
                .WithHeader("Accept", "application/json")
                .PostUrlEncodedAsync(form, cancellationToken: cancellationToken);
        }
        catch (FlurlHttpException e)
        {
            throw HttpFailures.ToConnectorException(e, $"Salesforce cannot be reached at {settings.LoginUrl.GetLeftPart(UriPartial.Authority)} ({e.GetType().Name}).", time: time);
        }

        using (response)
        {
            var text = await response.ResponseMessage.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == 200 && TryParseSession(text) is { } session)
            {
                return session;
            }

            var (error, description) = OAuthError(text);
            var kind = error == "rate_limit_exceeded" || response.StatusCode >= 500 || response.StatusCode == 429
                ? FailureKind.Transient
                : FailureKind.Configuration;
            var reason = error is null ? $"HTTP {response.StatusCode}" : $"{error}: {description}";
            throw new ConnectorException(kind, $"Salesforce refused the {FlowName} login ({reason}).") { RemoteCode = error };
        }
    }

    private string FlowName => settings.Flow switch
    {
        AuthFlow.ClientCredentials => "client-credentials",
        AuthFlow.Jwt => "JWT bearer",
        _ => "username-password",
    };

    private static SalesforceSession? TryParseSession(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var token = root.GetProperty("access_token").GetString();
            var instance = root.GetProperty("instance_url").GetString();
            var id = root.TryGetProperty("id", out var idUrl) ? idUrl.GetString() : null;
            if (token is null || instance is null || !Uri.TryCreate(instance.TrimEnd('/'), UriKind.Absolute, out var instanceUrl))
            {
                return null;
            }

            // The identity URL ends in /{orgId}/{userId}.
            var segments = (id ?? string.Empty).TrimEnd('/').Split('/');
            return new SalesforceSession(token, instanceUrl, segments.Length >= 2 ? segments[^2] : string.Empty, segments.Length >= 2 ? segments[^1] : string.Empty);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static (string? Error, string? Description) OAuthError(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? (doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null, doc.RootElement.TryGetProperty("error_description", out var d) ? d.GetString() : null)
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
