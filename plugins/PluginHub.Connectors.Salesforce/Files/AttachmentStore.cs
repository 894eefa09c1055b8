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
/// its parent, so files are found from the parents themselves, and from their EmailMessages for Cases (Email-to-Case links files
/// to the e-mail). An attachment's id is the latest ContentVersion id (a new version is a new file to sync) or the Attachment id;
/// the key prefix tells which blob to open. Whether listed per parent or by time, a file has the same id and parent.
/// </summary>
internal sealed class AttachmentStore(SalesforceApi api, SchemaCache schemas)
{
    private const string VersionPrefix = "068";
    private const string AttachmentPrefix = "00P";

    /// <summary>The columns of a file version (<see cref="Version"/> reads them).</summary>
    private const string VersionColumns = "Id, Title, PathOnClient, FileExtension, ContentSize, Checksum, CreatedDate, CreatedById, CreatedBy.Email, CreatedBy.Name";

    /// <summary>The columns of a legacy attachment (<see cref="Legacy"/> reads them).</summary>
    private const string AttachmentColumns = "Id, Name, ContentType, BodyLength, CreatedDate, CreatedById, CreatedBy.Email, CreatedBy.Name";

    /// <summary>A link with the latest version of its file, read through the link's parent fields so no ContentVersion query is needed.</summary>
    private static readonly string LinkColumns = "ContentDocumentId, SystemModstamp, "
        + string.Join(", ", VersionColumns.Split(", ").Select(c => "ContentDocument.LatestPublishedVersion." + c));

    /// <summary>
    /// Files of the given parents. One query per ~450 parents reads their links (with the file's latest version) and attachments as
    /// child subqueries; for Cases a second one does the same for their EmailMessages. Child results beyond a batch are followed.
    /// </summary>
    public async IAsyncEnumerable<AttachmentInfo> ListAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var obj = await schemas.ObjectAsync(entity, cancellationToken);
        var when = since is { } s ? $" WHERE CreatedDate >= {Soql.DateTime(s)}" : string.Empty;
        var children = $"(SELECT {LinkColumns} FROM ContentDocumentLinks), (SELECT {AttachmentColumns} FROM Attachments{when} ORDER BY CreatedDate, Id)";
        var emails = $"SELECT Id, ParentId, {children} FROM EmailMessage WHERE ParentId IN ";

