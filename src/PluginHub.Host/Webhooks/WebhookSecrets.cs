using System.Security.Cryptography;
using System.Text;
using PluginHub.Core.Sync;

namespace PluginHub.Host.Webhooks;

/// <summary>
/// The per-integration secret that authenticates deliveries (Jira signs with it; Salesforce carries it in the URL). Derived from
/// the installation's key, so nothing more is stored and every host of a cluster derives the same one.
/// </summary>
internal sealed class WebhookSecrets(SyncOptions options)
{
    public string For(Guid integrationId)
    {
        var mac = HMACSHA256.HashData(options.FingerprintKey, Encoding.UTF8.GetBytes("webhook:" + integrationId.ToString("N")));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public bool Matches(Guid integrationId, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(For(integrationId)), Encoding.UTF8.GetBytes(presented));
}
