using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Describe;

namespace PluginHub.Connectors.Jira.Read;

/// <summary>
/// Reads issues by id or key (Cloud: bulk fetch, a hundred per call; Server: JQL), and finds issues by the correlation id
/// PluginHub stored on them.
/// </summary>
internal sealed class RecordReader(JiraApi api, JiraCatalog catalog, IssueSearch search)
{
    /// <summary>Where correlation ids go when the caller does not say: a hidden issue property.</summary>
    public static readonly CorrelationLocation DefaultCorrelation = new(Field: null, Property: "pluginhub.correlation");

    /// <summary>Cloud's <c>/issue/bulkfetch</c> takes up to this many ids or keys per call.</summary>
    public const int BulkFetchSize = 100;

    /// <summary>Correlation ids per JQL when they are matched by value (<c>labels in (…)</c>, an indexed property): the JQL stays
    /// a few kilobytes in a POST body, and the answer is paged as usual.</summary>
    public const int CorrelationChunk = 200;

    /// <summary>Correlation ids per JQL in a text field: each needs its own <c>~</c> clause, so the OR chains stay short.</summary>
    public const int TextCorrelationChunk = 50;

    private const int Chunk = IssueSearch.MaxPageSize;

    public async Task<IReadOnlyList<Record>> ReadByIdsAsync(string entity, IReadOnlyList<string> ids, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var mapper = new IssueMapper(await catalog.FieldsAsync(cancellationToken));
        var searchFields = IssueMapper.SearchFields(fields).ToList();
        if (api.Settings.IsCloud)
        {
            return await BulkFetchAsync(entity, ids, fields, searchFields, mapper, cancellationToken);
        }

        var records = new List<Record>();
        // Ids are numbers; keys (PROJ-1) are accepted too. JQL refuses a key that does not exist, so keys are searched apart.
        var numeric = ids.Where(i => i.Length > 0 && i.All(char.IsAsciiDigit)).Distinct(StringComparer.Ordinal).ToList();
        var keys = ids.Except(numeric, StringComparer.Ordinal).Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        // Server/Data Center: a page of ids per JQL (it has no search index lag to reconcile).
        foreach (var chunk in numeric.Chunk(Chunk))
        {
            await foreach (var issue in search.AllAsync($"id in ({string.Join(", ", chunk)})", searchFields, changelog: true, cancellationToken))
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

        foreach (var chunk in wanted.Chunk(field is null or "labels" ? CorrelationChunk : TextCorrelationChunk))
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
            await foreach (var issue in search.AllAsync(jql, fields, changelog: false, cancellationToken, property, pageSize: CorrelationChunk))
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

    /// <summary>
    /// Cloud's bulk fetch: ids and keys mixed, a hundred per call, read from the issues themselves (no search index lag, so
    /// just-written issues need no reconciling). Missing or invisible issues are simply absent; issues Jira reports in
    /// <c>issueErrors</c> (a retriable failure to load them) are read again through JQL.
    /// </summary>
    private async Task<IReadOnlyList<Record>> BulkFetchAsync(string entity, IReadOnlyList<string> ids, IReadOnlyList<string> fields, List<string> searchFields,
        IssueMapper mapper, CancellationToken cancellationToken)
    {
        var records = new List<Record>();
        var failed = new List<string>();
        foreach (var chunk in ids.Where(i => i.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Chunk(BulkFetchSize))
        {
            var body = new JsonObject
            {
                ["issueIdsOrKeys"] = new JsonArray([.. chunk.Select(i => (JsonNode)JsonValue.Create(i))]),
                ["fields"] = new JsonArray([.. searchFields.Select(f => (JsonNode)JsonValue.Create(f))]),
                ["expand"] = new JsonArray("changelog"),
            };
            var response = await api.SendAsync(HttpMethod.Post, $"{api.Root}/issue/bulkfetch", "Reading issues", cancellationToken, body);
            records.AddRange((response.Body?["issues"] as JsonArray ?? []).OfType<JsonObject>().Select(i => mapper.Map(entity, i, fields)));
            failed.AddRange((response.Body?["issueErrors"] as JsonArray ?? []).Select(e => e?["id"]?.ToString()).OfType<string>());
        }

        foreach (var chunk in failed.Where(i => i.All(char.IsAsciiDigit)).Distinct(StringComparer.Ordinal).Chunk(IssueSearch.MaxReconcile))
        {
            await foreach (var issue in search.AllAsync($"id in ({string.Join(", ", chunk)})", searchFields, changelog: true, cancellationToken, reconcile: chunk))
            {
                records.Add(mapper.Map(entity, issue, fields));
            }
        }

        return [.. records.DistinctBy(r => r.Ref.Id)];
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
