using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Plugins.Tests;

/// <summary>Broken plugins: each is Faulted with a clear reason, and never stops the others or the host.</summary>
public sealed class PluginCatalogFaultTests : IDisposable
{
    private readonly PluginsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Factory_constructor_that_throws_faults_only_that_plugin()
    {
        _folder.AddTestPlugin("ThrowingFactory");
        _folder.AddTestPlugin("Good");
        using var catalog = _folder.OpenCatalog();

        var plugin = catalog.Find("test-throwing-factory");

        Assert.NotNull(plugin);
        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.Equal("Its factory failed to start: InvalidOperationException: The test factory refuses to start.", plugin.Error);
        Assert.Null(plugin.Factory);
        Assert.Equal(PluginStatus.Active, catalog.Find("test-good")!.Status);
        var error = Assert.Throws<ConnectorException>(() => catalog.CreateConnector("test-throwing-factory", TestContexts.Create()));
        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Equal($"Connector plugin 'test-throwing-factory' is Faulted: {plugin.Error}", error.Message);
    }

    [Fact]
    public void Declared_capability_that_is_not_implemented_faults_the_plugin()
    {
        _folder.AddTestPlugin("MissingCapability");
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal("test-missing-capability", plugin.Id);
        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.Equal("Declares capabilities it does not implement: write.", plugin.Error);
        Assert.Equal(["write"], plugin.Capabilities);
    }

    [Fact]
    public void Two_factories_fault_the_plugin()
    {
        _folder.AddTestPlugin("TwoFactories");
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.Equal("2 implementations of IConnectorFactory found in PluginHub.TestPlugins.TwoFactories.dll; exactly one is allowed.", plugin.Error);
    }

    [Fact]
    public void No_factory_faults_the_plugin()
    {
        _folder.AddTestPlugin("NoFactory");
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.Equal("No implementation of IConnectorFactory found in PluginHub.TestPlugins.NoFactory.dll.", plugin.Error);
    }

