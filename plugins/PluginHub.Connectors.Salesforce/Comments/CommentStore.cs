using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Api;
using PluginHub.Connectors.Salesforce.Describe;
using PluginHub.Connectors.Salesforce.Read;
using PluginHub.Connectors.Salesforce.Write;

namespace PluginHub.Connectors.Salesforce.Comments;

/// <summary>
/// Comments of records: CaseComment for Cases (plain text, at most 4,000 bytes, published or private), Chatter text posts
/// (FeedItem) for every other object. Listed with one SOQL per ~480 parents (as many ids as fit the URI limit), or for the whole
/// entity by time with one SOQL.
/// </summary>
internal sealed class CommentStore(SalesforceApi api, SchemaCache schemas)
{
    /// <summary>CaseComment.CommentBody holds at most this many bytes (UTF-8).</summary>
    public const int CaseCommentBytes = 4000;

    /// <summary>FeedItem.Body holds at most this many characters.</summary>
    public const int FeedItemChars = 10000;

    public async IAsyncEnumerable<Comment> ListAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var obj = await schemas.ObjectAsync(entity, cancellationToken);
        var isCase = obj.Name == "Case";
        var columns = await ColumnsAsync(isCase, cancellationToken);
        var when = since is { } s ? $" AND LastModifiedDate >= {Soql.DateTime(s)}" : string.Empty;
        var queries = Soql.PackIds(parentIds, list => isCase
            ? $"SELECT {columns} FROM CaseComment WHERE ParentId IN {list}{when} ORDER BY ParentId, CreatedDate, Id"
            : $"SELECT {columns} FROM FeedItem WHERE ParentId IN {list} AND Type = 'TextPost'{when} ORDER BY ParentId, CreatedDate, Id");
        foreach (var (soql, _) in queries)
        {
            await foreach (var row in api.QueryRecordsAsync(soql, all: false, cancellationToken))
            {
                yield return Map(obj.Name, row, isCase);
            }
        }
    }

    /// <summary>
    /// Comments created or edited since <paramref name="since"/> on any record of the entity, in one query: CaseComments by their own
    /// SystemModstamp (indexed), or text posts whose polymorphic parent is of the entity (<c>Parent.Type</c>, a filter SOQL allows).
    /// Each is mapped exactly as <see cref="ListAsync"/> maps it.
    /// </summary>
    public async IAsyncEnumerable<Comment> ListSinceAsync(string entity, DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var obj = await schemas.ObjectAsync(entity, cancellationToken);
        var isCase = obj.Name == "Case";
        var columns = await ColumnsAsync(isCase, cancellationToken);
        var soql = isCase
            ? $"SELECT {columns} FROM CaseComment WHERE SystemModstamp >= {Soql.DateTime(since)} ORDER BY ParentId, CreatedDate, Id"
            : $"SELECT {columns} FROM FeedItem WHERE Parent.Type = {Soql.Quote(obj.Name)} AND Type = 'TextPost' AND SystemModstamp >= {Soql.DateTime(since)} ORDER BY ParentId, CreatedDate, Id";
        await foreach (var row in api.QueryRecordsAsync(soql, all: false, cancellationToken))
        {
            // SystemModstamp also moves on system changes: keep only what was created or edited since.
            var comment = Map(obj.Name, row, isCase);
            if ((comment.UpdatedAt ?? comment.CreatedAt) >= since)
            {
                yield return comment;
            }
        }
    }

    public async Task<Comment> AddAsync(RecordRef parent, NewComment comment, CancellationToken cancellationToken)
    {
        var obj = await schemas.ObjectAsync(parent.Entity, cancellationToken);
        if (!Soql.IsId(parent.Id))
        {
            throw new ConnectorException(FailureKind.NotFound, "The parent is not a Salesforce id.");
        }

        var isCase = obj.Name == "Case";
        JsonObject body;
        if (isCase)
        {
            body = new JsonObject
            {
                ["ParentId"] = parent.Id,
                ["CommentBody"] = TruncateUtf8(ValueConverter.ToPlain(comment.Body), CaseCommentBytes),
                ["IsPublished"] = comment.IsPublic,
            };
        }
        else
        {
            var rich = comment.Body.Format != RichTextFormat.Plain;
            var text = rich ? ValueConverter.ToHtml(comment.Body) : comment.Body.Content;
            if (text.Length > FeedItemChars)
            {
                text = TruncateChars(ValueConverter.ToPlain(comment.Body), FeedItemChars);
                rich = false;
            }

            body = new JsonObject { ["ParentId"] = parent.Id, ["Type"] = "TextPost", ["Body"] = text, ["IsRichText"] = rich };
            if ((await schemas.ObjectAsync("FeedItem", cancellationToken)).Field("Visibility") is not null)
            {
                body["Visibility"] = comment.IsPublic ? "AllUsers" : "InternalUsers";
            }
        }

        var type = isCase ? "CaseComment" : "FeedItem";
        SalesforceResponse created;
        try
        {
            created = await api.SendJsonAsync(HttpMethod.Post, $"sobjects/{type}", body, $"Adding a {type}", cancellationToken);
        }
        catch (SalesforceException e) when (e.Status is 400 or 404 && e.RemoteCode is "INVALID_CROSS_REFERENCE_KEY" or "ENTITY_IS_DELETED" or "NOT_FOUND")
        {
            throw new ConnectorException(FailureKind.NotFound, $"The {obj.Name} to comment on does not exist.", e) { RemoteCode = e.RemoteCode };
        }

        // Read it back for what Salesforce assigned (author, creation time).
        var id = created.Body.GetProperty("id").GetString()!;
        await foreach (var row in api.QueryRecordsAsync($"SELECT {await ColumnsAsync(isCase, cancellationToken)} FROM {type} WHERE Id = {Soql.Quote(id)}", all: false, cancellationToken))
        {
            return Map(obj.Name, row, isCase);
        }

        throw new ConnectorException(FailureKind.Internal, $"The new {type} could not be read back.");
    }

    /// <summary>The columns read; FeedItem.Visibility only where the org has it.</summary>
    private async Task<string> ColumnsAsync(bool isCase, CancellationToken cancellationToken)
    {
        const string Common = "Id, ParentId, CreatedById, CreatedBy.Email, CreatedBy.Name, CreatedDate, LastModifiedDate";
        if (isCase)
        {
            return $"{Common}, CommentBody, IsPublished";
        }

        var feed = await schemas.ObjectAsync("FeedItem", cancellationToken);
        return feed.Field("Visibility") is null ? $"{Common}, Body, IsRichText" : $"{Common}, Body, IsRichText, Visibility";
    }

    /// <summary>Cuts <paramref name="text"/> to fit <paramref name="maxBytes"/> UTF-8 bytes, ending with a note that says so.</summary>
    public static string TruncateUtf8(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var note = $"\n\n[Truncated by PluginHub: the original comment had {Encoding.UTF8.GetByteCount(text):N0} bytes; Salesforce keeps {maxBytes:N0}.]";
        var budget = maxBytes - Encoding.UTF8.GetByteCount(note);
        var end = 0;
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget)
            {
                break;
            }

            used += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }

        return text[..end] + note;
    }

    private static string TruncateChars(string text, int max)
    {
        const string Note = "\n\n[Truncated by PluginHub.]";
        var cut = max - Note.Length;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut] + Note;
    }

    private static Comment Map(string entity, JsonElement row, bool isCase)
    {
        var author = row.TryGetProperty("CreatedBy", out var by) && by.ValueKind == JsonValueKind.Object ? by : default;
        var text = isCase ? Str(row, "CommentBody") : Str(row, "Body");
        var rich = !isCase && row.TryGetProperty("IsRichText", out var r) && r.ValueKind == JsonValueKind.True;
        var created = Soql.ParseDateTime(Str(row, "CreatedDate")!);
        var modified = Str(row, "LastModifiedDate") is { } m ? Soql.ParseDateTime(m) : created;
        return new Comment
        {
            Id = Str(row, "Id")!,
            Parent = new RecordRef(entity, Str(row, "ParentId")!),
            Author = Str(row, "CreatedById") is { } authorId ? new UserRef(authorId, Str(author, "Email"), Str(author, "Name")) : null,
            Body = new RichTextValue(rich ? RichTextFormat.Html : RichTextFormat.Plain, text ?? string.Empty),
            CreatedAt = created,
            UpdatedAt = modified > created ? modified : null,
            IsPublic = isCase ? row.TryGetProperty("IsPublished", out var p) && p.ValueKind == JsonValueKind.True : Str(row, "Visibility") != "InternalUsers",
        };
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
