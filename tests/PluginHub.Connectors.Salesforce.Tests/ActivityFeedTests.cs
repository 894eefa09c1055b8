using PluginHub.Connectors.Abstractions;
using PluginHub.Testing;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>
/// The activity feed (contract 1.2) and the per-parent listings in bulk: call counts that do not grow with the records linked,
/// and the same ids and parents whichever way an item is found (the host links comments and files by id).
/// </summary>
public sealed class ActivityFeedTests(SalesforceSandbox sandbox, ITestOutputHelper output) : IClassFixture<SalesforceSandbox>
{
    private const string Agent = "agent@pluginhub.test";
    private const string AgentPassword = "agent-passwordAGENTTOKEN";

    [Fact]
    public async Task New_comments_of_any_case_come_in_one_query_with_the_ids_and_parents_of_the_per_parent_listing()
    {
        await using var connector = sandbox.Connect(output);
        var cases = await CreateCasesAsync(connector, 30, "commented");
        var since = TimeProvider.System.GetUtcNow().AddSeconds(-2);
        foreach (var id in cases.Take(3))
        {
            await sandbox.CreateAsync("CaseComment", new { ParentId = id, CommentBody = $"on {id}", IsPublished = true }, Agent, AgentPassword);
        }

        await sandbox.ResetMetricsAsync();
        var fed = await connector.ListCommentsSinceAsync("Case", null, since, CancellationToken.None).ToListAsync();
        Assert.Equal(1, await sandbox.CallsAsync("/query"));

        var listed = await connector.ListCommentsAsync("Case", cases, since, CancellationToken.None).ToListAsync();
        Assert.Equal(listed.Select(c => (c.Id, c.Parent.Id)).Order(), fed.Where(c => cases.Contains(c.Parent.Id)).Select(c => (c.Id, c.Parent.Id)).Order());
        Assert.Equal(3, listed.Count);
        Assert.All(fed, c => Assert.Equal("Case", c.Parent.Entity));
        Assert.Empty(await connector.ListCommentsSinceAsync("Case", null, TimeProvider.System.GetUtcNow().AddMinutes(1), CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Posts_on_other_objects_are_found_by_their_parent_type_only()
    {
        await using var connector = sandbox.Connect(output);
        var since = TimeProvider.System.GetUtcNow().AddSeconds(-2);
        var account = await sandbox.CreateAsync("Account", new { Name = "Fed Inc" });
        var contact = await sandbox.CreateAsync("Contact", new { LastName = "Elsewhere" });
        var post = await sandbox.CreateAsync("FeedItem", new { ParentId = account, Body = "on the account" }, Agent, AgentPassword);
        await sandbox.CreateAsync("FeedItem", new { ParentId = contact, Body = "on a contact" }, Agent, AgentPassword);

        var fed = await connector.ListCommentsSinceAsync("Account", null, since, CancellationToken.None).ToListAsync();

        var comment = Assert.Single(fed);
        Assert.Equal(post, comment.Id);
        Assert.Equal(new RecordRef("Account", account), comment.Parent);
    }

    [Fact]
    public async Task New_files_of_any_case_come_in_a_few_queries_with_the_ids_and_parents_of_the_per_parent_listing()
    {
        await using var connector = sandbox.Connect(output);
        var cases = await CreateCasesAsync(connector, 30, "with files");
        var oldFile = await sandbox.CreateAsync("ContentVersion", new { Title = "old", PathOnClient = "old.txt", VersionData = Convert.ToBase64String([0]), FirstPublishLocationId = cases[29] });
        var oldDocument = await DocumentOfAsync(oldFile);
        // Stamps have whole seconds: from the next whole second on, what follows is stamped at or after "since" and what came before is not.
        var now = TimeProvider.System.GetUtcNow();
        var since = now.AddTicks(TimeSpan.TicksPerSecond - (now.Ticks % TimeSpan.TicksPerSecond));
        await Poll.UntilAsync(() => Task.FromResult(TimeProvider.System.GetUtcNow() >= since), "the next whole second", TimeSpan.FromSeconds(5));

        var email = await sandbox.CreateAsync("EmailMessage", new { ParentId = cases[2], Subject = "help", Incoming = true, FromAddress = "customer@example.com" });
        var onCase = await sandbox.CreateAsync("ContentVersion", new { Title = "new", PathOnClient = "new.png", VersionData = Convert.ToBase64String([1]), FirstPublishLocationId = cases[0] }, Agent, AgentPassword);
        var legacy = await sandbox.CreateAsync("Attachment", new { ParentId = cases[1], Name = "legacy.pdf", Body = Convert.ToBase64String([2]) }, Agent, AgentPassword);
        var onEmail = await sandbox.CreateAsync("ContentVersion", new { Title = "mail", PathOnClient = "mail.txt", VersionData = Convert.ToBase64String([3]), FirstPublishLocationId = email });
        var legacyOnEmail = await sandbox.CreateAsync("Attachment", new { ParentId = email, Name = "mail.pdf", Body = Convert.ToBase64String([4]) });
        var newVersion = await sandbox.CreateAsync("ContentVersion", new { ContentDocumentId = oldDocument, PathOnClient = "old.txt", VersionData = Convert.ToBase64String([5]) });
        await sandbox.CreateAsync("ContentDocumentLink", new { ContentDocumentId = oldDocument, LinkedEntityId = cases[3], ShareType = "V" }, Agent, AgentPassword);
        await sandbox.CreateAsync("Attachment", new { ParentId = await sandbox.CreateAsync("Account", new { Name = "not a case" }), Name = "other.txt", Body = Convert.ToBase64String([6]) });

        await sandbox.ResetMetricsAsync();
        var fed = await connector.ListAttachmentsSinceAsync("Case", null, since, CancellationToken.None).ToListAsync();
        var calls = await sandbox.CallsAsync("/query");
        var listed = await connector.ListAttachmentsAsync("Case", cases, since, CancellationToken.None).ToListAsync();

        // E-mail files under their case; the old file's new version on its case, and on the case it was shared with since.
        (string, string)[] expected = [(onCase, cases[0]), (legacy, cases[1]), (onEmail, cases[2]), (legacyOnEmail, cases[2]), (newVersion, cases[29]), (newVersion, cases[3])];
        Assert.Equal(expected.Order(), fed.Select(f => (f.Id, f.Parent.Id)).Order());
        Assert.Equal(listed.Select(f => (f.Id, f.Parent.Id)).Order(), fed.Select(f => (f.Id, f.Parent.Id)).Order());
        Assert.Equal(5, calls); // attachments, new versions, their links, links made since, the e-mails' cases
        Assert.Empty(await connector.ListAttachmentsSinceAsync("Case", null, TimeProvider.System.GetUtcNow().AddMinutes(1), CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task An_idle_feed_costs_the_same_few_queries_however_many_records_exist()
    {
        await using var connector = sandbox.Connect(output);
        await connector.DescribeEntityAsync("Case", null, CancellationToken.None);
        var since = TimeProvider.System.GetUtcNow().AddMinutes(1);
        async Task<long> IdleCallsAsync()
        {
            await sandbox.ResetMetricsAsync();
            await connector.ListCommentsSinceAsync("Case", null, since, CancellationToken.None).ToListAsync();
            await connector.ListAttachmentsSinceAsync("Case", null, since, CancellationToken.None).ToListAsync();
            return (await sandbox.MetricsAsync()).Values.Sum();
        }

        var few = await IdleCallsAsync();
        await CreateCasesAsync(connector, 1_000, "idle");
        var many = await IdleCallsAsync();

        Assert.Equal(4, few); // comments; attachments, new versions, links made since
        Assert.Equal(few, many);
    }

    [Fact]
    public async Task Comments_and_files_of_1000_cases_take_3_and_6_queries()
    {
        await using var connector = sandbox.Connect(output);
        var cases = await CreateCasesAsync(connector, 1_000, "bulk");
        await sandbox.CreateAsync("CaseComment", new { ParentId = cases[999], CommentBody = "last" });
        await sandbox.CreateAsync("ContentVersion", new { Title = "f", PathOnClient = "f.txt", VersionData = Convert.ToBase64String([1]), FirstPublishLocationId = cases[998] });
        var email = await sandbox.CreateAsync("EmailMessage", new { ParentId = cases[500], Subject = "help", Incoming = true });
        await sandbox.CreateAsync("Attachment", new { ParentId = email, Name = "mail.pdf", Body = Convert.ToBase64String([2]) });

        await sandbox.ResetMetricsAsync();
        var comments = await connector.ListCommentsAsync("Case", cases, null, CancellationToken.None).ToListAsync();
        var commentQueries = await sandbox.CallsAsync("/query");
        await sandbox.ResetMetricsAsync();
        var files = await connector.ListAttachmentsAsync("Case", cases, null, CancellationToken.None).ToListAsync();
        var fileQueries = await sandbox.CallsAsync("/query");

        Assert.Equal(cases[999], Assert.Single(comments).Parent.Id);
        Assert.Equal([cases[500], cases[998]], files.Select(f => f.Parent.Id).Order());
        Assert.Equal(3, commentQueries); // was 5: 200 ids per query, now as many as fit the 16 KB URI with a margin
        Assert.Equal(6, fileQueries); // was 18 here: e-mails, links (twice with e-mails), versions, attachments (twice) per 200; now the cases and their e-mails with subqueries
    }

    [Fact]
    public async Task Files_of_a_case_with_more_children_than_a_batch_are_all_listed()
    {
        await using var connector = sandbox.Connect(output);
        var caseId = (await CreateCasesAsync(connector, 1, "crowded"))[0];
        var attachments = Enumerable.Range(0, 250).Select(i => new { attributes = new { type = "Attachment" }, ParentId = caseId, Name = $"a{i}.txt", Body = Convert.ToBase64String([(byte)i]) }).ToArray();
        for (var i = 0; i < attachments.Length; i += 200)
        {
            var (status, body) = await sandbox.RestAsync(HttpMethod.Post, "composite/sobjects", new { records = attachments.Skip(i).Take(200) });
            Assert.True(status == 200, body.ToString());
        }

        var files = await connector.ListAttachmentsAsync("Case", [caseId], null, CancellationToken.None).ToListAsync();

        Assert.Equal(250, files.Count);
        Assert.Equal(250, files.Select(f => f.Id).Distinct().Count());
    }

    private static async Task<List<string>> CreateCasesAsync(SalesforceConnector connector, int count, string subject)
    {
        var writes = Enumerable.Range(0, count).Select(i => new RecordWrite
        {
            Operation = WriteOperation.Create,
            Entity = "Case",
            Fields = new Dictionary<string, FieldValue> { ["Subject"] = new TextValue($"{subject} {i}") },
        }).ToList();
        var results = await connector.WriteAsync(writes, CancellationToken.None);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        return [.. results.Select(r => r.Record!.Id)];
    }

    private async Task<string> DocumentOfAsync(string versionId)
    {
        var (_, body) = await sandbox.RestAsync(HttpMethod.Get, $"sobjects/ContentVersion/{versionId}?fields=ContentDocumentId");
        return body.GetProperty("ContentDocumentId").GetString()!;
    }
}
