using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace PluginHub.Plugins;

/// <summary>The <c>connector.json</c> of a plugin folder, read before any of the plugin's code is loaded.</summary>
public sealed partial record PluginManifest
{
    public const string FileName = "connector.json";

    /// <summary>Lower-case id that connections refer to (<c>salesforce</c>).</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The plugin's own SemVer version.</summary>
    public required string Version { get; init; }

    /// <summary>The contract version it was built against, <c>major.minor</c>.</summary>
    public required string Contract { get; init; }

    /// <summary>The entry assembly's file name, relative to the plugin folder.</summary>
    public required string Assembly { get; init; }

    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>The JSON Schema of the connection settings, relative to the plugin folder.</summary>
    public string? SettingsSchema { get; init; }

    public string? Description { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        RespectNullableAnnotations = true, // "id": null is a manifest error, not a null in a non-nullable property
    };

    /// <summary>Parses and validates a manifest; every problem is listed in the exception message.</summary>
    /// <exception cref="InvalidDataException">When the file is not valid JSON or misses or has wrong values.</exception>
    public static PluginManifest Parse(string json)
    {
        PluginManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PluginManifest>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : "";
            throw new InvalidDataException($"{FileName} is not valid: {FirstSentence(ex.Message)}{where}", ex);
        }

        if (manifest is null)
        {
            throw new InvalidDataException($"{FileName} is empty.");
        }

        var problems = manifest.Validate();
        return problems.Count == 0
            ? manifest
            : throw new InvalidDataException($"{FileName} is not valid: {string.Join("; ", problems)}.");
    }

    private List<string> Validate()
    {
        var problems = new List<string>();
        if (Capabilities.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("capabilities must be names, not empty or null");
        }

        if (!IdPattern().IsMatch(Id))
        {
            problems.Add($"id '{Id}' must be lower-case letters, digits and dashes");
        }

        if (!SemVerPattern().IsMatch(Version))
        {
            problems.Add($"version '{Version}' is not a SemVer version");
        }

        if (!TryParseContract(Contract, out _, out _))
        {
            problems.Add($"contract '{Contract}' must be 'major.minor'");
        }

        if (string.IsNullOrWhiteSpace(Assembly) || Path.IsPathRooted(Assembly) || Assembly.Contains("..", StringComparison.Ordinal))
        {
            problems.Add("assembly must be a file name inside the plugin folder");
        }

        if (SettingsSchema is { } schema && (Path.IsPathRooted(schema) || schema.Contains("..", StringComparison.Ordinal)))
        {
            problems.Add("settingsSchema must be a file inside the plugin folder");
        }

        return problems;
    }

    internal static bool TryParseContract(string? value, out int major, out int minor)
    {
        major = minor = 0;
        var parts = value?.Split('.');
        return parts is { Length: 2 }
            && int.TryParse(parts[0], out major) && major >= 0
            && int.TryParse(parts[1], out minor) && minor >= 0;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVerPattern();
}