    [Fact]
    public void Corrupt_assembly_faults_that_plugin_and_the_others_in_the_folder_still_load()
    {
        _folder.AddTestPlugin("Good", "a-good");
        var corrupt = _folder.AddTestPlugin("Good", "b-corrupt");
        PluginsFolder.EditManifest(corrupt, m => m["id"] = "test-corrupt");
        File.WriteAllBytes(Path.Combine(corrupt, "PluginHub.TestPlugins.Good.dll"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251))]);
        _folder.AddTestPlugin("PrivateDependency", "c-private");
        var logger = new ListLogger<PluginCatalog>();
        using var catalog = _folder.OpenCatalog(logger);

        var plugin = catalog.Find("test-corrupt");

        Assert.NotNull(plugin);
        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.Equal("Its assembly is not a valid .NET assembly.", plugin.Error);
        Assert.Equal(PluginStatus.Active, catalog.Find("test-good")!.Status);
        Assert.Equal(PluginStatus.Active, catalog.Find("test-private-dependency")!.Status);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning
            && e.Message.Contains("test-corrupt", StringComparison.Ordinal)
            && e.Message.Contains("Faulted: Its assembly is not a valid .NET assembly.", StringComparison.Ordinal));
    }

    [Fact]
    public void Folder_without_manifest_is_Faulted_under_its_folder_name()
    {
        var directory = _folder.AddFolder("stray");
        File.WriteAllText(Path.Combine(directory, "readme.txt"), "not a plugin");
        _folder.AddTestPlugin("Good");
        using var catalog = _folder.OpenCatalog();

        var plugin = catalog.Find("stray");

        Assert.NotNull(plugin);
        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.Equal("stray", plugin.Name);
        Assert.Equal(directory, plugin.Directory);
        Assert.Equal("The folder has no connector.json.", plugin.Error);
        Assert.Equal(PluginStatus.Active, catalog.Find("test-good")!.Status);
    }

    [Fact]
    public void Invalid_json_manifest_is_Faulted_with_the_line_of_the_error()
    {
        var directory = _folder.AddFolder("broken-json");
        File.WriteAllText(Path.Combine(directory, "connector.json"), "{\n  \"id\": \"broken\",\n  \"name\": \"Broken\",,\n  \"version\": \"1.0.0\"\n}\n");
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal("broken-json", plugin.Id);
        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.StartsWith("connector.json is not valid: ", plugin.Error, StringComparison.Ordinal);
        Assert.Contains("at line 3,", plugin.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_with_a_bad_id_and_version_is_Faulted_listing_both_problems()
    {
        var directory = _folder.AddTestPlugin("Good", "bad-manifest");
        PluginsFolder.EditManifest(directory, m =>
        {
            m["id"] = "Test_Good";
            m["version"] = "1.0";
        });
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal("bad-manifest", plugin.Id);
        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.Equal(
            "connector.json is not valid: id 'Test_Good' must be lower-case letters, digits and dashes; version '1.0' is not a SemVer version.",
            plugin.Error);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("version")]
    [InlineData("name")]
    [InlineData("capabilities")]
    public void A_null_in_the_manifest_faults_that_plugin_and_the_others_still_load(string property)
    {
        PluginsFolder.EditManifest(_folder.AddTestPlugin("Good", "a-nulls"), m => m[property] = null);
        _folder.AddRealPlugin("Jira");
        using var catalog = _folder.OpenCatalog();

        var broken = Assert.Single(catalog.Plugins, p => p.Directory.EndsWith("a-nulls", StringComparison.Ordinal));
        Assert.Equal(PluginStatus.Faulted, broken.Status);
        Assert.Contains(property, broken.Error, StringComparison.Ordinal);
        Assert.Equal(PluginStatus.Active, catalog.Find("jira")!.Status);
    }

    [Fact]
    public void Manifest_missing_a_required_property_is_Faulted_naming_it()
    {
        var directory = _folder.AddTestPlugin("Good");
        PluginsFolder.EditManifest(directory, m => m.Remove("assembly"));
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.StartsWith("connector.json is not valid: ", plugin.Error, StringComparison.Ordinal);
        Assert.Contains("'assembly'", plugin.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_assembly_file_is_Faulted()
    {
        var directory = _folder.AddTestPlugin("Good");
        File.Delete(Path.Combine(directory, "PluginHub.TestPlugins.Good.dll"));
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal("test-good", plugin.Id);
        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.Equal("The assembly 'PluginHub.TestPlugins.Good.dll' named in the manifest is missing.", plugin.Error);
    }

    [Fact]
    public void Missing_settings_schema_file_is_Faulted()
    {
        var directory = _folder.AddTestPlugin("Good");
        File.Delete(Path.Combine(directory, "settings.schema.json"));
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.Equal("The settings schema 'settings.schema.json' named in the manifest is missing.", plugin.Error);
        Assert.Null(plugin.SettingsSchema);
    }

    [Fact]
    public void Settings_schema_that_is_not_json_is_Faulted()
    {
        var directory = _folder.AddTestPlugin("Good");
        File.WriteAllText(Path.Combine(directory, "settings.schema.json"), "{ \"type\": ");
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.StartsWith("Its settings schema is not valid JSON: ", plugin.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_capability_name_is_Faulted()
    {
        var directory = _folder.AddTestPlugin("Good");
        PluginsFolder.EditManifest(directory, m => m["capabilities"] = new JsonArray("readById", "teleport", "ReadChanges"));
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal(PluginStatus.Faulted, plugin.Status);
        Assert.Equal("Unknown capabilities declared: teleport, ReadChanges.", plugin.Error);
    }

    [Fact]
    public async Task Duplicate_id_in_two_folders_faults_the_second_and_keeps_the_first()
    {
        var first = _folder.AddTestPlugin("Good", "a-first");
        var second = _folder.AddTestPlugin("Good", "b-second");
        using var catalog = _folder.OpenCatalog();

        Assert.Equal(2, catalog.Plugins.Count);
        var active = Assert.Single(catalog.Plugins, p => p.Status == PluginStatus.Active);
        var faulted = Assert.Single(catalog.Plugins, p => p.Status == PluginStatus.Faulted);
        Assert.Equal(first, active.Directory);
        Assert.Equal(second, faulted.Directory);
        Assert.Equal("test-good", faulted.Id);
        Assert.Equal("Another folder already provides plugin 'test-good'.", faulted.Error);
        Assert.Null(faulted.Factory);
        Assert.Same(active, catalog.Find("test-good"));

        await using var connector = catalog.CreateConnector("test-good", TestContexts.Create());
        Assert.True((await connector.CheckAsync(CancellationToken.None)).Healthy);
    }

    [Fact]
    public void Duplicate_id_of_a_plugin_that_did_not_load_does_not_block_the_one_that_does()
    {
        var broken = _folder.AddTestPlugin("Good", "a-broken");
        File.Delete(Path.Combine(broken, "PluginHub.TestPlugins.Good.dll"));
        var working = _folder.AddTestPlugin("Good", "b-working");
        using var catalog = _folder.OpenCatalog();

        Assert.Equal(PluginStatus.Faulted, catalog.Plugins.Single(p => p.Directory == broken).Status);
        Assert.Equal(PluginStatus.Active, catalog.Plugins.Single(p => p.Directory == working).Status);
    }

    [Fact]
    public void CreateConnector_on_a_plugin_that_is_not_Active_is_a_Configuration_failure()
    {
        _folder.AddTestPlugin("TwoFactories");
        using var catalog = _folder.OpenCatalog();

        var error = Assert.Throws<ConnectorException>(() => catalog.CreateConnector("test-two-factories", TestContexts.Create()));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.StartsWith("Connector plugin 'test-two-factories' is Faulted: 2 implementations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_plugin_that_is_not_Active_is_logged_as_a_warning_with_its_reason()
    {
        _folder.AddTestPlugin("MissingCapability");
        _folder.AddTestPlugin("NewerMajor");
        _folder.AddTestPlugin("Good");
        var logger = new ListLogger<PluginCatalog>();
        using var catalog = _folder.OpenCatalog(logger);

        Assert.Equal(3, catalog.Plugins.Count);

        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("test-missing-capability", StringComparison.Ordinal)
            && w.Contains("Declares capabilities it does not implement: write.", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("test-newer-major", StringComparison.Ordinal) && w.Contains("Incompatible", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("Plugin test-good 1.2.3 loaded", StringComparison.Ordinal));
    }
}
