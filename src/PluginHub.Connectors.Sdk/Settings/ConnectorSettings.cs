using System.Text.Json;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Sdk.Settings;

/// <summary>Typed access to a connection's settings; a missing or malformed setting is a Configuration failure that names it.</summary>
public sealed class ConnectorSettings(JsonElement settings)
{
    /// <summary>A string setting; empty strings count as missing.</summary>
    public string? String(string name) =>
        settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    /// <summary>A string setting that must be present.</summary>
    /// <exception cref="ConnectorException">Configuration, naming the setting.</exception>
    public string RequiredString(string name) =>
        String(name) ?? throw new ConnectorException(FailureKind.Configuration, $"The setting '{name}' is required.");

    /// <summary>An absolute http(s) URL setting that must be present; a trailing slash is removed.</summary>
    /// <exception cref="ConnectorException">Configuration, naming the setting.</exception>
    public Uri RequiredUrl(string name)
    {
        var text = RequiredString(name);
        return Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new ConnectorException(FailureKind.Configuration, $"The setting '{name}' must be an absolute http or https URL.");
    }

    /// <summary>One of a closed set of values (compared case-insensitively), or the default when absent.</summary>
    /// <exception cref="ConnectorException">Configuration when the value is not one of <paramref name="allowed"/>.</exception>
    public string Choice(string name, string defaultValue, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var value = String(name);
        if (value is null)
        {
            return defaultValue;
        }

        return allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            ?? throw new ConnectorException(FailureKind.Configuration, $"The setting '{name}' must be one of: {string.Join(", ", allowed)}.");
    }
}
