using System.Runtime.Loader;
using System.Text.Json.Nodes;

namespace PluginHub.Plugins.Tests;

/// <summary>
/// A fresh plugins folder for one test, filled with copies of the plugins deployed into this project's output
/// (<c>test-plugins/</c> for the test plugins, <c>plugins/</c> for the real connectors). Deleted when the test ends.
/// </summary>
public sealed class PluginsFolder : IDisposable
{
    public PluginsFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pluginhub-plugins-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Copies the deployed test plugin <c>PluginHub.TestPlugins.{name}</c> into the folder; returns the copy's path.</summary>
    public string AddTestPlugin(string name, string? folderName = null) =>
        Copy(System.IO.Path.Combine(AppContext.BaseDirectory, "test-plugins", $"PluginHub.TestPlugins.{name}"), folderName ?? name);

    /// <summary>Copies the deployed real connector <c>PluginHub.Connectors.{name}</c> into the folder; returns the copy's path.</summary>
    public string AddRealPlugin(string name) =>
        Copy(System.IO.Path.Combine(AppContext.BaseDirectory, "plugins", $"PluginHub.Connectors.{name}"), name);

    /// <summary>An empty plugin folder.</summary>
    public string AddFolder(string folderName) => Directory.CreateDirectory(System.IO.Path.Combine(Path, folderName)).FullName;

    /// <summary>Rewrites a copied plugin's connector.json.</summary>
    public static void EditManifest(string pluginFolder, Action<JsonObject> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var file = System.IO.Path.Combine(pluginFolder, PluginManifest.FileName);
        var manifest = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        edit(manifest);
        File.WriteAllText(file, manifest.ToJsonString());
    }

    public PluginCatalog OpenCatalog(params string[] disabled) => OpenCatalog(new ListLogger<PluginCatalog>(), disabled);

    public PluginCatalog OpenCatalog(ListLogger<PluginCatalog> logger, params string[] disabled)
    {
        var options = new PluginCatalogOptions { PluginsDir = Path };
        foreach (var id in disabled)
        {
            options.Disabled.Add(id);
        }

        return new PluginCatalog(options, logger);
    }

    /// <summary>True when an assembly of that simple name is loaded in any load context of the process.</summary>
    public static bool IsLoadedAnywhere(string assemblyName) =>
        AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Any(a => string.Equals(a.GetName().Name, assemblyName, StringComparison.Ordinal));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is cleaned by the OS; a leftover must not fail the test.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private string Copy(string source, string folderName)
    {
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"The deployed plugin {source} is missing: build the test project (PluginDeploy.targets copies it).");
        }

        var target = System.IO.Path.Combine(Path, folderName);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
