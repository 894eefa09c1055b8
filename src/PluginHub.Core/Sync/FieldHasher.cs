using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Core.Sync;

/// <summary>
/// Keyed hashes of field values (HMAC-SHA256, 64 bits kept): enough to tell "changed" from "unchanged", useless for
/// guessing a value without the installation's key. This is how links remember values without storing them.
/// </summary>
public sealed class FieldHasher(byte[] key)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The hash of one value, as a short hex string.</summary>
    /// <param name="value">The value as a connector read it.</param>
    public string Hash(FieldValue value)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, Json));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, bytes).AsSpan(0, 8));
    }

    /// <summary>What a record shows of <paramref name="fields"/>: its version and a hash per field present.</summary>
    /// <param name="record">The record.</param>
    /// <param name="fields">The fields to remember.</param>
    public SideState StateOf(Record record, IEnumerable<string> fields)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (record.Fields.TryGetValue(field, out var value))
            {
                hashes[field] = Hash(value);
            }
        }

        return new SideState(record.Version, hashes);
    }
}
