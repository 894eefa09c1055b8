namespace PluginHub.Plugins;

public sealed class PluginCatalogOptions
{
    /// <summary>The folder whose sub-folders are plugins. Default: <c>plugins/</c> beside the host's assemblies.</summary>
    public string PluginsDir { get; set; } = Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>Plugin ids that are discovered but not loaded.</summary>
    public IList<string> Disabled { get; } = [];
}
