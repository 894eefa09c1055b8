using System.Security.Cryptography;
using PluginHub.Connectors.Abstractions;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>Files and legacy attachments: found through their links although the parent does not change, streamed both ways.</summary>
public sealed class FileTests(SalesforceSandbox sandbox, ITestOutputHelper output) : IClassFixture<SalesforceSandbox>
{
    [Fact]
    public async Task A_file_added_by_someone_else_is_found_though_the_case_did_not_change_and_downloads_byte_for_byte()
    {
        await using var connector = sandbox.Connect(output);
        var caseId = await sandbox.CreateAsync("Case", new { Subject = "with a file" });
        var before = (await connector.ReadByIdsAsync("Case", [caseId], ["Subject"], CancellationToken.None))[0];
        var bytes = RandomNumberGenerator.GetBytes(70_000);

        var versionId = await sandbox.CreateAsync("ContentVersion", new { Title = "trace", PathOnClient = "trace.log", VersionData = Convert.ToBase64String(bytes), FirstPublishLocationId = caseId }, "agent@pluginhub.test", "agent-passwordAGENTTOKEN");
        var after = (await connector.ReadByIdsAsync("Case", [caseId], ["Subject"], CancellationToken.None))[0];
        var listed = await connector.ListAttachmentsAsync("Case", [caseId], null, CancellationToken.None).ToListAsync();

        Assert.Equal(before.Version, after.Version); // adding a file does not touch the parent: polling the Case alone would miss it
        var file = Assert.Single(listed);
        Assert.Equal(versionId, file.Id);
        Assert.Equal("trace.log", file.FileName);
        Assert.Equal("text/plain", file.ContentType);
        Assert.Equal(bytes.Length, file.Size);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bytes)), file.Hash);
        Assert.Equal("agent@pluginhub.test", file.Author?.Email);
        Assert.Equal(bytes, await DownloadAsync(connector, file));
    }

    [Fact]
    public async Task Email_to_case_files_and_legacy_attachments_are_listed_under_the_case()
    {
        await using var connector = sandbox.Connect(output);
        var caseId = await sandbox.CreateAsync("Case", new { Subject = "by e-mail" });
        var emailId = await sandbox.CreateAsync("EmailMessage", new { ParentId = caseId, Subject = "help", Incoming = true, FromAddress = "customer@example.com" });
        var onEmail = RandomNumberGenerator.GetBytes(1_000);
        var legacy = RandomNumberGenerator.GetBytes(2_000);
        await sandbox.CreateAsync("ContentVersion", new { Title = "screenshot", PathOnClient = "screenshot.png", VersionData = Convert.ToBase64String(onEmail), FirstPublishLocationId = emailId });
        var attachmentId = await sandbox.CreateAsync("Attachment", new { ParentId = caseId, Name = "old.pdf", ContentType = "application/pdf", Body = Convert.ToBase64String(legacy) });
        await sandbox.ResetMetricsAsync();

        var listed = await connector.ListAttachmentsAsync("Case", [caseId], TimeProvider.System.GetUtcNow().AddMinutes(-1), CancellationToken.None).ToListAsync();

        Assert.Equal(2, listed.Count);
        Assert.All(listed, a => Assert.Equal(caseId, a.Parent.Id));
        var screenshot = Assert.Single(listed, a => a.FileName == "screenshot.png");
        Assert.Equal("image/png", screenshot.ContentType);
        Assert.Equal(onEmail, await DownloadAsync(connector, screenshot));
        var old = Assert.Single(listed, a => a.Id == attachmentId);
        Assert.Equal("application/pdf", old.ContentType);
        Assert.Equal(legacy, await DownloadAsync(connector, old));
        Assert.Empty(await connector.ListAttachmentsAsync("Case", [caseId], TimeProvider.System.GetUtcNow().AddMinutes(1), CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Files_of_many_parents_take_a_fixed_number_of_queries()
    {
        await using var connector = sandbox.Connect(output);
        var parents = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = await sandbox.CreateAsync("Case", new { Subject = $"parent {i}" });
            await sandbox.CreateAsync("ContentVersion", new { Title = $"f{i}", PathOnClient = $"f{i}.txt", VersionData = Convert.ToBase64String([(byte)i]), FirstPublishLocationId = id });
            parents.Add(id);
        }

        await connector.DescribeEntityAsync("Case", null, CancellationToken.None);
        await sandbox.ResetMetricsAsync();
        var listed = await connector.ListAttachmentsAsync("Case", parents, null, CancellationToken.None).ToListAsync();

        Assert.Equal(parents.Order(StringComparer.Ordinal), listed.Select(a => a.Parent.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, await sandbox.CallsAsync("/query")); // the cases and their e-mails, each with links (and versions) and attachments as subqueries
    }

    [Fact]
    public async Task A_missing_file_is_not_found()
    {
        await using var connector = sandbox.Connect(output);
        var missing = new AttachmentInfo { Id = SalesforceSandbox.MissingId("068"), Parent = new RecordRef("Case", SalesforceSandbox.MissingId("500")), FileName = "x", CreatedAt = TimeProvider.System.GetUtcNow() };

        var error = await Assert.ThrowsAnyAsync<ConnectorException>(() => connector.OpenReadAsync(missing, CancellationToken.None));

        Assert.Equal(FailureKind.NotFound, error.Kind);
    }

    private static async Task<byte[]> DownloadAsync(IAttachmentStore store, AttachmentInfo file)
    {
        await using var stream = await store.OpenReadAsync(file, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
