using System.Reflection;
using System.Text.Json;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Plugins;

/// <summary>
/// Discovers the plugin folders, reads every manifest before loading any code, and loads the compatible ones, each in its
/// own load context that shares only the connector contract and the logging abstractions with the host. A broken plugin
/// is marked <see cref="PluginStatus.Faulted"/> with its reason; it never stops the others or the host.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    private static readonly Type[] SharedTypes = [typeof(IConnectorFactory), typeof(ILogger)];

    private readonly PluginCatalogOptions _options;
    private readonly ILogger<PluginCatalog> _logger;
    private readonly List<PluginLoader> _loaders = [];
    private readonly Lock _gate = new();
    private IReadOnlyList<PluginInfo>? _plugins;

    public PluginCatalog(PluginCatalogOptions options, ILogger<PluginCatalog> logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <summary>Every discovered plugin, ordered by id; loads them on first use.</summary>
    public IReadOnlyList<PluginInfo> Plugins
    {
        get
        {
            lock (_gate)
            {
                return _plugins ??= Discover();
            }
        }
    }

    /// <summary>The plugin with this id, whatever its status; null when there is none.</summary>
    public PluginInfo? Find(string id) => Plugins.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.Ordinal));

    /// <summary>Creates a connector of an Active plugin.</summary>
    /// <exception cref="ConnectorException">Configuration when the plugin is missing or not Active, or when its factory rejects the settings;
    /// Internal when the factory fails in any other way.</exception>
    public IConnector CreateConnector(string pluginId, ConnectorContext context)
    {
        var plugin = Find(pluginId) ?? throw new ConnectorException(FailureKind.Configuration, $"No connector plugin '{pluginId}' is installed.");
        if (plugin.Factory is null)
        {
            throw new ConnectorException(FailureKind.Configuration, $"Connector plugin '{pluginId}' is {plugin.Status}: {plugin.Error}");
        }

        try
        {
            return plugin.Factory.Create(context);
        }
        catch (ConnectorException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new ConnectorException(FailureKind.Internal, $"Connector plugin '{pluginId}' failed to create a connector: {ex.Message}", ex);
        }
    }

    private List<PluginInfo> Discover()
    {
        var root = Path.GetFullPath(_options.PluginsDir);
        if (!System.IO.Directory.Exists(root))
        {
            _logger.LogWarning("Plugin folder {PluginsDir} does not exist; no connectors are available", root);
            return [];
        }

        var plugins = new List<PluginInfo>();
        var activeIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in System.IO.Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var plugin = Inspect(folder, activeIds);
            if (plugin.Status == PluginStatus.Active)
            {
                activeIds.Add(plugin.Id);
            }

            Log(plugin);
            plugins.Add(plugin);
        }

        return [.. plugins.OrderBy(p => p.Id, StringComparer.Ordinal)];
    }

    private PluginInfo Inspect(string folder, IReadOnlySet<string> activeIds)
    {
        var folderName = Path.GetFileName(folder);
        var fallback = new PluginInfo { Id = folderName, Name = folderName, Status = PluginStatus.Faulted, Directory = folder };
        PluginManifest manifest;
        try
        {
            var manifestPath = Path.Combine(folder, PluginManifest.FileName);
            if (!File.Exists(manifestPath))
            {
                return fallback with { Error = $"The folder has no {PluginManifest.FileName}." };
            }

            manifest = PluginManifest.Parse(File.ReadAllText(manifestPath));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return fallback with { Error = ex.Message };
        }
        catch (Exception ex)
        {
            // Whatever a manifest does to the parser stays with that folder.
            return fallback with { Error = $"{PluginManifest.FileName} could not be read: {ex.Message}" };
        }

        var described = fallback with
        {
            Id = manifest.Id,
            Name = manifest.Name,
            Version = manifest.Version,
            Contract = manifest.Contract,
            Capabilities = manifest.Capabilities,
        };

        if (!IsCompatible(manifest.Contract, out var reason))
        {
            return described with { Status = PluginStatus.Incompatible, Error = reason };
        }

        if (_options.Disabled.Contains(manifest.Id, StringComparer.Ordinal))
        {
            return described with { Status = PluginStatus.Disabled, Error = "Disabled by configuration." };
        }

        if (activeIds.Contains(manifest.Id))
        {
            // Checked before loading, so a duplicate's code never runs.
            return described with { Error = $"Another folder already provides plugin '{manifest.Id}'." };
        }

        try
        {
            return Load(folder, manifest, described);
        }
        catch (Exception ex)
        {
            // Anything a plugin's code throws while loading stays with that plugin.
            return described with { Error = Describe(ex) };
        }
    }

    private static bool IsCompatible(string contract, out string? reason)
    {
        PluginManifest.TryParseContract(contract, out var major, out var minor);
        reason = major != ContractVersion.Major
            ? $"Built against contract {contract}; this host runs contract {ContractVersion.Current} and only loads major {ContractVersion.Major}."
            : minor > ContractVersion.Minor
                ? $"Built against contract {contract}, newer than this host's {ContractVersion.Current}; upgrade PluginHub."
                : null;
        return reason is null;
    }

    private PluginInfo Load(string folder, PluginManifest manifest, PluginInfo described)
    {
        var unknown = manifest.Capabilities.Where(c => !ConnectorCapabilities.All.ContainsKey(c)).ToList();
        if (unknown.Count > 0)
        {
            return described with { Error = $"Unknown capabilities declared: {string.Join(", ", unknown)}." };
        }

        JsonElement? schema = null;
        if (manifest.SettingsSchema is { } schemaFile)
        {
            var schemaPath = Path.Combine(folder, schemaFile);
            if (!File.Exists(schemaPath))
            {
                return described with { Error = $"The settings schema '{schemaFile}' named in the manifest is missing." };
            }

            using var schemaDoc = JsonDocument.Parse(File.ReadAllText(schemaPath));
            schema = schemaDoc.RootElement.Clone();
        }

        var assemblyPath = Path.Combine(folder, manifest.Assembly);
        if (!File.Exists(assemblyPath))
        {
            return described with { Error = $"The assembly '{manifest.Assembly}' named in the manifest is missing." };
        }

        var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes, config => config.PreferSharedTypes = false);
        lock (_loaders)
        {
            _loaders.Add(loader);
        }

        var assembly = loader.LoadDefaultAssembly();

        // Force type loading now, so that a missing or mismatched dependency faults the plugin at start-up
        // instead of failing the first sync that touches it.
        var types = assembly.GetTypes();
        foreach (var reference in assembly.GetReferencedAssemblies())
        {
            loader.LoadContext.LoadFromAssemblyName(reference);
        }

        var factories = types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IConnectorFactory).IsAssignableFrom(t)).ToList();
        if (factories.Count != 1)
        {
            return described with
            {
                Error = factories.Count == 0
                    ? $"No implementation of {nameof(IConnectorFactory)} found in {manifest.Assembly}."
                    : $"{factories.Count} implementations of {nameof(IConnectorFactory)} found in {manifest.Assembly}; exactly one is allowed.",
            };
        }

        var implemented = types
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IConnector).IsAssignableFrom(t))
            .SelectMany(ConnectorCapabilities.ImplementedBy)
            .ToHashSet(StringComparer.Ordinal);
        var missing = manifest.Capabilities.Where(c => !implemented.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            return described with { Error = $"Declares capabilities it does not implement: {string.Join(", ", missing)}." };
        }

        var undeclared = implemented.Except(manifest.Capabilities).ToList();
        if (undeclared.Count > 0)
        {
            _logger.LogInformation("Plugin {PluginId} implements undeclared capabilities {Capabilities}; they stay unused until the manifest declares them",
                manifest.Id, string.Join(", ", undeclared));
        }

        var factory = (IConnectorFactory)Activator.CreateInstance(factories[0])!;
        return described with { Status = PluginStatus.Active, Error = null, SettingsSchema = schema, Factory = factory };
    }

    private static string Describe(Exception ex) => ex switch
    {
        TargetInvocationException { InnerException: { } inner } => $"Its factory failed to start: {inner.GetType().Name}: {inner.Message}",
        ReflectionTypeLoadException rtle => "Its types could not be loaded: "
            + string.Join("; ", rtle.LoaderExceptions.OfType<Exception>().Select(e => e.Message).Distinct().Take(3)),
        BadImageFormatException => "Its assembly is not a valid .NET assembly.",
        FileNotFoundException fnf => $"A dependency is missing: {fnf.FileName ?? fnf.Message}",
        JsonException json => $"Its settings schema is not valid JSON: {json.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    private void Log(PluginInfo plugin)
    {
        if (plugin.Status == PluginStatus.Active)
        {
            _logger.LogInformation("Plugin {PluginId} {Version} loaded from {Directory} with capabilities [{Capabilities}]",
                plugin.Id, plugin.Version, plugin.Directory, string.Join(", ", plugin.Capabilities));
        }
        else
        {
            _logger.LogWarning("Plugin {PluginId} in {Directory} is {Status}: {Error}", plugin.Id, plugin.Directory, plugin.Status, plugin.Error);
        }
    }

    public void Dispose()
    {
        lock (_loaders)
        {
            foreach (var loader in _loaders)
            {
                loader.Dispose();
            }

            _loaders.Clear();
        }
    }
}
