namespace PluginHub.Connectors.Jira.Api;

/// <summary>The container scope Jira understands: <c>{"project": "SUP"}</c>.</summary>
internal static class Scope
{
    public static string? Project(IReadOnlyDictionary<string, string>? scope) =>
        scope is not null && scope.TryGetValue("project", out var project) && !string.IsNullOrWhiteSpace(project) ? project.Trim() : null;
}
