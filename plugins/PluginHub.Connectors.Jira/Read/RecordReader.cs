using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Describe;

namespace PluginHub.Connectors.Jira.Read;

/// <summary>Reads issues by id or key in one JQL per hundred, and finds issues by the correlation id PluginHub stored on them.</summary>
internal sealed class RecordReader(JiraApi api, JiraCatalog catalog, IssueSearch search)
{
    /// <summary>Where correlation ids go when the caller does not say: a hidden issue property.</summary>
    public static readonly CorrelationLocation DefaultCorrelation = new(Field: null, Property: "pluginhub.correlation");

    private const int Chunk = IssueSearch.MaxPageSize;

    public async Task<IReadOnlyList<Record>> ReadByIdsAsync(string entity, IReadOnlyList<string> ids, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var mapper = new IssueMapper(await catalog.FieldsAsync(cancellationToken));
        var searchFields = IssueMapper.SearchFields(fields).ToList();
        var records = new List<Record>();
        // Ids are numbers; keys (PROJ-1) are accepted too. JQL refuses a key that does not exist, so keys are searched apart.
        var numeric = ids.Where(i => i.Length > 0 && i.All(char.IsAsciiDigit)).Distinct(StringComparer.Ordinal).ToList();
        var keys = ids.Except(numeric, StringComparer.Ordinal).Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var chunk in numeric.Chunk(IssueSearch.MaxReconcile))
        {
            await foreach (var issue in search.AllAsync($"id in ({string.Join(", ", chunk)})", searchFields, changelog: true, cancellationToken, reconcile: chunk))
            {
                records.Add(mapper.Map(entity, issue, fields));
            }
        }

        foreach (var chunk in keys.Chunk(Chunk))
        {
            records.AddRange(await ReadKeysAsync(entity, chunk, fields, searchFields, mapper, cancellationToken));
        }

        return [.. records.DistinctBy(r => r.Ref.Id)];
    }

    public async Task<IReadOnlyDictionary<string, RecordRef>> FindByCorrelationIdsAsync(string entity, IReadOnlyList<string> correlationIds,
        IReadOnlyDictionary<string, string>? scope, CorrelationLocation? location, CancellationToken cancellationToken)
    {
        location ??= DefaultCorrelation;
        var wanted = correlationIds.Where(c => c.Length > 0).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, RecordRef>(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return found;
        }

        var project = Scope.Project(scope);
        var type = await catalog.IssueTypeAsync(entity, project, cancellationToken);
        // The field is searched when there is one: issue properties are searchable only when an app declared them for indexing.
        var field = location.Field;
        var property = location.Property;
        if (field is null && property is null)
        {
            throw new ConnectorException(FailureKind.Configuration, "The correlation location names neither a field nor an issue property.");
        }

        foreach (var chunk in wanted.Chunk(50))
        {
            var clause = field switch
            {
                null => $"issue.property[{property}].id in {Jql.List(chunk)}",
                "labels" => $"labels in {Jql.List(chunk)}",
                // Text fields only support "~" (word search) in JQL: search loosely, then keep exact matches.
                _ => "(" + string.Join(" OR ", chunk.Select(c => $"{CustomClause(field)} ~ {Jql.Quote(c)}")) + ")",
            };
            var fields = field is null ? new[] { "issuetype" } : [field, "issuetype"];
            var jql = $"{Jql.Entity(type.Name, project)} AND {clause}";
            await foreach (var issue in search.AllAsync(jql, fields, changelog: false, cancellationToken, property))
            {
                var id = (string?)issue["id"];
                if (id is null)
                {
                    continue;
                }

                foreach (var correlationId in Stored(issue, field, property).Where(wanted.Contains))
                {
                    found.TryAdd(correlationId, new RecordRef(type.Name, id) { DisplayKey = (string?)issue["key"] });
                }
            }
        }

        return found;
    }

    /// <summary>The correlation ids an issue carries where <paramref name="field"/> and <paramref name="property"/> say.</summary>
    private static IEnumerable<string> Stored(JsonObject issue, string? field, string? property)
    {
        if (field is not null)
        {
            switch (issue["fields"]?[field])
            {
                case JsonArray labels:
                    foreach (var label in labels)
                    {
                        yield return label?.ToString() ?? "";
                    }

                    break;
                case JsonValue text:
                    yield return text.ToString();
                    break;
            }
        }

        if (property is not null && (string?)issue["properties"]?[property]?["id"] is { } stored)
        {
            yield return stored;
        }
    }

    private static string CustomClause(string field) =>
        field.StartsWith("customfield_", StringComparison.Ordinal) ? $"cf[{field["customfield_".Length..]}]" : Jql.Quote(field);

    private async Task<List<Record>> ReadKeysAsync(string entity, string[] keys, IReadOnlyList<string> fields, List<string> searchFields, IssueMapper mapper, CancellationToken cancellationToken)
    {
        var records = new List<Record>();
        try
        {
            await foreach (var issue in search.AllAsync($"key in {Jql.List(keys)}", searchFields, changelog: true, cancellationToken))
            {
                records.Add(mapper.Map(entity, issue, fields));
            }

            return records;
        }
        catch (ConnectorException e) when (e.Kind == FailureKind.Internal)
        {
            // A key that does not exist fails the whole JQL (400): read these one by one instead.
            records.Clear();
        }

        foreach (var key in keys)
        {
            var response = await api.GetAsync($"{api.Root}/issue/{Uri.EscapeDataString(key)}", "Reading an issue", cancellationToken,
                new { fields = string.Join(',', searchFields), expand = "changelog" }, handled: status => status == 404);
            if (response.IsSuccess && response.Body is JsonObject issue)
            {
                records.Add(mapper.Map(entity, issue, fields));
            }
        }

        return records;
    }
}
