using System.Text;
using PluginHub.Connectors.Abstractions;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>CaseComments for Cases (4,000-byte bodies, public or private), Chatter text posts for other objects.</summary>
public sealed class CommentTests(SalesforceSandbox sandbox, ITestOutputHelper output) : IClassFixture<SalesforceSandbox>
{
    [Fact]
    public async Task A_body_over_4000_bytes_is_truncated_with_a_note_that_says_so()
    {
        await using var connector = sandbox.Connect(output);
        var parent = new RecordRef("Case", await sandbox.CreateAsync("Case", new { Subject = "long comment" }));
        var body = string.Concat(Enumerable.Repeat("é€🙂", 1_000)); // 9,000 bytes of multi-byte characters

        var added = await connector.AddCommentAsync(parent, new NewComment(new RichTextValue(RichTextFormat.Plain, body), IsPublic: false), CancellationToken.None);

        var stored = added.Body.Content;
        Assert.InRange(Encoding.UTF8.GetByteCount(stored), 3_900, 4_000);
        Assert.Contains("Truncated by PluginHub", stored, StringComparison.Ordinal);
        Assert.StartsWith(stored[..100], body, StringComparison.Ordinal);
        Assert.False(added.IsPublic);
        Assert.Equal(SalesforceSandbox.Username, added.Author?.Email);
    }

    [Fact]
    public async Task Comments_of_many_cases_are_listed_in_one_query_oldest_first_per_parent()
    {
        await using var connector = sandbox.Connect(output);
        var since = TimeProvider.System.GetUtcNow().AddSeconds(-2);
        var parents = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            parents.Add(await sandbox.CreateAsync("Case", new { Subject = $"commented {i}" }));
        }

        foreach (var parent in parents)
        {
            await sandbox.CreateAsync("CaseComment", new { ParentId = parent, CommentBody = $"first on {parent}", IsPublished = true });
            await sandbox.CreateAsync("CaseComment", new { ParentId = parent, CommentBody = $"second on {parent}" });
        }

        await connector.DescribeEntityAsync("Case", null, CancellationToken.None);
        await sandbox.ResetMetricsAsync();
        var listed = await connector.ListCommentsAsync("Case", parents, since, CancellationToken.None).ToListAsync();

        Assert.Equal(6, listed.Count);
        Assert.Equal(1, await sandbox.CallsAsync("/query"));
        foreach (var parent in parents)
        {
            var mine = listed.Where(c => c.Parent.Id == parent).ToList();
            Assert.Equal([$"first on {parent}", $"second on {parent}"], mine.Select(c => c.Body.Content));
            Assert.Equal([true, false], mine.Select(c => c.IsPublic));
        }

        Assert.Empty(await connector.ListCommentsAsync("Case", parents, TimeProvider.System.GetUtcNow().AddMinutes(1), CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Other_objects_get_chatter_text_posts()
    {
        await using var connector = sandbox.Connect(output);
        var account = new RecordRef("Account", await sandbox.CreateAsync("Account", new { Name = "Acme" }));

        var added = await connector.AddCommentAsync(account, new NewComment(new RichTextValue(RichTextFormat.Html, "<p>Hello <b>team</b></p>")), CancellationToken.None);
        var listed = await connector.ListCommentsAsync("Account", [account.Id], null, CancellationToken.None).ToListAsync();

        Assert.StartsWith("0D5", added.Id, StringComparison.Ordinal);
        var comment = Assert.Single(listed);
        Assert.Equal(added.Id, comment.Id);
        Assert.Equal(RichTextFormat.Html, comment.Body.Format);
        Assert.Contains("team", comment.Body.Content, StringComparison.Ordinal);
    }
}
