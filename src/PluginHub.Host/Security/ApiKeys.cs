using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PluginHub.Persistence;

namespace PluginHub.Host.Security;

/// <summary>
/// The API key clients must send. Taken from configuration (<c>PluginHub__ApiKey</c>), or generated on first start and kept
/// in <c>api-key</c> in the data folder (readable by the owner only); the key itself is never logged, only where it is.
/// </summary>
public sealed class ApiKeys
{
    public const string FileName = "api-key";
    private readonly byte[] _expectedHash;

    public ApiKeys(IOptions<PluginHubOptions> options, DataFolder dataFolder, ILogger<ApiKeys> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataFolder);
        var configured = options.Value.ApiKey;
        string key;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            key = configured.Trim();
            logger.LogInformation("API key taken from configuration (PluginHub:ApiKey)");
        }
        else
        {
            var path = Path.GetFullPath(Path.Combine(dataFolder.Path, FileName));
            key = SecretFile.ReadOrCreate(path, out var created);
            logger.LogInformation(created ? "API key generated and stored in {ApiKeyFile}; send it as X-Api-Key" : "API key read from {ApiKeyFile}", path);
        }

        _expectedHash = Hash(key);
    }

    /// <summary>Compares in constant time: both sides are hashed first, so neither content nor length leaks through timing.</summary>
    public bool IsValid(string? presented) =>
        !string.IsNullOrEmpty(presented) && CryptographicOperations.FixedTimeEquals(Hash(presented), _expectedHash);

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
