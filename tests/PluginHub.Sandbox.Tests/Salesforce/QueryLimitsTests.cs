using System.Net;

namespace PluginHub.Sandbox.Tests.Salesforce;

/// <summary>
/// Limits of real Salesforce that decide how many calls a client needs: the 16,384-byte URI of GET /query, child records
/// counting toward a page's batch size, and what a query across many parents may filter on (polymorphic <c>Type</c>,
/// ContentDocumentLink's restrictions).
/// </summary>
public sealed class QueryLimitsTests : SalesforceTestBase
{
    [Fact]
    public async Task A_uri_up_to_16384_bytes_is_served_a_longer_one_gets_414_and_with_headers_over_the_limit_431()
    {
        var caseId = await CreateAsync("Case", new { Subject = "near the limit" });
        string PathOf(int targetBytes)
        {
            var head = $"{Data}/query?q={Uri.EscapeDataString($"SELECT Id FROM Case WHERE Id = '{caseId}' OR Subject IN (")}";
            var tail = Uri.EscapeDataString(")");
            var filler = new string('x', targetBytes - head.Length - tail.Length - 6);
            return $"{head}%27{filler}%27{tail}";
        }

        var fits = PathOf(15_000);
        Assert.Equal(15_000, fits.Length);
        var (ok, body, _) = await GetAsync(fits);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(1, body.GetProperty("totalSize").GetInt32());

        using var tooLong = await Http.GetAsync(U(PathOf(16_385)));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, tooLong.StatusCode);
        Assert.StartsWith("text/html", tooLong.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, U(PathOf(16_000)));
        request.Headers.Add("X-Padding", new string('p', 1_000));
        using var withHeaders = await Http.SendAsync(request);
        Assert.Equal((HttpStatusCode)431, withHeaders.StatusCode);
    }

    [Fact]
    public async Task Child_records_count_toward_the_batch_size_so_a_page_holds_fewer_parents()
    {
        var cases = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            cases.Add(await CreateAsync("Case", new { Subject = $"parent {i}" }));
        }

        var comments = cases.Take(2).SelectMany(id => Enumerable.Range(0, 150).Select(i => new { attributes = new { type = "CaseComment" }, ParentId = id, CommentBody = $"c{i}" })).ToArray();
        for (var i = 0; i < comments.Length; i += 200)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync("composite/sobjects", new { records = comments.Skip(i).Take(200) })).Status);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, U($"{Data}/query?q={Uri.EscapeDataString("SELECT Id, (SELECT Id FROM CaseComments) FROM Case ORDER BY Subject")}"));
        request.Headers.Add("Sforce-Query-Options", "batchSize=200");
        using var first = await Http.SendAsync(request);
        var page = System.Text.Json.JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;

        // 1 + 150 rows for the first parent; the second (1 + 150) would pass 200: it starts the next page.
        Assert.Equal(4, page.GetProperty("totalSize").GetInt32());
        Assert.Equal(1, page.GetProperty("records").GetArrayLength());
        Assert.False(page.GetProperty("done").GetBoolean());
        var second = (await GetAsync(page.GetProperty("nextRecordsUrl").GetString()!)).Body;
        Assert.Equal(3, second.GetProperty("records").GetArrayLength()); // 151 + 1 + 1
        Assert.True(second.GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task Attachments_and_feed_posts_filter_on_the_polymorphic_parent_type()
    {
        var caseId = await CreateAsync("Case", new { Subject = "typed" });
        var accountId = await CreateAsync("Account", new { Name = "Acme" });
        await CreateAsync("Attachment", new { ParentId = caseId, Name = "a.txt", Body = Convert.ToBase64String([1]) });
        await CreateAsync("Attachment", new { ParentId = accountId, Name = "b.txt", Body = Convert.ToBase64String([2]) });
        await CreateAsync("FeedItem", new { ParentId = accountId, Body = "hello" });
        await CreateAsync("FeedItem", new { ParentId = caseId, Body = "on the case" });

        var onCases = await QueryAsync("SELECT Name FROM Attachment WHERE Parent.Type IN ('Case', 'EmailMessage')");
        var onAccounts = await QueryAsync("SELECT Body FROM FeedItem WHERE Parent.Type = 'Account' AND Type = 'TextPost'");

        Assert.Equal("a.txt", Assert.Single(onCases.GetProperty("records").EnumerateArray()).GetProperty("Name").GetString());
        Assert.Equal("hello", Assert.Single(onAccounts.GetProperty("records").EnumerateArray()).GetProperty("Body").GetString());
    }

    [Fact]
    public async Task Content_document_links_select_the_linked_record_type_and_allow_a_semi_join_but_not_a_filter_on_the_linked_record()
    {
        var caseId = await CreateAsync("Case", new { Subject = "with a file" });
        var versionId = await CreateAsync("ContentVersion", new { Title = "f", PathOnClient = "f.txt", VersionData = Convert.ToBase64String([1]), FirstPublishLocationId = caseId });
        var documentId = (await QueryAsync($"SELECT ContentDocumentId FROM ContentVersion WHERE Id = '{versionId}'")).GetProperty("records")[0].GetProperty("ContentDocumentId").GetString();

        var links = await QueryAsync($"SELECT LinkedEntityId, LinkedEntity.Type FROM ContentDocumentLink WHERE ContentDocumentId = '{documentId}'");
        var semiJoin = await QueryAsync("SELECT LinkedEntityId, ContentDocument.LatestPublishedVersion.PathOnClient FROM ContentDocumentLink WHERE LinkedEntityId IN (SELECT Id FROM Case) AND SystemModstamp >= 2020-01-01T00:00:00Z");
        var (status, error, _) = await GetAsync($"query?q={Uri.EscapeDataString($"SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId = '{documentId}' AND LinkedEntity.Type = 'Case'")}");

        Assert.Equal(["Case", "User"], links.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("LinkedEntity").GetProperty("Type").GetString()).Order());
        var shared = Assert.Single(semiJoin.GetProperty("records").EnumerateArray());
        Assert.Equal(caseId, shared.GetProperty("LinkedEntityId").GetString());
        Assert.Equal("f.txt", shared.GetProperty("ContentDocument").GetProperty("LatestPublishedVersion").GetProperty("PathOnClient").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        SingleError(error, "MALFORMED_QUERY");
    }
}
