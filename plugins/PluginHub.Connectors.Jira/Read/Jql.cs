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

    /// <summary><paramref name="jql"/>, narrowed to issues updated at or after <paramref name="since"/> when there is one.</summary>
    public static string Since(string jql, DateTimeOffset? since) =>
        since is { } from ? $"{jql} AND updated >= {Millis(from.ToUnixTimeMilliseconds())}" : jql;

    /// <summary>
    /// The issues of a type that changed since an instant, in id order: a new comment or file bumps its issue's <c>updated</c>
    /// (reference §5), and id order, unlike <c>updated</c> order, does not move issues between pages while the feed is read.
    /// </summary>
    public static string Feed(string issueType, string? project, DateTimeOffset since) => Since(Entity(issueType, project), since) + " ORDER BY id ASC";

    /// <summary>A caller's fragment, parenthesised so that its ORs cannot escape into ours.</summary>
    public static string And(string jql, string? fragment) => string.IsNullOrWhiteSpace(fragment) ? jql : $"{jql} AND ({fragment})";
}
