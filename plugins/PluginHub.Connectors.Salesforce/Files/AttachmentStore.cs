using System.Runtime.CompilerServices;
using System.Text.Json;
using Flurl.Http;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Api;
using PluginHub.Connectors.Salesforce.Describe;
using PluginHub.Connectors.Salesforce.Read;

namespace PluginHub.Connectors.Salesforce.Files;

/// <summary>
/// Files (ContentVersion, found through ContentDocumentLink) and legacy Attachments of records. Attaching a file does not change
/// its parent, so files are found by querying the links of the parents themselves, and of their EmailMessages for Cases
/// (Email-to-Case links files to the e-mail). An attachment's id is the ContentVersion id (a new version is a new file to sync)
/// or the Attachment id; the key prefix tells which blob to open.
/// </summary>
internal sealed class AttachmentStore(SalesforceApi api, SchemaCache schemas)
{
    private const string VersionPrefix = "068";
    private const string AttachmentPrefix = "00P";

    public async IAsyncEnumerable<AttachmentInfo> ListAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var obj = await schemas.ObjectAsync(entity, cancellationToken);
        foreach (var chunk in Soql.Chunks(parentIds.Where(Soql.IsId)))
        {
            // Where files may hang: the parents, and for Cases their e-mails (file → e-mail → case).
            var ownerOf = chunk.ToDictionary(id => id, id => id, StringComparer.Ordinal);
            if (obj.Name == "Case")
            {
                try
                {
                    await foreach (var email in api.QueryRecordsAsync($"SELECT Id, ParentId FROM EmailMessage WHERE ParentId IN {Soql.InList(chunk)}", all: false, cancellationToken))
                    {
                        ownerOf[email.GetProperty("Id").GetString()!] = email.GetProperty("ParentId").GetString()!;
                    }
                }
                catch (ConnectorException e) when (e.Kind is FailureKind.NotFound or FailureKind.Configuration)
                {
                    // Orgs without Email-to-Case have no EmailMessage object: their files hang on the cases alone.
                }
            }

            foreach (var file in await FilesAsync(obj.Name, ownerOf, since, cancellationToken))
            {
                yield return file;
            }

            foreach (var part in Soql.Chunks(ownerOf.Keys))
            {
                var when = since is { } s ? $" AND CreatedDate >= {Soql.DateTime(s)}" : string.Empty;
                var soql = $"SELECT Id, ParentId, Name, ContentType, BodyLength, CreatedDate, CreatedById, CreatedBy.Email, CreatedBy.Name FROM Attachment WHERE ParentId IN {Soql.InList(part)}{when} ORDER BY CreatedDate, Id";
                await foreach (var row in api.QueryRecordsAsync(soql, all: false, cancellationToken))
                {
                    yield return new AttachmentInfo
                    {
                        Id = Str(row, "Id")!,
                        Parent = new RecordRef(obj.Name, ownerOf[Str(row, "ParentId")!]),
                        FileName = Str(row, "Name") ?? "attachment",
                        ContentType = Str(row, "ContentType") ?? "application/octet-stream",
                        Size = row.TryGetProperty("BodyLength", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : null,
                        CreatedAt = Soql.ParseDateTime(Str(row, "CreatedDate")!),
                        Author = Author(row),
                    };
                }
            }
        }
    }

    public Task<Stream> OpenReadAsync(AttachmentInfo attachment, CancellationToken cancellationToken)
    {
        var path = attachment.Id.StartsWith(VersionPrefix, StringComparison.Ordinal) ? $"sobjects/ContentVersion/{attachment.Id}/VersionData"
            : attachment.Id.StartsWith(AttachmentPrefix, StringComparison.Ordinal) ? $"sobjects/Attachment/{attachment.Id}/Body"
            : throw new ConnectorException(FailureKind.NotFound, "Not a Salesforce file or attachment id.");
        return api.OpenStreamAsync(path, "Downloading a file", cancellationToken);
    }

