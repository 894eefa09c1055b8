using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Plugins.Tests;

/// <summary>The catalog against real, built plugins that load (or must not be loaded at all).</summary>
public sealed class PluginCatalogLoadingTests : IDisposable
{
    private readonly PluginsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Good_plugin_is_Active_with_its_manifest_and_settings_schema()
    {
        var directory = _folder.AddTestPlugin("Good");
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);
        Assert.Equal(PluginStatus.Active, plugin.Status);
        Assert.Null(plugin.Error);
        Assert.Equal("test-good", plugin.Id);
        Assert.Equal("Test plugin Good", plugin.Name);
        Assert.Equal("1.2.3", plugin.Version);
        Assert.Equal("1.0", plugin.Contract);
        Assert.Equal(["readById"], plugin.Capabilities);
        Assert.Equal(directory, plugin.Directory);
        Assert.NotNull(plugin.Factory);
        var schema = Assert.NotNull(plugin.SettingsSchema);
        Assert.True(schema.GetProperty("properties").GetProperty("token").GetProperty("x-secret").GetBoolean());
        Assert.Same(plugin, catalog.Find("test-good"));
        Assert.Null(catalog.Find("nope"));
    }

    [Fact]
    public async Task Good_connector_answers_over_the_shared_contract_types()
    {
        _folder.AddTestPlugin("Good");
        using var catalog = _folder.OpenCatalog();
        var now = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

        await using var connector = catalog.CreateConnector("test-good", TestContexts.Create("""{"greeting": "hello"}""", new FixedTime(now)));

        // The connector's code runs in the plugin's own load context, but the contract types are the host's.
        var pluginAssembly = connector.GetType().Assembly;
        Assert.Equal("PluginHub.TestPlugins.Good", pluginAssembly.GetName().Name);
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(pluginAssembly));
        Assert.True(PluginsFolder.IsLoadedAnywhere("PluginHub.TestPlugins.Good"));
        Assert.Same(typeof(IConnector).Assembly, connector.GetType().GetInterface(nameof(IConnector))!.Assembly);

        var check = await connector.CheckAsync(CancellationToken.None);
        Assert.True(check.Healthy);
        Assert.Equal("test-good connection conn-1 is fine.", check.Message);

        var reader = Assert.IsAssignableFrom<IRecordReader>(connector);
        var records = await reader.ReadByIdsAsync("Thing", ["a1", "missing-1", "b2"], ["Name"], CancellationToken.None);
        Assert.Equal(["a1", "b2"], records.Select(r => r.Ref.Id).Order(StringComparer.Ordinal));
        var a1 = records.Single(r => r.Ref.Id == "a1");
        Assert.Equal(new RecordRef("Thing", "a1"), a1.Ref);
        Assert.Equal("v-a1", a1.Version);
        Assert.Equal(now, a1.ModifiedAt);
        Assert.Equal(new TextValue("hello Name of a1"), Assert.Single(a1.Fields, f => f.Key == "Name").Value);

        Assert.IsNotAssignableFrom<IRecordWriter>(connector);
        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.DescribeEntityAsync("Nope", null, CancellationToken.None));
        Assert.Equal(FailureKind.NotFound, error.Kind);
    }

    [Fact]
    public void CreateConnector_lets_the_factory_ConnectorException_through_unchanged()
    {
        _folder.AddTestPlugin("Good");
        using var catalog = _folder.OpenCatalog();

        var error = Assert.Throws<ConnectorException>(() => catalog.CreateConnector("test-good", TestContexts.Create("""{"greeting": "far too long a greeting, really"}""")));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Equal("The greeting is longer than 20 characters.", error.Message);
    }

    [Fact]
    public void CreateConnector_wraps_any_other_factory_exception_as_Internal()
    {
        _folder.AddTestPlugin("Good");
        using var catalog = _folder.OpenCatalog();

        // A greeting that is not a string makes the factory's GetString() throw InvalidOperationException.
        var error = Assert.Throws<ConnectorException>(() => catalog.CreateConnector("test-good", TestContexts.Create("""{"greeting": 42}""")));

        Assert.Equal(FailureKind.Internal, error.Kind);
        Assert.StartsWith("Connector plugin 'test-good' failed to create a connector: ", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void Plugin_built_against_a_newer_minor_contract_is_Incompatible_and_its_code_never_loaded()
    {
        _folder.AddTestPlugin("NewerContract");
        _folder.AddTestPlugin("Good");
        using var catalog = _folder.OpenCatalog();

        var plugin = catalog.Find("test-newer-contract");

        Assert.NotNull(plugin);
        Assert.Equal(PluginStatus.Incompatible, plugin.Status);
        Assert.Equal("1.99", plugin.Contract);
        Assert.Equal($"Built against contract 1.99, newer than this host's {ContractVersion.Current}; upgrade PluginHub.", plugin.Error);
        Assert.Null(plugin.Factory);
        Assert.Null(plugin.SettingsSchema);
        Assert.Equal(PluginStatus.Active, catalog.Find("test-good")!.Status);
        Assert.False(PluginsFolder.IsLoadedAnywhere("PluginHub.TestPlugins.NewerContract"));
    }

    [Fact]
    public void Plugin_built_against_another_major_contract_is_Incompatible_and_its_code_never_loaded()
    {
        _folder.AddTestPlugin("NewerMajor");
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal("test-newer-major", plugin.Id);
        Assert.Equal(PluginStatus.Incompatible, plugin.Status);
        Assert.Equal($"Built against contract 2.0; this host runs contract {ContractVersion.Current} and only loads major 1.", plugin.Error);
        Assert.False(PluginsFolder.IsLoadedAnywhere("PluginHub.TestPlugins.NewerMajor"));
    }

    [Theory]
    [InlineData("0.9", PluginStatus.Incompatible)]
    [InlineData("0.0", PluginStatus.Incompatible)]
    [InlineData("3.0", PluginStatus.Incompatible)]
    [InlineData("1.3", PluginStatus.Incompatible)]
    [InlineData("1.2", PluginStatus.Active)]
    [InlineData("1.1", PluginStatus.Active)]
    [InlineData("1.0", PluginStatus.Active)]
    public void Contract_rule_needs_the_same_major_and_a_minor_not_newer_than_the_host(string contract, PluginStatus expected)
    {
        // Same code as Good; only the manifest's contract differs.
        var directory = _folder.AddTestPlugin("Good");
        PluginsFolder.EditManifest(directory, m => m["contract"] = contract);
        using var catalog = _folder.OpenCatalog();

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal(expected, plugin.Status);
        Assert.Equal(contract, plugin.Contract);
    }

    [Fact]
    public void Disabled_plugin_is_listed_but_its_code_never_loaded()
    {
        _folder.AddTestPlugin("Disabled");
        _folder.AddTestPlugin("Good");
        using var catalog = _folder.OpenCatalog("test-disabled");

        var plugin = catalog.Find("test-disabled");

        Assert.NotNull(plugin);
        Assert.Equal(PluginStatus.Disabled, plugin.Status);
        Assert.Equal("Disabled by configuration.", plugin.Error);
        Assert.Equal("1.2.3", plugin.Version);
        Assert.Equal(PluginStatus.Active, catalog.Find("test-good")!.Status);
        Assert.False(PluginsFolder.IsLoadedAnywhere("PluginHub.TestPlugins.Disabled"));
        var error = Assert.Throws<ConnectorException>(() => catalog.CreateConnector("test-disabled", TestContexts.Create()));
        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Equal("Connector plugin 'test-disabled' is Disabled: Disabled by configuration.", error.Message);
    }

    [Fact]
    public async Task Private_dependency_stays_private_to_the_plugin()
    {
        _folder.AddTestPlugin("PrivateDependency");
        using var catalog = _folder.OpenCatalog();
        Assert.Equal(PluginStatus.Active, Assert.Single(catalog.Plugins).Status);

        await using var connector = catalog.CreateConnector("test-private-dependency", TestContexts.Create());
        var check = await connector.CheckAsync(CancellationToken.None);
        var entities = await connector.ListEntitiesAsync(null, CancellationToken.None);

        var hostNewtonsoft = typeof(JsonConvert).Assembly;
        var pluginNewtonsoft = AssemblyLoadContext.GetLoadContext(connector.GetType().Assembly)!.Assemblies
            .Single(a => a.GetName().Name == "Newtonsoft.Json");
        Assert.Equal("13.0.1", check.Message!.Split('+')[0]);
        Assert.Equal("13.0.3", InformationalVersion(hostNewtonsoft).Split('+')[0]);
        Assert.Equal("13.0.1", InformationalVersion(pluginNewtonsoft).Split('+')[0]);
        Assert.NotSame(hostNewtonsoft, pluginNewtonsoft);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(hostNewtonsoft));
        Assert.Equal([new EntitySummary("Thing", "Thing")], entities);
    }

    [Fact]
    public void Real_connectors_load_Active_with_their_settings_schemas()
    {
        _folder.AddRealPlugin("Salesforce");
        _folder.AddRealPlugin("Jira");
        using var catalog = _folder.OpenCatalog();

        Assert.Equal(["jira", "salesforce"], catalog.Plugins.Select(p => p.Id));
        foreach (var plugin in catalog.Plugins)
        {
            Assert.True(plugin.Status == PluginStatus.Active, $"{plugin.Id} is {plugin.Status}: {plugin.Error}");
            Assert.Equal(["activityFeed", "attachments", "comments", "readById", "readChanges", "webhooks", "write"], plugin.Capabilities.Order(StringComparer.Ordinal));
            Assert.Equal(ContractVersion.Current, plugin.Contract);
            Assert.NotNull(plugin.SettingsSchema);
        }

        Assert.Equal(["apiToken"], SecretProperties(catalog.Find("jira")!));
        Assert.Equal(["clientSecret", "password", "privateKey", "securityToken"], SecretProperties(catalog.Find("salesforce")!));
    }

    [Fact]
    public async Task Real_connectors_create_connectors_over_the_shared_contract()
    {
        _folder.AddRealPlugin("Salesforce");
        _folder.AddRealPlugin("Jira");
        using var catalog = _folder.OpenCatalog();

        foreach (var (id, settings) in new[]
        {
            ("jira", """{"baseUrl": "https://jira.example.test", "apiToken": "token"}"""),
            ("salesforce", """{"loginUrl": "https://login.example.test", "clientId": "app", "username": "user@example.test"}"""),
        })
        {
            await using var connector = catalog.CreateConnector(id, TestContexts.Create(settings));
            Assert.IsAssignableFrom<IConnector>(connector);
            Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(connector.GetType().Assembly));
        }
    }

    [Fact]
    public void Plugin_implementing_an_undeclared_capability_is_Active_without_it_and_says_so_in_the_log()
    {
        var directory = _folder.AddTestPlugin("Good");
        PluginsFolder.EditManifest(directory, m => m["capabilities"] = new JsonArray());
        var logger = new ListLogger<PluginCatalog>();
        using var catalog = _folder.OpenCatalog(logger);

        var plugin = Assert.Single(catalog.Plugins);

        Assert.Equal(PluginStatus.Active, plugin.Status);
        Assert.Empty(plugin.Capabilities);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information
            && e.Message.Contains("test-good implements undeclared capabilities readById", StringComparison.Ordinal));
    }

    [Fact]
    public void Plugins_are_ordered_by_id_whatever_their_folder_names()
    {
        _folder.AddTestPlugin("Good", "a-folder");
        _folder.AddTestPlugin("NewerMajor", "b-folder");
        _folder.AddTestPlugin("Disabled", "c-folder");
        using var catalog = _folder.OpenCatalog("test-disabled");

        Assert.Equal(["test-disabled", "test-good", "test-newer-major"], catalog.Plugins.Select(p => p.Id));
    }

    [Fact]
    public void Catalog_discovers_once_and_returns_the_same_list()
    {
        _folder.AddTestPlugin("Good");
        using var catalog = _folder.OpenCatalog();

        var first = catalog.Plugins;
        _folder.AddTestPlugin("NewerMajor");

        Assert.Same(first, catalog.Plugins);
    }

    [Fact]
    public void Nonexistent_plugins_folder_gives_an_empty_list_and_a_warning()
    {
        var missing = Path.Combine(_folder.Path, "does-not-exist");
        var logger = new ListLogger<PluginCatalog>();
        using var catalog = new PluginCatalog(new PluginCatalogOptions { PluginsDir = missing }, logger);

        Assert.Empty(catalog.Plugins);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(missing, StringComparison.Ordinal));
        var error = Assert.Throws<ConnectorException>(() => catalog.CreateConnector("test-good", TestContexts.Create()));
        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Equal("No connector plugin 'test-good' is installed.", error.Message);
    }

    [Fact]
    public void Empty_plugins_folder_gives_an_empty_list()
    {
        using var catalog = new PluginCatalog(new PluginCatalogOptions { PluginsDir = _folder.Path }, NullLogger<PluginCatalog>.Instance);

        Assert.Empty(catalog.Plugins);
    }

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "none";

    private static List<string> SecretProperties(PluginInfo plugin) =>
    [
        .. plugin.SettingsSchema!.Value.GetProperty("properties").EnumerateObject()
            .Where(p => p.Value.TryGetProperty("x-secret", out var secret) && secret.ValueKind == JsonValueKind.True)
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal),
    ];
}
