using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Settings;

namespace PluginHub.Connectors.Salesforce.Api;

/// <summary>The OAuth flow a connection authenticates with (settings key <c>authFlow</c>).</summary>
internal enum AuthFlow
{
    Password,
    ClientCredentials,
    Jwt,
}

/// <summary>
/// The connection's settings (keys of <c>settings.schema.json</c>, public surface). Read once when the connector is created;
/// what a flow needs is checked here so that a missing secret is a Configuration failure naming the setting, before any I/O.
/// </summary>
internal sealed record SalesforceSettings
{
    public const string DefaultApiVersion = "62.0";

    public required Uri LoginUrl { get; init; }

    public required AuthFlow Flow { get; init; }

    public required string ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? SecurityToken { get; init; }

    public string? PrivateKey { get; init; }

    public required string ApiVersion { get; init; }

    public static SalesforceSettings From(JsonElement json)
    {
        var s = new ConnectorSettings(json);
        var flow = s.Choice("authFlow", "password", "password", "clientCredentials", "jwt") switch
        {
            "clientCredentials" => AuthFlow.ClientCredentials,
            "jwt" => AuthFlow.Jwt,
            _ => AuthFlow.Password,
        };
        var settings = new SalesforceSettings
        {
            LoginUrl = s.RequiredUrl("loginUrl"),
            Flow = flow,
            ClientId = s.RequiredString("clientId"),
            ClientSecret = flow == AuthFlow.Jwt ? s.String("clientSecret") : s.RequiredString("clientSecret"),
            Username = flow == AuthFlow.ClientCredentials ? s.String("username") : s.RequiredString("username"),
            Password = flow == AuthFlow.Password ? s.RequiredString("password") : null,
            SecurityToken = s.String("securityToken"),
            PrivateKey = flow == AuthFlow.Jwt ? s.RequiredString("privateKey") : null,
            ApiVersion = s.String("apiVersion") ?? DefaultApiVersion,
        };
        if (!System.Text.RegularExpressions.Regex.IsMatch(settings.ApiVersion, @"^[0-9]{2,3}\.0$"))
        {
            throw new ConnectorException(FailureKind.Configuration, "The setting 'apiVersion' must look like 62.0.");
        }

        return settings;
    }
}
