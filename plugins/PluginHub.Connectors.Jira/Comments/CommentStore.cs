using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Describe;
using PluginHub.Connectors.Jira.Read;
using PluginHub.Connectors.Jira.Write;

namespace PluginHub.Connectors.Jira.Comments;

/// <summary>
/// Comments of issues: ADF bodies on REST v3, wiki markup on v2. Listed from the <c>comment</c> field of search results (one
/// search for many issues); an issue whose embedded page is incomplete (Cloud truncates it, reference §3.1) is listed through
/// its own paged <c>/issue/{id}/comment</c>.
/// </summary>
internal sealed class CommentStore(JiraApi api, IssueSearch search, JiraCatalog catalog)
{
    private const int PageSize = 100;

    /// <summary>The comments of the given issues. A new or edited comment bumps its issue's <c>updated</c>, so with a "since"
    /// the search leaves out the issues that cannot have one.</summary>
    public async IAsyncEnumerable<Comment> ListAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ids = parentIds.Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var numeric = ids.Where(i => i.All(char.IsAsciiDigit)).ToList();
        foreach (var chunk in numeric.Chunk(IdChunk(api)))
        {
            var jql = Jql.Since($"id in ({string.Join(", ", chunk)})", since);
            await foreach (var comment in FromSearchAsync(entity, jql, since, keepKey: false, cancellationToken, chunk))
            {
                yield return comment;
            }
        }

        // Keys cannot go into "id in (…)" (JQL refuses a key that does not exist): these are listed one by one.
        foreach (var key in ids.Except(numeric, StringComparer.Ordinal))
        {
            await foreach (var comment in ListOneAsync(new RecordRef(entity, key), since, cancellationToken))
            {
                yield return comment;
            }
        }
    }

    /// <summary>
    /// The activity feed: comments created or edited since an instant on any issue of the type (and project), from one paged
    /// search for the issues updated since then.
    /// </summary>
    public async IAsyncEnumerable<Comment> ListSinceAsync(string entity, IReadOnlyDictionary<string, string>? scope, DateTimeOffset since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var project = Scope.Project(scope);
        var type = await catalog.IssueTypeAsync(entity, project, cancellationToken);
        await foreach (var comment in FromSearchAsync(type.Name, Jql.Feed(type.Name, project, since), since, keepKey: true, cancellationToken))
        {
            yield return comment;
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
        return Map(new RecordRef(parent.Entity, parent.Id), response.Body as JsonObject ?? throw new ConnectorException(FailureKind.Internal, "Jira answered a new comment without it."));
    }

    /// <summary>
    /// Issue ids per search: Cloud reconciles at most 50 ids per search (so that a comment added a moment ago is seen despite
    /// the index lag); Server has no such lag and takes a full page.
    /// </summary>
    internal static int IdChunk(JiraApi api) => api.Settings.IsCloud ? IssueSearch.MaxReconcile : IssueSearch.MaxPageSize;

    /// <summary>The comments embedded in the search results, or the issue's own listing when its embedded page is incomplete.</summary>
    private async IAsyncEnumerable<Comment> FromSearchAsync(string entity, string jql, DateTimeOffset? since, bool keepKey,
        [EnumeratorCancellation] CancellationToken cancellationToken, IReadOnlyCollection<string>? reconcile = null)
    {
        await foreach (var issue in search.AllAsync(jql, ["comment"], changelog: false, cancellationToken, reconcile: reconcile))
        {
            if ((string?)issue["id"] is not { } id)
            {
                continue;
            }

            var parent = new RecordRef(entity, id) { DisplayKey = keepKey ? (string?)issue["key"] : null };
            var page = issue["fields"]?["comment"] as JsonObject;
            var embedded = (page?["comments"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var complete = page is not null && ((int?)page["startAt"] ?? 0) == 0 && embedded.Count >= ((int?)page["total"] ?? embedded.Count);
            if (complete)
            {
                foreach (var comment in embedded.Select(c => Map(parent, c)).Where(c => IsSince(c, since)))
                {
                    yield return comment;
                }

                continue;
            }

            await foreach (var comment in ListOneAsync(parent, since, cancellationToken))
            {
                yield return comment;
            }
        }
    }

    /// <summary>One issue's comments, page by page (a missing issue has none).</summary>
    private async IAsyncEnumerable<Comment> ListOneAsync(RecordRef parent, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var startAt = 0;
        while (true)
        {
            var response = await api.GetAsync($"{api.Root}/issue/{Uri.EscapeDataString(parent.Id)}/comment", "Listing comments", cancellationToken,
                new { startAt, maxResults = PageSize, orderBy = "created" }, handled: status => status == 404);
            var comments = (response.Body?["comments"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            foreach (var comment in comments.Select(c => Map(parent, c)).Where(c => IsSince(c, since)))
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

    private static bool IsSince(Comment c, DateTimeOffset? since) => since is null || c.CreatedAt >= since || c.UpdatedAt >= since;

    private static Comment Map(RecordRef parent, JsonObject c)
    {
        var body = c["body"];
        return new Comment
        {
            Id = (string?)c["id"] ?? "",
            Parent = parent,
            Author = c["author"] is JsonObject author ? FieldReader.User(author) : null,
            Body = body is JsonObject adf ? new RichTextValue(RichTextFormat.Adf, adf.ToJsonString()) : new RichTextValue(RichTextFormat.JiraWiki, body?.ToString() ?? ""),
            CreatedAt = JiraTime.Parse(c["created"]) ?? DateTimeOffset.MinValue,
            UpdatedAt = JiraTime.Parse(c["updated"]) is { } updated && updated != JiraTime.Parse(c["created"]) ? updated : null,
            IsPublic = c["visibility"] is null && (bool?)c["jsdPublic"] != false,
        };
    }
}
