using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.OpenApi;
using PluginHub.Core.Runs;
using PluginHub.Core.Sync;
using PluginHub.Host.Connections;
using PluginHub.Host.Endpoints;
using PluginHub.Host.Integrations;
using PluginHub.Host.Security;
using PluginHub.Host.Webhooks;
using PluginHub.Persistence;
using PluginHub.Plugins;
using PluginHub.Rules;
using PluginHub.Scheduling;

namespace PluginHub.Host;

/// <summary>Wires the host together, so that Program.cs stays a table of contents.</summary>
internal static class PluginHubHost
{
    /// <summary>The largest request body the host accepts.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddPluginHub(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration.GetSection(PluginHubOptions.Section);
        builder.Services.Configure<PluginHubOptions>(config);
        var options = config.Get<PluginHubOptions>() ?? new PluginHubOptions();
        var dataDir = Path.GetFullPath(options.DataDir);

        // Definitions, settings and deliveries are small: a megabyte is generous, and bounds what a caller can make us buffer.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());

            // Clients write field values by hand: the "type" of a value need not come first.
            o.SerializerOptions.AllowOutOfOrderMetadataProperties = true;
        });

        var storage = config.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        builder.Services.AddPluginHubPersistence(storage, dataDir);

        var pluginOptions = new PluginCatalogOptions();
        config.GetSection("Plugins").Bind(pluginOptions);
        if (options.PluginsDir is { Length: > 0 } pluginsDir)
        {
            pluginOptions.PluginsDir = Path.GetFullPath(pluginsDir);
        }

        builder.Services.AddSingleton(pluginOptions);
        builder.Services.AddSingleton<PluginCatalog>();

        var scheduling = config.GetSection("Scheduling").Get<SchedulingOptions>() ?? new SchedulingOptions();
        if (storage.Provider == StorageProvider.PostgreSql)
        {
            // Several hosts on one PostgreSQL database share the work through Quartz's clustered store (DESIGN §7).
            scheduling.ClusteredPostgresConnectionString ??= storage.ConnectionString;
        }

        builder.Services.AddPluginHubScheduling(scheduling);

        // Secrets at rest: Data Protection keys live in the data folder (on PostgreSQL they will move into the database).
        builder.Services.AddDataProtection().SetApplicationName("PluginHub").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDir, "keys")));
        builder.Services.AddSingleton<SettingsProtector>();
        builder.Services.AddSingleton<ConnectionService>();

        var rulesDir = options.RulesDir is { Length: > 0 } rules ? Path.GetFullPath(rules) : Path.Combine(AppContext.BaseDirectory, "rules");
        builder.Services.AddSingleton(new RulesFolder(rulesDir));
        builder.Services.AddSingleton<TemplateCatalog>();

        // The sync engine: one rule runtime for all runs (prepared rules are cached per revision).
        var fingerprintKey = options.FingerprintKey is { Length: > 0 } configured
            ? configured
            : SecretFile.ReadOrCreate(Path.Combine(dataDir, "fingerprint-key"), out _);
        builder.Services.AddSingleton(new SyncOptions { FingerprintKey = Encoding.UTF8.GetBytes(fingerprintKey), RulesDirectory = rulesDir });
        builder.Services.AddSingleton(_ => new RuleRuntime());
        builder.Services.AddSingleton<ConnectorPool>();
        builder.Services.AddSingleton<IConnectorProvider, ConnectorProvider>();
        builder.Services.AddSingleton<NoticeInbox>();
        builder.Services.AddSingleton<SyncEngine>();
        builder.Services.AddSingleton<IIntegrationRunner>(sp => sp.GetRequiredService<SyncEngine>());
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddSingleton<DeliveryLog>();
        builder.Services.AddSingleton<HookEndpoints.Ingress>();
        builder.Services.AddSingleton<WebhookRegistrar>();
        builder.Services.AddHostedService<WebhookStartup>();
        builder.Services.AddSingleton<DefinitionChecker>();
        builder.Services.AddSingleton<DefinitionBuilder>();

        // The tester gets a runtime of its own with a small cache: every script tried is a new revision.
        builder.Services.AddSingleton(_ => new RuleTester(new RuleRuntime(new RuleLimits { MaxCachedRules = 16 })));

        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddPluginHubHealthChecks();

        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(c =>
        {
            c.SwaggerDoc("v1", new OpenApiInfo { Title = "PluginHub API", Version = "v1", Description = "Keeps Salesforce and Jira in sync. Send your API key in X-Api-Key." });
            c.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "The API key from PluginHub__ApiKey, or the one generated in the data folder on first start.",
            });
            c.AddSecurityRequirement(doc => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, doc)] = [] });
        });
        return builder;
    }

    public static WebApplication MapPluginHub(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            // A declared length over the limit is refused before anything is read (Kestrel stops undeclared ones while reading).
            if (context.Request.ContentLength > MaxRequestBodyBytes)
            {
                throw new BadHttpRequestException("The request body is larger than 1 MiB.", StatusCodes.Status413PayloadTooLarge);
            }

            await next(context);
        });
        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = "PluginHub API");
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapPluginHubHealth();
        app.MapHookEndpoints();
        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapConnectorEndpoints();
        api.MapConnectionEndpoints();
        api.MapIntegrationEndpoints();
        api.MapRuleEndpoints();
        return app;
    }

    /// <summary>Creates or migrates the database, loads the plugins and resolves the API key before the first request.</summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
        if (app.Services.GetRequiredService<StorageOptions>().Provider == StorageProvider.Sqlite)
        {
            // The only host on this store: runs it left unfinished died with the previous process. (On PostgreSQL another host may own them.)
            var closed = await app.Services.GetRequiredService<IRunStore>().CloseUnfinishedAsync(
                "The host stopped during this run; the next run resumes from its last checkpoint.", app.Lifetime.ApplicationStopping);
            if (closed > 0)
            {
                app.Logger.LogWarning("{Count} run(s) left unfinished by the previous process were marked Failed", closed);
            }
        }

        _ = app.Services.GetRequiredService<PluginCatalog>().Plugins;
        _ = app.Services.GetRequiredService<ApiKeys>();
    }
}
