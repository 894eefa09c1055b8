using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Salesforce.Auth;

/// <summary>The signed assertion of the OAuth JWT bearer flow: RS256, issuer = consumer key, subject = username, 3 minutes.</summary>
internal static class JwtAssertion
{
    public static string Create(string privateKeyPem, string clientId, string username, string audience, DateTimeOffset now)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(privateKeyPem);
        }
        catch (ArgumentException e)
        {
            throw new ConnectorException(FailureKind.Configuration, "The setting 'privateKey' is not a PEM RSA private key.", new InvalidOperationException(e.GetType().Name));
        }

        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256" }));
        var claims = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { iss = clientId, sub = username, aud = audience, exp = now.AddMinutes(3).ToUnixTimeSeconds() }));
        var signed = $"{header}.{claims}";
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    /// <summary>
    /// Salesforce wants the login host as audience: test.salesforce.com for sandboxes, login.salesforce.com for production
    /// (also when the token is asked from a My Domain); any other host (a community, an emulator) is its own audience.
    /// </summary>
    public static string Audience(Uri loginUrl)
    {
        var host = loginUrl.Host;
        if (host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".sandbox.my.salesforce.com", StringComparison.OrdinalIgnoreCase))
        {
            return "https://test.salesforce.com";
        }

        return host.EndsWith(".salesforce.com", StringComparison.OrdinalIgnoreCase)
            ? "https://login.salesforce.com"
            : loginUrl.GetLeftPart(UriPartial.Authority);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
