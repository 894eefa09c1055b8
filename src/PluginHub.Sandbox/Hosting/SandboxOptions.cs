namespace PluginHub.Sandbox.Hosting;

/// <summary>Options of one sandbox server.</summary>
public sealed record SandboxOptions
{
    /// <summary>The URL to listen on; <c>http://127.0.0.1:0</c> picks a free port.</summary>
    public string Url { get; init; } = "http://127.0.0.1:0";

    /// <summary>When set, the sandbox is seeded deterministically with Bogus and this seed; null for default users only.</summary>
    public int? Seed { get; init; }
}
