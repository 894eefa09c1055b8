namespace PluginHub.Host.Demo;

/// <summary>
/// <c>--demo</c>: both sandboxes in this process, a fresh data folder of its own, the API key <c>demo</c>, and the two template
/// integrations syncing within seconds while the sandboxes' people keep making changes.
/// </summary>
internal static class DemoMode
{
    public const string Argument = "--demo";

    /// <summary>The demo's well-known API key (the demo holds only sandbox data and listens on loopback by default).</summary>
    public const string ApiKey = "demo";

    /// <summary>Takes <c>--demo</c> out of the arguments (configuration would read the next argument as its value).</summary>
    public static bool TakeFrom(ref string[] args)
    {
        var requested = args.Contains(Argument, StringComparer.Ordinal);
        args = [.. args.Where(a => a != Argument)];
        return requested;
    }

    /// <summary>Points the host at a demo data folder, emptied first (the sandboxes live in memory, so old links would point nowhere).</summary>
    public static WebApplicationBuilder UseDemo(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(PluginHubOptions.Section);
        var dataDir = Path.GetFullPath(Path.Combine(section["DataDir"] ?? new PluginHubOptions().DataDir, "demo"));
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{PluginHubOptions.Section}:DataDir"] = dataDir,
            [$"{PluginHubOptions.Section}:ApiKey"] = section["ApiKey"] ?? ApiKey,
        });
        builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection(DemoOptions.Section));
        builder.Services.AddHttpClient();
        builder.Services.AddHostedService<DemoSetup>();
        return builder;
    }
}