        // Sized by the longer query of the two, so that both fit the URI limit.
        foreach (var (_, ids) in Soql.PackIds(parentIds, list => (obj.Name == "Case" ? emails : $"SELECT Id, {children} FROM {obj.Name} WHERE Id IN ") + list))
        {
            var files = new List<AttachmentInfo>();
            await foreach (var row in api.QueryRecordsAsync($"SELECT Id, {children} FROM {obj.Name} WHERE Id IN {Soql.IdList(ids)}", all: false, cancellationToken))
            {
                await AddChildrenAsync(files, row, new RecordRef(obj.Name, Str(row, "Id")!), cancellationToken);
            }

            if (obj.Name == "Case")
            {
                // Email-to-Case: files hang on the case's e-mails (file → e-mail → case); listed under the case.
                try
                {
                    await foreach (var row in api.QueryRecordsAsync(emails + Soql.IdList(ids), all: false, cancellationToken))
                    {
                        await AddChildrenAsync(files, row, new RecordRef(obj.Name, Str(row, "ParentId")!), cancellationToken);
                    }
                }
                catch (ConnectorException e) when (e.Kind is FailureKind.NotFound or FailureKind.Configuration)
                {
                    // Orgs without Email-to-Case have no EmailMessage object: their files hang on the cases alone.
                }
            }

            foreach (var file in Distinct(files).Where(f => since is null || f.CreatedAt >= since))
            {
                yield return file;
            }
        }
    }

    /// <summary>
    /// Files attached since <paramref name="since"/> to any record of the entity, in a few queries however many records exist:
    /// legacy attachments by <c>Parent.Type</c>; new file versions (then their links, by <c>ContentDocumentId</c>); and links made
    /// since to existing files (a semi-join on the entity, the filter ContentDocumentLink allows). For Cases, files on their
    /// e-mails too, listed under the case as <see cref="ListAsync"/> lists them.
    /// </summary>
    public async IAsyncEnumerable<AttachmentInfo> ListSinceAsync(string entity, DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var obj = await schemas.ObjectAsync(entity, cancellationToken);
        var isCase = obj.Name == "Case";
        var parentTypes = isCase ? $"IN ({Soql.Quote(obj.Name)}, 'EmailMessage')" : $"= {Soql.Quote(obj.Name)}";
        var stamp = Soql.DateTime(since);

        // What hangs on the entity's records, or for Cases on e-mails (mapped to their case below): (file, record id).
        var found = new List<(AttachmentInfo File, string On)>();
        var legacy = $"SELECT ParentId, {AttachmentColumns} FROM Attachment WHERE Parent.Type {parentTypes} AND CreatedDate >= {stamp} ORDER BY CreatedDate, Id";
        await foreach (var row in api.QueryRecordsAsync(legacy, all: false, cancellationToken))
        {
            found.Add((Legacy(row, new RecordRef(obj.Name, Str(row, "ParentId")!)), Str(row, "ParentId")!));
        }

        // New versions: their files' links say where they hang (a new version of an old file has no new link).
        var versions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await foreach (var row in api.QueryRecordsAsync($"SELECT ContentDocumentId, {VersionColumns} FROM ContentVersion WHERE IsLatest = true AND CreatedDate >= {stamp}", all: false, cancellationToken))
        {
            versions[Str(row, "ContentDocumentId")!] = row;
        }

        var wanted = isCase ? new[] { obj.Name, "EmailMessage" } : [obj.Name];
        foreach (var (soql, _) in Soql.PackIds(versions.Keys, list => $"SELECT ContentDocumentId, LinkedEntityId, LinkedEntity.Type, SystemModstamp FROM ContentDocumentLink WHERE ContentDocumentId IN {list}"))
        {
            await foreach (var link in api.QueryRecordsAsync(soql, all: false, cancellationToken))
            {
                if (link.TryGetProperty("LinkedEntity", out var target) && Str(target, "Type") is { } type && wanted.Contains(type, StringComparer.Ordinal))
                {
                    var on = Str(link, "LinkedEntityId")!;
                    found.Add((Version(versions[Str(link, "ContentDocumentId")!], new RecordRef(obj.Name, on), Stamp(link)), on));
                }
            }
        }

        // Existing files shared since with records of the entity (e-mails get their files when they arrive: the versions above).
        var shared = $"SELECT LinkedEntityId, {LinkColumns} FROM ContentDocumentLink WHERE LinkedEntityId IN (SELECT Id FROM {obj.Name}) AND SystemModstamp >= {stamp}";
        await foreach (var link in api.QueryRecordsAsync(shared, all: false, cancellationToken))
        {
            if (LatestVersion(link) is { } version)
            {
                var on = Str(link, "LinkedEntityId")!;
                found.Add((Version(version, new RecordRef(obj.Name, on), Stamp(link)), on));
            }
        }

        var caseOf = isCase ? await CasesOfEmailsAsync(found.Select(f => f.On).Where(id => !id.StartsWith(CasePrefix, StringComparison.Ordinal)), cancellationToken) : [];
        var files = new List<AttachmentInfo>();
        foreach (var (file, on) in found)
        {
            if (!isCase || on.StartsWith(CasePrefix, StringComparison.Ordinal))
            {
                files.Add(file);
            }
            else if (caseOf.TryGetValue(on, out var caseId))
            {
                files.Add(file with { Parent = new RecordRef(obj.Name, caseId) });
            }
        }

        foreach (var file in Distinct(files).Where(f => f.CreatedAt >= since))
        {
            yield return file;
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

    private const string CasePrefix = "500";

    /// <summary>Adds the files of one row of a parent (or e-mail) query: its links with their latest versions, and its attachments.</summary>
    private async Task AddChildrenAsync(List<AttachmentInfo> files, JsonElement row, RecordRef parent, CancellationToken cancellationToken)
    {
        await foreach (var link in api.ChildRecordsAsync(row, "ContentDocumentLinks", cancellationToken))
        {
            if (LatestVersion(link) is { } version)
            {
                files.Add(Version(version, parent, Stamp(link)));
            }
        }

        await foreach (var attachment in api.ChildRecordsAsync(row, "Attachments", cancellationToken))
        {
            files.Add(Legacy(attachment, parent));
        }
    }

    /// <summary>E-mail id → its case, for the e-mails that belong to a case.</summary>
    private async Task<Dictionary<string, string>> CasesOfEmailsAsync(IEnumerable<string> emailIds, CancellationToken cancellationToken)
    {
        var caseOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (soql, _) in Soql.PackIds(emailIds, list => $"SELECT Id, ParentId FROM EmailMessage WHERE Id IN {list}"))
        {
            await foreach (var row in api.QueryRecordsAsync(soql, all: false, cancellationToken))
            {
                if (Str(row, "ParentId") is { } caseId)
                {
                    caseOf[Str(row, "Id")!] = caseId;
                }
            }
        }

        return caseOf;
    }

    /// <summary>One entry per file and parent (a file on a case and on its e-mail is one file of the case), oldest first.</summary>
    private static IEnumerable<AttachmentInfo> Distinct(IEnumerable<AttachmentInfo> files) =>
        files.GroupBy(f => (f.Id, f.Parent.Id))
            .Select(g => g.MinBy(f => f.CreatedAt)!)
            .OrderBy(f => f.CreatedAt)
            .ThenBy(f => f.Id, StringComparer.Ordinal);

    private static JsonElement? LatestVersion(JsonElement link) =>
        link.TryGetProperty("ContentDocument", out var doc) && doc.ValueKind == JsonValueKind.Object
        && doc.TryGetProperty("LatestPublishedVersion", out var version) && version.ValueKind == JsonValueKind.Object ? version : null;

    private static DateTimeOffset? Stamp(JsonElement link) => Str(link, "SystemModstamp") is { } s ? Soql.ParseDateTime(s) : null;

    private static AttachmentInfo Legacy(JsonElement row, RecordRef parent) => new()
    {
        Id = Str(row, "Id")!,
        Parent = parent,
        FileName = Str(row, "Name") ?? "attachment",
        ContentType = Str(row, "ContentType") ?? "application/octet-stream",
        Size = row.TryGetProperty("BodyLength", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : null,
        CreatedAt = Soql.ParseDateTime(Str(row, "CreatedDate")!),
        Author = Author(row),
    };

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
