using System.Globalization;

namespace PluginHub.Connectors.Jira.Read;

/// <summary>Builds JQL safely: values are always quoted and escaped, instants are epoch milliseconds (no time-zone traps).</summary>
internal static class Jql
{
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static string List(IEnumerable<string> values) => "(" + string.Join(", ", values.Select(Quote)) + ")";

    public static string Millis(long ms) => ms.ToString(CultureInfo.InvariantCulture);

    /// <summary>The clauses every read of an entity starts with: its project (when scoped) and issue type.</summary>
    public static string Entity(string issueType, string? project) =>
        project is null ? $"issuetype = {Quote(issueType)}" : $"project = {Quote(project)} AND issuetype = {Quote(issueType)}";

    /// <summary>A caller's fragment, parenthesised so that its ORs cannot escape into ours.</summary>
    public static string And(string jql, string? fragment) => string.IsNullOrWhiteSpace(fragment) ? jql : $"{jql} AND ({fragment})";
}