    /// <summary>
    /// Uploads a new File (ContentVersion with FirstPublishLocationId, so Salesforce links it to the parent) as multipart, streaming
    /// the bytes. A session that expires during the upload is renewed and the upload repeated only when the stream can seek back.
    /// </summary>
    public async Task<AttachmentInfo> UploadAsync(RecordRef parent, string fileName, string contentType, Stream content, CancellationToken cancellationToken)
    {
        var obj = await schemas.ObjectAsync(parent.Entity, cancellationToken);
        if (!Soql.IsId(parent.Id))
        {
            throw new ConnectorException(FailureKind.NotFound, "The parent is not a Salesforce id.");
        }

        var start = content.CanSeek ? content.Position : -1;
        var sent = false;
        var entity = new { Title = Path.GetFileNameWithoutExtension(fileName), PathOnClient = fileName, FirstPublishLocationId = parent.Id };
        using var response = await api.SendAsync("sobjects/ContentVersion", "Uploading a file", async (request, ct) =>
        {
            if (sent)
            {
                if (start < 0)
                {
                    throw new ConnectorException(FailureKind.Transient, "The Salesforce session expired during an upload that cannot be repeated; it is retried later.");
                }

                content.Position = start;
            }

            sent = true;
            return await request.PostMultipartAsync(
                mp =>
                {
                    mp.AddJson("entity_content", entity);
                    mp.AddFile("VersionData", content, fileName, contentType);
                },
                cancellationToken: ct);
        }, cancellationToken, upload: true);

        using var answer = JsonDocument.Parse(await response.GetStringAsync());
        var id = answer.RootElement.GetProperty("id").GetString()!;
        var soql = $"SELECT Id, ContentDocumentId, Title, PathOnClient, FileExtension, ContentSize, Checksum, CreatedDate, CreatedById, CreatedBy.Email, CreatedBy.Name FROM ContentVersion WHERE Id = {Soql.Quote(id)}";
        await foreach (var row in api.QueryRecordsAsync(soql, all: false, cancellationToken))
        {
            return Version(row, new RecordRef(obj.Name, parent.Id), null);
        }

        throw new ConnectorException(FailureKind.Internal, "The uploaded file could not be read back.");
    }

    /// <summary>The latest version of every file linked to the given records, one per file and parent.</summary>
    private async Task<List<AttachmentInfo>> FilesAsync(string entity, Dictionary<string, string> ownerOf, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var links = new List<(string Document, string Parent, DateTimeOffset Linked)>();
        foreach (var part in Soql.Chunks(ownerOf.Keys))
        {
            var soql = $"SELECT ContentDocumentId, LinkedEntityId, SystemModstamp FROM ContentDocumentLink WHERE LinkedEntityId IN {Soql.InList(part)}";
            await foreach (var row in api.QueryRecordsAsync(soql, all: false, cancellationToken))
            {
                links.Add((Str(row, "ContentDocumentId")!, ownerOf[Str(row, "LinkedEntityId")!], Soql.ParseDateTime(Str(row, "SystemModstamp")!)));
            }
        }

        var files = new List<AttachmentInfo>();
        var byDocument = links.GroupBy(l => l.Document).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var part in Soql.Chunks(byDocument.Keys))
        {
            var soql = $"SELECT Id, ContentDocumentId, Title, PathOnClient, FileExtension, ContentSize, Checksum, CreatedDate, CreatedById, CreatedBy.Email, CreatedBy.Name FROM ContentVersion WHERE ContentDocumentId IN {Soql.InList(part)} AND IsLatest = true";
            await foreach (var row in api.QueryRecordsAsync(soql, all: false, cancellationToken))
            {
                foreach (var link in byDocument[Str(row, "ContentDocumentId")!].DistinctBy(l => l.Parent))
                {
                    var info = Version(row, new RecordRef(entity, link.Parent), link.Linked);
                    if (since is null || info.CreatedAt >= since)
                    {
                        files.Add(info);
                    }
                }
            }
        }

        return [.. files.OrderBy(f => f.CreatedAt).ThenBy(f => f.Id, StringComparer.Ordinal)];
    }

    /// <summary>A file version as attached to <paramref name="parent"/>: attached when the version was made or, if later, when linked.</summary>
    private static AttachmentInfo Version(JsonElement row, RecordRef parent, DateTimeOffset? linked)
    {
        var created = Soql.ParseDateTime(Str(row, "CreatedDate")!);
        var extension = Str(row, "FileExtension");
        var name = Path.GetFileName(Str(row, "PathOnClient") ?? string.Empty);
        if (name.Length == 0)
        {
            name = (Str(row, "Title") ?? "file") + (extension is null ? string.Empty : "." + extension);
        }

        return new AttachmentInfo
        {
            Id = Str(row, "Id")!,
            Parent = parent,
            FileName = name,
            ContentType = MimeTypes.Of(extension ?? Path.GetExtension(name)),
            Size = row.TryGetProperty("ContentSize", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : null,
            CreatedAt = linked is { } l && l > created ? l : created,
            Hash = Str(row, "Checksum"),
            Author = Author(row),
        };
    }

    private static UserRef? Author(JsonElement row)
    {
        var by = row.TryGetProperty("CreatedBy", out var b) && b.ValueKind == JsonValueKind.Object ? b : default;
        return Str(row, "CreatedById") is { } id ? new UserRef(id, Str(by, "Email"), Str(by, "Name")) : null;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
