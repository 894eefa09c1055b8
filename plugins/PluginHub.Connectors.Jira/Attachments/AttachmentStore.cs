using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Comments;
using PluginHub.Connectors.Jira.Describe;
using PluginHub.Connectors.Jira.Read;

namespace PluginHub.Connectors.Jira.Attachments;

/// <summary>
/// Files of issues: listed from the issues' <c>attachment</c> field (always complete, unlike the embedded comments) in one
/// search per many issues (reconciled on Cloud so that files just attached are seen), streamed down, uploaded as multipart.
/// </summary>
internal sealed class AttachmentStore(JiraApi api, IssueSearch search, JiraCatalog catalog)
{
    private Lazy<Task<long?>>? _uploadLimit;

    public async IAsyncEnumerable<AttachmentInfo> ListAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ids = parentIds.Where(p => p.Length > 0 && p.All(char.IsAsciiDigit)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in ids.Chunk(CommentStore.IdChunk(api)))
        {
            // Attaching a file bumps the issue's "updated".
            var jql = Jql.Since($"id in ({string.Join(", ", chunk)})", since);
            await foreach (var file in FromSearchAsync(entity, jql, since, cancellationToken, chunk))
            {
                yield return file;
            }
        }
    }

    /// <summary>The activity feed: files attached since an instant to any issue of the type (and project), from one paged search.</summary>
    public async IAsyncEnumerable<AttachmentInfo> ListSinceAsync(string entity, IReadOnlyDictionary<string, string>? scope, DateTimeOffset since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var project = Scope.Project(scope);
        var type = await catalog.IssueTypeAsync(entity, project, cancellationToken);
        await foreach (var file in FromSearchAsync(type.Name, Jql.Feed(type.Name, project, since), since, cancellationToken))
        {
            yield return file;
        }
    }

    private async IAsyncEnumerable<AttachmentInfo> FromSearchAsync(string entity, string jql, DateTimeOffset? since,
        [EnumeratorCancellation] CancellationToken cancellationToken, IReadOnlyCollection<string>? reconcile = null)
    {
        await foreach (var issue in search.AllAsync(jql, ["attachment"], changelog: false, cancellationToken, reconcile: reconcile))
        {
            var parent = new RecordRef(entity, (string?)issue["id"] ?? "") { DisplayKey = (string?)issue["key"] };
            foreach (var file in (issue["fields"]?["attachment"] as JsonArray ?? []).OfType<JsonObject>().Select(a => Map(parent, a)))
            {
                if (since is null || file.CreatedAt >= since)
                {
                    yield return file;
                }
            }
        }
    }

    /// <summary>Cloud serves the bytes at <c>/attachment/content/{id}</c> (<c>redirect=false</c> saves the hop to the media
    /// service); Server at <c>/secure/attachment/{id}/{file name}</c>.</summary>
    public Task<Stream> OpenReadAsync(AttachmentInfo attachment, CancellationToken cancellationToken) => api.Settings.IsCloud
        ? api.OpenStreamAsync($"{api.Root}/attachment/content/{Uri.EscapeDataString(attachment.Id)}", new { redirect = "false" }, "Downloading an attachment", cancellationToken)
        : api.OpenStreamAsync($"secure/attachment/{Uri.EscapeDataString(attachment.Id)}/{Uri.EscapeDataString(attachment.FileName)}", null, "Downloading an attachment", cancellationToken);

    public async Task<AttachmentInfo> UploadAsync(RecordRef parent, string fileName, string contentType, Stream content, CancellationToken cancellationToken)
    {
        // The limit is the site's (10 MB by default on Data Center): a file over it is refused before its bytes travel.
        if (content.CanSeek && await UploadLimitAsync(cancellationToken) is { } limit && content.Length - content.Position > limit)
        {
            throw new ConnectorException(FailureKind.Internal, $"The file is {content.Length - content.Position} bytes; this Jira accepts attachments of at most {limit} bytes.");
        }

        var response = await api.UploadAsync($"{api.Root}/issue/{Uri.EscapeDataString(parent.Id)}/attachments", fileName, contentType, content, "Uploading an attachment", cancellationToken);
        var uploaded = (response.Body as JsonArray)?.OfType<JsonObject>().FirstOrDefault()
            ?? throw new ConnectorException(FailureKind.Internal, "Jira answered the upload without the attachment.");
        return Map(parent, uploaded);
    }

    private async Task<long?> UploadLimitAsync(CancellationToken cancellationToken)
    {
        var lazy = LazyInitializer.EnsureInitialized(ref _uploadLimit, () => new Lazy<Task<long?>>(async () =>
        {
            var meta = await api.GetAsync($"{api.Root}/attachment/meta", "Reading the attachment settings", cancellationToken, handled: status => status is 403 or 404);
            return meta.IsSuccess && (bool?)meta.Body?["enabled"] != false ? (long?)meta.Body?["uploadLimit"] : null;
        }));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _uploadLimit = null;
            throw;
        }
    }

    private static AttachmentInfo Map(RecordRef parent, JsonObject a) => new()
    {
        Id = a["id"]?.ToString() ?? "",
        Parent = parent,
        FileName = (string?)a["filename"] ?? "",
        ContentType = (string?)a["mimeType"] is { Length: > 0 } type ? type : "application/octet-stream",
        Size = (long?)a["size"],
        CreatedAt = JiraTime.Parse(a["created"]) ?? DateTimeOffset.MinValue,
        Author = a["author"] is JsonObject author ? FieldReader.User(author) : null,
    };
}
