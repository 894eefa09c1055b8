namespace PluginHub.Connectors.Abstractions;

/// <summary>
/// The version of this connector contract. A plugin's <c>connector.json</c> names the version it was built against
/// (<c>"contract": "1.0"</c>); the host loads it only when the majors are equal and the plugin's minor is not newer
/// than the host's. Within a major the contract only grows: a new capability is a new interface, a new member of a
/// model type is an optional property.
/// </summary>
public static class ContractVersion
{
    /// <summary>Breaking changes bump the major; the host refuses plugins of another major.</summary>
    public const int Major = 1;

    /// <summary>Additions bump the minor; the host refuses plugins built against a newer minor than its own.</summary>
    public const int Minor = 2;

    /// <summary>The version as written in manifests, <c>"major.minor"</c>.</summary>
    public const string Current = "1.2";
}
