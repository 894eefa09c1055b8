using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Read;
using PluginHub.Connectors.Jira.Write;

namespace PluginHub.Connectors.Jira.Comments;

/// <summary>Comments per issue (<c>/issue/{id}/comment</c>, paged): ADF bodies on REST v3, wiki markup on v2.</summary>
internal sealed class CommentStore(JiraApi api, IssueSearch search)
{
    private const int PageSize = 100;

    public async IAsyncEnumerable<Comment> ListAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var parent in await ChangedParentsAsync(parentIds, since, cancellationToken))
        {
            var startAt = 0;
            while (true)
            {
                var response = await api.GetAsync($"{api.Root}/issue/{Uri.EscapeDataString(parent)}/comment", "Listing comments", cancellationToken,
                    new { startAt, maxResults = PageSize, orderBy = "created" }, handled: status => status == 404);
                var comments = (response.Body?["comments"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                foreach (var comment in comments.Select(c => Map(entity, parent, c)).Where(c => since is null || c.CreatedAt >= since || c.UpdatedAt >= since))
                {
                    yield return comment;
                }

                startAt += comments.Count;
                if (comments.Count == 0 || startAt >= ((int?)response.Body?["total"] ?? startAt))
                {
                    break;
                }
            }
        }
    }

    public async Task<Comment> AddAsync(RecordRef parent, NewComment comment, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["body"] = RichTextConverter.ToJira(comment.Body, api.Settings.UsesAdf) };
        if (!comment.IsPublic)
        {
            // Jira Service Management's internal note; plain Jira projects ignore the property.
            body["properties"] = new JsonArray(new JsonObject { ["key"] = "sd.public.comment", ["value"] = new JsonObject { ["internal"] = true } });
        }

        var response = await api.SendAsync(HttpMethod.Post, $"{api.Root}/issue/{Uri.EscapeDataString(parent.Id)}/comment", "Adding a comment", cancellationToken, body);
        return Map(parent.Entity, parent.Id, response.Body as JsonObject ?? throw new ConnectorException(FailureKind.Internal, "Jira answered a new comment without it."));
    }

    /// <summary>
    /// A new or edited comment bumps its issue's <c>updated</c>: with a "since", one search per fifty parents leaves out
    /// the issues that cannot have one, instead of a comment call for each.
    /// </summary>
    private async Task<IReadOnlyList<string>> ChangedParentsAsync(IReadOnlyList<string> parentIds, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var ids = parentIds.Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (since is null || ids.Count < 2 || !ids.TrueForAll(i => i.All(char.IsAsciiDigit)))
        {
            return ids;
        }

        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(IssueSearch.MaxReconcile))
        {
            var jql = $"id in ({string.Join(", ", chunk)}) AND updated >= {Jql.Millis(since.Value.ToUnixTimeMilliseconds())}";
            await foreach (var issue in search.AllAsync(jql, ["updated"], changelog: false, cancellationToken, reconcile: chunk))
            {
                changed.Add((string?)issue["id"] ?? "");
            }
        }

        return [.. ids.Where(changed.Contains)];
    }

    private static Comment Map(string entity, string parentId, JsonObject c)
    {
        var body = c["body"];
        return new Comment
        {
            Id = (string?)c["id"] ?? "",
            Parent = new RecordRef(entity, parentId),
            Author = c["author"] is JsonObject author ? FieldReader.User(author) : null,
            Body = body is JsonObject adf ? new RichTextValue(RichTextFormat.Adf, adf.ToJsonString()) : new RichTextValue(RichTextFormat.JiraWiki, body?.ToString() ?? ""),
            CreatedAt = JiraTime.Parse(c["created"]) ?? DateTimeOffset.MinValue,
            UpdatedAt = JiraTime.Parse(c["updated"]) is { } updated && updated != JiraTime.Parse(c["created"]) ? updated : null,
            IsPublic = c["visibility"] is null && (bool?)c["jsdPublic"] != false,
        };
    }
}
