using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Jira.Api;

namespace PluginHub.Connectors.Jira.Read;

/// <summary>One page of search results and where the next starts (null on the last page).</summary>
internal sealed record SearchPage(IReadOnlyList<JsonObject> Issues, string? Next);

/// <summary>
/// JQL search in the flavour's own way: Server/Data Center's offset-paged <c>/search</c>, Cloud's token-paged
/// <c>/search/jql</c> (the old Cloud <c>/search</c> answers 410). Both by POST, so that long <c>id in (…)</c> lists fit.
/// </summary>
internal sealed class IssueSearch(JiraApi api)
{
    public const int MaxPageSize = 100;

    /// <summary>Cloud reconciles at most this many issue ids per search.</summary>
    public const int MaxReconcile = 50;

    public async Task<SearchPage> PageAsync(string jql, IEnumerable<string> fields, bool changelog, int maxResults, string? cursor, CancellationToken cancellationToken,
        string? property = null, IReadOnlyCollection<string>? reconcile = null)
    {
        var fieldList = new JsonArray([.. fields.Distinct(StringComparer.Ordinal).Select(f => (JsonNode)JsonValue.Create(f))]);
        if (api.Settings.IsCloud)
        {
            var body = new JsonObject { ["jql"] = jql, ["maxResults"] = maxResults, ["fields"] = fieldList };
            if (changelog)
            {
                body["expand"] = "changelog";
            }

            if (cursor is not null)
            {
                body["nextPageToken"] = cursor;
            }

            if (reconcile is { Count: > 0 })
            {
                // Cloud's search index lags behind writes; naming the issues makes it read them as they are now.
                body["reconcileIssues"] = new JsonArray([.. reconcile.Take(MaxReconcile).Select(id => (JsonNode)JsonValue.Create(long.Parse(id, CultureInfo.InvariantCulture)))]);
            }

            if (property is not null)
            {
                body["properties"] = new JsonArray(property);
            }

            var response = await api.SendAsync(HttpMethod.Post, $"{api.Root}/search/jql", "Searching issues", cancellationToken, body);
            var issues = Issues(response.Body);
            var next = (bool?)response.Body?["isLast"] == true ? null : (string?)response.Body?["nextPageToken"];
            return new SearchPage(issues, issues.Count == 0 || next == cursor ? null : next);
        }
        else
        {
            var startAt = cursor is null ? 0 : int.Parse(cursor, CultureInfo.InvariantCulture);
            var body = new JsonObject { ["jql"] = jql, ["startAt"] = startAt, ["maxResults"] = maxResults, ["fields"] = fieldList };
            if (changelog)
            {
                body["expand"] = new JsonArray("changelog");
            }

            if (property is not null)
            {
                body["properties"] = new JsonArray(property);
            }

            var response = await api.SendAsync(HttpMethod.Post, $"{api.Root}/search", "Searching issues", cancellationToken, body);
            var issues = Issues(response.Body);
            var seen = startAt + issues.Count;
            var total = (int?)response.Body?["total"] ?? seen;
            return new SearchPage(issues, issues.Count == 0 || seen >= total ? null : seen.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Every issue the JQL matches, page by page; <paramref name="property"/> adds one issue property to each. Jira may answer
    /// fewer than <paramref name="pageSize"/> per page (Cloud does with many fields); paging goes on until the last page.
    /// </summary>
    public async IAsyncEnumerable<JsonObject> AllAsync(string jql, IEnumerable<string> fields, bool changelog, [EnumeratorCancellation] CancellationToken cancellationToken,
        string? property = null, IReadOnlyCollection<string>? reconcile = null, int pageSize = MaxPageSize)
    {
        var fieldList = fields.ToList();
        string? cursor = null;
        do
        {
            var page = await PageAsync(jql, fieldList, changelog, pageSize, cursor, cancellationToken, property, reconcile);
            foreach (var issue in page.Issues)
            {
                yield return issue;
            }

            cursor = page.Next;
        }
        while (cursor is not null);
    }

    private static List<JsonObject> Issues(JsonNode? body) => [.. (body?["issues"] as JsonArray ?? []).OfType<JsonObject>()];
}
