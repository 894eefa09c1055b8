using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira;
using PluginHub.Connectors.Salesforce;
using PluginHub.Core.Integrations;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Core.Runs;
using PluginHub.Core.Sync;
using PluginHub.Persistence;
using PluginHub.Rules;
using PluginHub.Sandbox;
using Xunit;
using Xunit.Abstractions;

namespace PluginHub.Testing.EndToEnd;

/// <summary>
/// Both sandboxes, an embedded SQLite store and the real sync engine with the real connectors over HTTP: everything of a
/// host except Quartz and the API. People's edits are made through the connectors with the sandboxes' human users.
/// </summary>
public sealed class SyncHarness : IAsyncDisposable
{
    public const string SalesforceConnection = "salesforce";
    public const string JiraConnection = "jira";

    private readonly ServiceProvider _services;
    private readonly TempDirectory _temp = new();
    private readonly ITestOutputHelper? _output;
    private readonly SandboxCluster? _sandboxes;

    private SyncHarness(SandboxCluster? sandboxes, Uri salesforceUrl, Uri jiraUrl, ITestOutputHelper? output, ILoggerFactory? loggerFactory)
    {
        _sandboxes = sandboxes;
        SalesforceUrl = salesforceUrl;
        JiraUrl = jiraUrl;
        _output = output;
        var services = new ServiceCollection();
        if (loggerFactory is null)
        {
            services.AddLogging(b => b.AddTestOutput(output!, LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning));
        }
        else
        {
            // Registered first, so AddLogging keeps it; the container does not dispose an instance it was given.
            services.AddSingleton(loggerFactory);
            services.AddLogging();
        }

        services.AddSingleton(TimeProvider.System);
        services.AddPluginHubPersistence(new StorageOptions(), _temp.Combine("data"));
        services.AddSingleton<ConnectorPool>();
        services.AddSingleton<IConnectorProvider>(p => new SandboxConnectors(this, p.GetRequiredService<ConnectorPool>()));
        services.AddSingleton(new SyncOptions { FingerprintKey = "test-fingerprint-key"u8.ToArray(), RulesDirectory = Path.Combine(RepositoryRoot.Find(), "rules") });
        services.AddSingleton(_ => new RuleRuntime());
        services.AddSingleton<NoticeInbox>();
        services.AddSingleton<SyncEngine>();
        _services = services.BuildServiceProvider();
        Http = new HttpClient();
    }

    public SandboxCluster Sandboxes => _sandboxes ?? throw new InvalidOperationException("The sandboxes run in another process.");

    public Uri SalesforceUrl { get; }

    public Uri JiraUrl { get; }

    public HttpClient Http { get; }

    public IIntegrationRunner Engine => _services.GetRequiredService<SyncEngine>();

    /// <summary>Where webhook notices wait for the engine, as the host's ingress leaves them.</summary>
    public NoticeInbox Notices => _services.GetRequiredService<NoticeInbox>();

    public IIntegrationStore Integrations => _services.GetRequiredService<IIntegrationStore>();

    public ISyncStateStore State => _services.GetRequiredService<ISyncStateStore>();

    /// <summary>The embedded store, for tests that play a crash by removing what a run saved.</summary>
    public string DatabaseConnectionString => new SqliteConnectionStringBuilder { DataSource = _temp.Combine("data", PersistenceServiceCollectionExtensions.SqliteFileName), Pooling = false }.ToString();

    public static Task<SyncHarness> StartAsync(ITestOutputHelper output) => StartAsync(output, null);

    /// <summary>Starts without xUnit (benchmarks): the engine and connectors log to <paramref name="loggerFactory"/>.</summary>
    public static Task<SyncHarness> StartAsync(ILoggerFactory loggerFactory) => StartAsync(null, loggerFactory);

    /// <summary>
    /// Starts against sandboxes that run elsewhere (another process, so that memory figures leave the emulators' data out). They
    /// are not stopped on dispose.
    /// </summary>
    public static Task<SyncHarness> StartAsync(ILoggerFactory loggerFactory, Uri salesforceUrl, Uri jiraUrl) =>
        InitializeAsync(new SyncHarness(null, salesforceUrl, jiraUrl, null, loggerFactory));

    private static async Task<SyncHarness> StartAsync(ITestOutputHelper? output, ILoggerFactory? loggerFactory)
    {
        var sandboxes = await SandboxCluster.StartAsync(new SandboxClusterOptions { SalesforceUrl = "http://127.0.0.1:0", JiraUrl = "http://127.0.0.1:0" });
        return await InitializeAsync(new SyncHarness(sandboxes, sandboxes.Salesforce!.BaseUrl, sandboxes.Jira!.BaseUrl, output, loggerFactory));
    }

    private static async Task<SyncHarness> InitializeAsync(SyncHarness harness)
    {
        await harness._services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);

