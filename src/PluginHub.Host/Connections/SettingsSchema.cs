using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Host.Validation;

namespace PluginHub.Host.Connections;

/// <summary>A plugin's settings schema: validates settings and knows which properties are secrets (<c>"x-secret": true</c>).</summary>
public sealed class SettingsSchema
{
    private readonly JsonSchemaValidator? _validator;

    public SettingsSchema(JsonElement? schema)
    {
        if (schema is not { ValueKind: JsonValueKind.Object } root)
        {
            return;
        }

        _validator = new JsonSchemaValidator(root.GetRawText(), "settings", "The settings do not match the connector's settings schema.");
        if (root.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            Secrets = properties.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("x-secret", out var s) && s.ValueKind == JsonValueKind.True)
                .Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>The names of the secret properties.</summary>
    public IReadOnlySet<string> Secrets { get; } = new HashSet<string>();

    /// <summary>Every problem of the settings, keyed by the JSON path of the offending value (<c>settings/loginUrl</c>).</summary>
    public Dictionary<string, string[]> Validate(JsonObject settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return _validator?.Validate(settings) ?? [];
    }

    /// <summary>The settings without their secrets, safe to return and log.</summary>
    public JsonObject Mask(JsonObject settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var masked = new JsonObject();
        foreach (var (name, value) in settings)
        {
            if (!Secrets.Contains(name))
            {
                masked[name] = value?.DeepClone();
            }
        }

        return masked;
    }

    /// <summary>The names of the secrets that have a value.</summary>
    public string[] SecretsSet(JsonObject settings) =>
        [.. Secrets.Where(s => settings[s] is JsonValue v && v.GetValueKind() != JsonValueKind.Null).Order(StringComparer.Ordinal)];

    /// <summary>
    /// The settings of an update: what the client sent, plus the stored secrets it did not send again (secrets are never
    /// returned, so clients cannot echo them). A secret sent as null is cleared.
    /// </summary>
    public JsonObject Merge(JsonObject stored, JsonObject incoming)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(incoming);
        var merged = (JsonObject)incoming.DeepClone();
        foreach (var secret in Secrets)
        {
            if (!incoming.ContainsKey(secret) && stored[secret] is { } value)
            {
                merged[secret] = value.DeepClone();
            }
            else if (incoming.ContainsKey(secret) && incoming[secret] is null)
            {
                merged.Remove(secret);
            }
        }

        return merged;
    }
}
