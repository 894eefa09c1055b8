namespace PluginHub.Host.Demo;

/// <summary>Settings of <c>--demo</c> (section <c>PluginHub:Demo</c>).</summary>
public sealed class DemoOptions
{
    public const string Section = "PluginHub:Demo";

    /// <summary>Where the Salesforce sandbox listens; port 0 for any free port.</summary>
    public string SalesforceUrl { get; set; } = "http://127.0.0.1:5081";

    /// <summary>Where the Jira Cloud sandbox listens; port 0 for any free port.</summary>
    public string JiraUrl { get; set; } = "http://127.0.0.1:5082";

    /// <summary>How often the integrations poll.</summary>
    public int PollSeconds { get; set; } = 10;

    /// <summary>How often the sandboxes' people make a change (a new Case, a new or moved Jira task); 0 for never.</summary>
    public int ActivitySeconds { get; set; } = 20;
}
