using System.Text.Json;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Plugins;

/// <summary>A discovered plugin, whatever its status.</summary>
public sealed record PluginInfo
{
    /// <summary>The manifest id, or the folder name when the manifest could not be read.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Version { get; init; }

    public string? Contract { get; init; }

    public required PluginStatus Status { get; init; }

    /// <summary>Why the plugin is not Active; null when it is.</summary>
    public string? Error { get; init; }

    /// <summary>The capabilities in use: those declared in the manifest (all implemented when Active).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    public required string Directory { get; init; }

    /// <summary>The settings JSON Schema; null when the plugin has none or is not Active.</summary>
    public JsonElement? SettingsSchema { get; init; }

    /// <summary>The factory of an Active plugin; null otherwise.</summary>
    internal IConnectorFactory? Factory { get; init; }
}
