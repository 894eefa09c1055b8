using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;

namespace PluginHub.Connectors.Jira.Describe;

/// <summary>An issue type: its id and name.</summary>
internal sealed record IssueType(string Id, string Name);

/// <summary>A workflow status with its category key (<c>new</c>, <c>indeterminate</c>, <c>done</c>).</summary>
internal sealed record JiraStatus(string Id, string Name, string Category);

/// <summary>
/// Jira's metadata, fetched on first use and cached for the connector's life (one run or one API request):
/// the field list, the issue types per project and the statuses per project and issue type.
/// </summary>
internal sealed class JiraCatalog(JiraApi api)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<IssueType>>>> _issueTypes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<(string IssueType, JiraStatus Status)>>>> _statuses = new(StringComparer.OrdinalIgnoreCase);
    private Lazy<Task<IReadOnlyDictionary<string, JiraField>>>? _fields;

    /// <summary>Every system and custom field by id.</summary>
    public Task<IReadOnlyDictionary<string, JiraField>> FieldsAsync(CancellationToken cancellationToken)
    {
        var lazy = LazyInitializer.EnsureInitialized(ref _fields, () => new Lazy<Task<IReadOnlyDictionary<string, JiraField>>>(() => LoadFieldsAsync(cancellationToken)));
        return Retrying(lazy, () => _fields = null);
    }

    /// <summary>The issue types of a project (create metadata, custom ones included), or of the whole site without one.</summary>
    public Task<IReadOnlyList<IssueType>> IssueTypesAsync(string? project, CancellationToken cancellationToken)
    {
        var key = project ?? "";
        var lazy = _issueTypes.GetOrAdd(key, _ => new Lazy<Task<IReadOnlyList<IssueType>>>(() => LoadIssueTypesAsync(project, cancellationToken)));
        return Retrying(lazy, () => _issueTypes.TryRemove(key, out _));
    }

    /// <summary>The issue type called <paramref name="entity"/> (by name, or by id).</summary>
    /// <exception cref="ConnectorException">NotFound when there is none.</exception>
    public async Task<IssueType> IssueTypeAsync(string entity, string? project, CancellationToken cancellationToken)
    {
        var types = await IssueTypesAsync(project, cancellationToken);
        return types.FirstOrDefault(t => string.Equals(t.Name, entity, StringComparison.OrdinalIgnoreCase)) ?? types.FirstOrDefault(t => t.Id == entity)
            ?? throw new ConnectorException(FailureKind.NotFound, project is null
                ? $"Jira has no issue type '{entity}'."
                : $"The Jira project '{project}' has no issue type '{entity}'.");
    }

    /// <summary>The statuses of an issue type's workflow in a project.</summary>
    public async Task<IReadOnlyList<JiraStatus>> StatusesAsync(string project, string issueType, CancellationToken cancellationToken)
    {
        var lazy = _statuses.GetOrAdd(project, p => new Lazy<Task<IReadOnlyList<(string, JiraStatus)>>>(() => LoadStatusesAsync(p, cancellationToken)));
        var all = await Retrying(lazy, () => _statuses.TryRemove(project, out _));
        return [.. all.Where(s => string.Equals(s.IssueType, issueType, StringComparison.OrdinalIgnoreCase)).Select(s => s.Status)];
    }

    /// <summary>The create-screen fields of an issue type in a project, page by page (<c>/issue/createmeta/{project}/issuetypes/{id}</c>).</summary>
    public async Task<IReadOnlyList<JsonObject>> CreateMetaAsync(string project, string issueTypeId, CancellationToken cancellationToken)
    {
        var result = new List<JsonObject>();
        while (true)
        {
            var page = await api.GetAsync($"{api.Root}/issue/createmeta/{Uri.EscapeDataString(project)}/issuetypes/{issueTypeId}", "Reading the create metadata",
                cancellationToken, new { startAt = result.Count, maxResults = 200 });
            var items = Items(page.Body, "fields");
            result.AddRange(items);
            if (items.Count == 0 || IsLast(page.Body, result.Count))
            {
                return result;
            }
        }
    }

    /// <summary>A failed load is not cached: the next caller tries again.</summary>
    private static async Task<T> Retrying<T>(Lazy<Task<T>> lazy, Action forget)
    {
        try
        {
            return await lazy.Value;
        }
        catch
        {
            forget();
            throw;
        }
    }

    private async Task<IReadOnlyDictionary<string, JiraField>> LoadFieldsAsync(CancellationToken cancellationToken)
    {
        var response = await api.GetAsync($"{api.Root}/field", "Reading the field list", cancellationToken);
        var fields = new Dictionary<string, JiraField>(StringComparer.Ordinal);
        foreach (var f in (response.Body as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)f["id"] is { } id)
            {
                fields[id] = JiraField.From(id, (string?)f["name"] ?? id, f["schema"]);
            }
        }

        return fields;
    }

    private async Task<IReadOnlyList<IssueType>> LoadIssueTypesAsync(string? project, CancellationToken cancellationToken)
    {
        if (project is null)
        {
            var all = await api.GetAsync($"{api.Root}/issuetype", "Reading the issue types", cancellationToken);
            return [.. (all.Body as JsonArray ?? []).OfType<JsonObject>().Select(ToIssueType)];
        }

        var result = new List<IssueType>();
        while (true)
        {
            var page = await api.GetAsync($"{api.Root}/issue/createmeta/{Uri.EscapeDataString(project)}/issuetypes", "Reading the project's issue types", cancellationToken,
                new { startAt = result.Count, maxResults = 200 });
            var items = Items(page.Body, "issueTypes");
            result.AddRange(items.Select(ToIssueType));
            if (items.Count == 0 || IsLast(page.Body, result.Count))
            {
                return result;
            }
        }
    }

    private async Task<IReadOnlyList<(string, JiraStatus)>> LoadStatusesAsync(string project, CancellationToken cancellationToken)
    {
        var response = await api.GetAsync($"{api.Root}/project/{Uri.EscapeDataString(project)}/statuses", "Reading the project's statuses", cancellationToken);
        return [.. (response.Body as JsonArray ?? []).OfType<JsonObject>().SelectMany(type => (type["statuses"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(s => ((string?)type["name"] ?? "", new JiraStatus((string?)s["id"] ?? "", (string?)s["name"] ?? "", (string?)s["statusCategory"]?["key"] ?? "undefined"))))];
    }

    private static IssueType ToIssueType(JsonObject t) => new((string?)t["id"] ?? "", (string?)t["name"] ?? "");

    /// <summary>Cloud pages name their list (<c>fields</c>, <c>issueTypes</c>); Data Center calls it <c>values</c>.</summary>
    private static List<JsonObject> Items(JsonNode? page, string cloudKey) =>
        [.. (page?[cloudKey] as JsonArray ?? page?["values"] as JsonArray ?? []).OfType<JsonObject>()];

    private static bool IsLast(JsonNode? page, int seen) =>
        (bool?)page?["isLast"] == true || (page?["total"] is JsonValue total && seen >= (int)total);
}
