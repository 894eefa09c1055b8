namespace PluginHub.Host;

/// <summary>Configuration section <c>PluginHub</c> (environment variables <c>PluginHub__*</c>).</summary>
public sealed class PluginHubOptions
{
    public const string Section = "PluginHub";

    /// <summary>Where the database, keys and the generated API key live. Relative paths are relative to the working directory.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>The API key clients send in <c>X-Api-Key</c>; when empty one is generated on first start and kept in the data folder.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The folder of connector plugins; default <c>plugins/</c> beside the host's assemblies.</summary>
    public string? PluginsDir { get; set; }

    /// <summary>The folder of templates, the integration schema and rule files; default <c>rules/</c> beside the host's assemblies.</summary>
    public string? RulesDir { get; set; }

    /// <summary>The externally reachable base URL for webhooks; default the first listening URL.</summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>
    /// The key of the field hashes kept in links (echo suppression). Hosts sharing one PostgreSQL database must share it;
    /// when unset it is generated in the data folder on first start.
    /// </summary>
    public string? FingerprintKey { get; set; }
}