        // The people of each side also exist on the other, as in a real company: users are matched by e-mail.
        await harness.AdminAsync(harness.JiraUrl, HttpMethod.Post, "/_sandbox/jira/users", new { email = "agent@pluginhub.test", token = "agent-token", displayName = "Avery Agent" });
        await harness.AdminAsync(harness.SalesforceUrl, HttpMethod.Post, "/_sandbox/users", new { username = "developer@pluginhub.test", email = "developer@pluginhub.test", firstName = "Devon", lastName = "Developer" });
        return harness;
    }

    /// <summary>Settings of the integration user (what an admin configures).</summary>
    public JsonElement SalesforceSettings(string user = "integration@pluginhub.test", string password = "sandbox-password", string token = "SANDBOXTOKEN") =>
        JsonSerializer.SerializeToElement(new
        {
            loginUrl = SalesforceUrl.ToString(),
            clientId = "pluginhub-sandbox",
            clientSecret = "sandbox-secret",
            username = user,
            password,
            securityToken = token,
        });

    public JsonElement JiraSettings(string user = "integration@pluginhub.test", string token = "sandbox-token") =>
        JsonSerializer.SerializeToElement(new { baseUrl = JiraUrl.ToString(), username = user, apiToken = token, flavor = "cloud", apiVersion = "3" });

    /// <summary>A connector acting as the Salesforce support agent, a person who edits Cases.</summary>
    public IConnector Agent() => new SalesforceConnectorFactory().Create(Context(SalesforceSettings("agent@pluginhub.test", "agent-password", "AGENTTOKEN")));

    /// <summary>A connector acting as the Jira developer, a person who edits issues.</summary>
    public IConnector Developer() => new JiraConnectorFactory().Create(Context(JiraSettings("developer@pluginhub.test", "developer-token")));

    /// <summary>A connector with the integration's own credentials, for reading what the sync did.</summary>
    public IConnector Open(string connection) => connection == SalesforceConnection
        ? new SalesforceConnectorFactory().Create(Context(SalesforceSettings()))
        : new JiraConnectorFactory().Create(Context(JiraSettings()));

    /// <summary>Stores an integration made from a template file of rules/templates, with the harness's connections and the given changes.</summary>
    public async Task<Integration> CreateFromTemplateAsync(string template, Func<IntegrationDefinition, IntegrationDefinition>? change = null, string? name = null)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "rules", "templates", template + ".json"));
        var definition = JsonSerializer.Deserialize<IntegrationDefinition>(json, IntegrationDefinition.JsonOptions)!;
        var salesforceIsSource = definition.Source.Entity == "Case";
        definition = definition with
        {
            Source = definition.Source with { Connection = salesforceIsSource ? SalesforceConnection : JiraConnection },
            Target = definition.Target with { Connection = salesforceIsSource ? JiraConnection : SalesforceConnection },
        };
        definition = change?.Invoke(definition) ?? definition;
        return await Integrations.AddAsync(name ?? template, JsonSerializer.Serialize(definition, IntegrationDefinition.JsonOptions), IntegrationSchedule.Default, CancellationToken.None);
    }

    /// <summary>Runs the integration once, as "run now" does, and returns the finished run.</summary>
    public async Task<Run> RunAsync(Integration integration)
    {
        var run = await Engine.RunAsync(integration.Id, RunTrigger.Manual, CancellationToken.None);
        Assert.NotNull(run);
        _output?.WriteLine($"run: {run.Status} {run.Counts} {run.Message} {string.Join(" | ", run.Errors.Select(e => $"{e.RecordId}: {e.Message}"))}");
        return run;
    }

    /// <summary>Every text value in every table of the store, for the no-business-data test.</summary>
    public async Task<string> DumpDatabaseAsync()
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<PluginHubDbContext>>().CreateDbContextAsync();
        var dump = new System.Text.StringBuilder();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                for (var i = 0; i < rows.FieldCount; i++)
                {
                    dump.Append(rows.IsDBNull(i) ? string.Empty : Convert.ToString(rows.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\t');
                }

                dump.AppendLine();
            }
        }

        return dump.ToString();
    }

    /// <summary>Runs a sandbox admin call (<c>/_sandbox/…</c>).</summary>
    public async Task<JsonNode?> AdminAsync(Uri baseUrl, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl, path)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>The number of API calls the sandbox counted since its metrics were last reset.</summary>
    public async Task<long> CallsAsync(Uri baseUrl) => (await AdminAsync(baseUrl, HttpMethod.Get, "/_sandbox/metrics"))!["requests"]!.GetValue<long>();

    public Task ResetMetricsAsync(Uri baseUrl) => AdminAsync(baseUrl, HttpMethod.Post, "/_sandbox/metrics/reset");

    private ConnectorContext Context(JsonElement settings) => new()
    {
        ConnectionId = "e2e",
        Settings = settings,
        LoggerFactory = _services.GetRequiredService<ILoggerFactory>(),
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _services.DisposeAsync();
        if (_sandboxes is not null)
        {
            await _sandboxes.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    /// <summary>The two connections of the tests, opened with the integration user's credentials.</summary>
    /// <remarks>Kept between runs, as the host keeps them (<see cref="ConnectorPool"/>).</remarks>
    private sealed class SandboxConnectors(SyncHarness harness, ConnectorPool pool) : IConnectorProvider
    {
        public Task<IConnector> OpenAsync(string connection, CancellationToken cancellationToken) => connection is SalesforceConnection or JiraConnection
            ? pool.RentAsync(connection, () => harness.Open(connection))
            : throw new ConnectorException(FailureKind.Configuration, $"No connection '{connection}'.");

        public ValueTask ReleaseAsync(IConnector connector) => pool.ReturnAsync(connector);
    }
}
