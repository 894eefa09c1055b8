using System.Diagnostics;
using System.Net;
using System.Text.Json;
using PluginHub.Sandbox.Salesforce;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Tests.Salesforce;

/// <summary>Reference §4 and §10.4: the SOQL subset, errors with carets, paging with locators, the incremental-sync index.</summary>
public sealed class SoqlTests : SalesforceTestBase
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    protected override SalesforceSandboxOptions SandboxOptions => new() { Time = _clock };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AdminAsync("sessions", new { lifetimeSeconds = 365 * 86400 }); // the tests move the clock by days
    }

    private async Task<string[]> SubjectsAsync(string where, string order = "Subject")
    {
        var rows = await QueryAsync($"SELECT Subject FROM Case WHERE {where} ORDER BY {order}");
        return rows.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Subject").GetString() ?? "(null)").ToArray();
    }

    private async Task SeedCasesAsync()
    {
        await CreateAsync("Case", new { Subject = "alpha", Priority = "High", Origin = "Web", Description = "printer" });
        _clock.Advance(TimeSpan.FromDays(2));
        await CreateAsync("Case", new { Subject = "Beta", Priority = "Low", Origin = "Phone" });
        _clock.Advance(TimeSpan.FromDays(2));
        await CreateAsync("Case", new { Subject = "gamma", Priority = "High" });
        await CreateAsync("Case", new { Priority = "Medium", Origin = "Email" });
    }

    [Fact]
    public async Task Where_supports_comparisons_boolean_logic_parentheses_in_like_and_null_checks()
    {
        await SeedCasesAsync();
        Assert.Equal(["alpha", "gamma"], await SubjectsAsync("Priority = 'high'"));
        Assert.Equal(["Beta", "gamma"], await SubjectsAsync("Subject != 'alpha' AND Subject != null"));
        Assert.Equal(["(null)", "Beta"], await SubjectsAsync("Priority = 'Low' OR Origin = 'Email'", "Subject NULLS FIRST"));
        Assert.Equal(["alpha", "Beta"], await SubjectsAsync("(Priority = 'High' AND Origin = 'Web') OR (Priority = 'Low' AND Origin = 'Phone')"));
        Assert.Equal(["Beta", "gamma"], await SubjectsAsync("NOT Subject = 'alpha' AND Subject <> null"));
        Assert.Equal(["alpha", "gamma"], await SubjectsAsync("Subject IN ('ALPHA', 'gamma')"));
        Assert.Equal(["Beta"], await SubjectsAsync("Subject NOT IN ('alpha', 'gamma') AND Subject != null"));
        Assert.Equal(["alpha", "gamma"], await SubjectsAsync("(Subject LIKE '%MMA' OR Subject LIKE 'al_h%') AND Subject LIKE '%a'"));
        Assert.Equal(["(null)"], await SubjectsAsync("Subject = null"));
        Assert.Equal(["(null)"], await SubjectsAsync("Subject = ''"));
        Assert.Equal(["Beta", "gamma"], await SubjectsAsync("Subject > 'alpha'"));
        Assert.Equal(["alpha", "Beta"], await SubjectsAsync("Subject <= 'beta'"));
        Assert.Equal(["alpha"], await SubjectsAsync("IsClosed = false AND IsEscalated = false AND Origin = 'Web'"));
    }

    [Fact]
    public async Task Datetime_date_and_relative_literals_filter_by_time()
    {
        await SeedCasesAsync(); // created on Nov 26, Nov 28 and Nov 30 (twice)
        Assert.Equal(["(null)", "gamma"], await SubjectsAsync("CreatedDate = TODAY", "Subject NULLS FIRST"));
        Assert.Equal(["alpha"], await SubjectsAsync("CreatedDate < 2026-11-27T00:00:00Z"));
        Assert.Equal(["Beta"], await SubjectsAsync("CreatedDate > 2026-11-27T00:00:00.000+01:00 AND CreatedDate < 2026-11-29T12:00:00Z"));
        Assert.Equal(["Beta", "gamma"], await SubjectsAsync("CreatedDate = LAST_N_DAYS:3 AND Subject != null"));
        Assert.Equal(["alpha"], await SubjectsAsync("CreatedDate < LAST_N_DAYS:3"));
        Assert.Empty(await SubjectsAsync("CreatedDate = YESTERDAY"));
        Assert.Equal(3, (await SubjectsAsync("SystemModstamp >= 2026-11-28T12:00:00Z")).Length);

        await AdminAsync("objects/Case/fields", new { name = "Due__c", type = "date" });
        var id = await CreateAsync("Case", new { Subject = "due", Due__c = "2026-12-01" });
        Assert.Equal(["due"], await SubjectsAsync("Due__c = 2026-12-01"));
        Assert.Equal(["due"], await SubjectsAsync("Due__c = TOMORROW"));
        Assert.NotNull(id);
    }

    [Fact]
    public async Task Order_by_several_keys_with_direction_and_nulls_placement_limit_and_offset()
    {
        await SeedCasesAsync();
        // Picklists sort in their defined order (High, Medium, Low), not alphabetically.
        Assert.Equal(["gamma", "alpha", "(null)", "Beta"], await SubjectsAsync("Id != null", "Priority ASC, Subject DESC NULLS LAST"));
        Assert.Equal(["(null)", "gamma", "Beta", "alpha"], await SubjectsAsync("Id != null", "Subject DESC NULLS FIRST"));
        Assert.Equal(["alpha", "Beta", "gamma", "(null)"], await SubjectsAsync("Id != null", "Subject NULLS LAST"));
        var page = await QueryAsync("SELECT Subject FROM Case ORDER BY Subject NULLS LAST LIMIT 2 OFFSET 1");
        Assert.Equal(["Beta", "gamma"], page.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Subject").GetString()!).ToArray());
        Assert.Equal(2, page.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Count_and_aggregates_answer_in_the_real_shapes()
    {
        await SeedCasesAsync();
        var count = await QueryAsync("SELECT count() FROM Case WHERE Priority = 'High'");
        Assert.Equal("""{"totalSize":2,"done":true,"records":[]}""", count.GetRawText());

        var agg = await QueryAsync("SELECT COUNT(Id), MAX(CreatedDate) latest FROM Case");
        var row = agg.GetProperty("records")[0];
        Assert.Equal("AggregateResult", row.GetProperty("attributes").GetProperty("type").GetString());
        Assert.False(row.GetProperty("attributes").TryGetProperty("url", out _));
        Assert.Equal(4, row.GetProperty("expr0").GetInt32());
        Assert.Equal("2026-11-30T12:00:00.000+0000", row.GetProperty("latest").GetString());

        var grouped = await QueryAsync("SELECT Priority, COUNT(Id) n FROM Case GROUP BY Priority");
        Assert.Contains(grouped.GetProperty("records").EnumerateArray(), r => r.GetProperty("Priority").GetString() == "High" && r.GetProperty("n").GetInt32() == 2);
    }

    [Fact]
    public async Task Relationship_fields_and_child_subqueries_have_the_nested_shape_with_nulls_when_empty()
    {
        var account = await CreateAsync("Account", new { Name = "Acme" });
        var contact = await CreateAsync("Contact", new { LastName = "Lovelace", FirstName = "Ada", Email = "ada@acme.example", AccountId = account });
        var withContact = await CreateAsync("Case", new { Subject = "with", ContactId = contact });
        await CreateAsync("Case", new { Subject = "without" });
        _clock.Advance(TimeSpan.FromMinutes(1));
        await CreateAsync("CaseComment", new { ParentId = withContact, CommentBody = "second" });
        _clock.Advance(TimeSpan.FromMinutes(-2));
        await CreateAsync("CaseComment", new { ParentId = withContact, CommentBody = "first" });

        var rows = await QueryAsync("SELECT Subject, Contact.Name, Contact.Account.Name, Owner.Email, (SELECT CommentBody FROM CaseComments ORDER BY CreatedDate) FROM Case ORDER BY Subject");
        var with = rows.GetProperty("records")[0];
        Assert.Equal("Ada Lovelace", with.GetProperty("Contact").GetProperty("Name").GetString());
        Assert.Equal("Contact", with.GetProperty("Contact").GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal($"{Data}/sobjects/Contact/{contact}", with.GetProperty("Contact").GetProperty("attributes").GetProperty("url").GetString());
        Assert.Equal("Acme", with.GetProperty("Contact").GetProperty("Account").GetProperty("Name").GetString());
        Assert.Equal("Name", with.GetProperty("Owner").GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("integration@pluginhub.test", with.GetProperty("Owner").GetProperty("Email").GetString());
        var comments = with.GetProperty("CaseComments");
        Assert.Equal(2, comments.GetProperty("totalSize").GetInt32());
        Assert.True(comments.GetProperty("done").GetBoolean());
        Assert.Equal(["first", "second"], comments.GetProperty("records").EnumerateArray().Select(c => c.GetProperty("CommentBody").GetString()!).ToArray());

        var without = rows.GetProperty("records")[1];
        Assert.Equal(JsonValueKind.Null, without.GetProperty("Contact").ValueKind);
        Assert.Equal(JsonValueKind.Null, without.GetProperty("CaseComments").ValueKind);

        var semi = await QueryAsync("SELECT Subject FROM Case WHERE Id IN (SELECT ParentId FROM CaseComment WHERE IsPublished = false)");
        Assert.Equal("with", semi.GetProperty("records")[0].GetProperty("Subject").GetString());
        var byOwner = await QueryAsync("SELECT Subject FROM Case WHERE Owner.Email = 'integration@pluginhub.test' AND Contact.Account.Name LIKE 'Ac%'");
        Assert.Equal(1, byOwner.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Polymorphic_lookups_resolve_through_the_name_entity_with_its_type()
    {
        var queue = (await QueryAsync("SELECT Id, Name FROM Group WHERE Type = 'Queue'")).GetProperty("records")[0].GetProperty("Id").GetString()!;
        Assert.StartsWith("00G", queue, StringComparison.Ordinal);
        var queued = await CreateAsync("Case", new { Subject = "queued", OwnerId = queue });
        await CreateAsync("Attachment", new { ParentId = queued, Name = "a.txt", Body = "aGk=" });
        var account = await CreateAsync("Account", new { Name = "Acme" });
        await CreateAsync("Attachment", new { ParentId = account, Name = "b.txt", Body = "aGk=" });

        var onCases = await QueryAsync("SELECT Name, Parent.Type, Parent.Name FROM Attachment WHERE Parent.Type = 'Case'");
        Assert.Equal(1, onCases.GetProperty("totalSize").GetInt32());
        Assert.Equal("Case", onCases.GetProperty("records")[0].GetProperty("Parent").GetProperty("Type").GetString());
        var owners = await QueryAsync("SELECT Subject, Owner.Type, Owner.Name FROM Case WHERE Owner.Type = 'Queue'");
        Assert.Equal("Support Queue", owners.GetProperty("records")[0].GetProperty("Owner").GetProperty("Name").GetString());
        Assert.Equal("Name", owners.GetProperty("records")[0].GetProperty("Owner").GetProperty("attributes").GetProperty("type").GetString());
        Assert.EndsWith($"/sobjects/Group/{queue}", owners.GetProperty("records")[0].GetProperty("Owner").GetProperty("attributes").GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task String_literals_support_backslash_escapes()
    {
        await CreateAsync("Case", new { Subject = "O'Brien \"quoted\" \\ path" });
        var rows = await QueryAsync("SELECT Subject FROM Case WHERE Subject = 'O\\'Brien \\\"quoted\\\" \\\\ path'");
        Assert.Equal(1, rows.GetProperty("totalSize").GetInt32());
        await CreateAsync("Case", new { Subject = "100% done" });
        Assert.Equal(1, (await QueryAsync("SELECT Id FROM Case WHERE Subject LIKE '100\\% %'")).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Fields_function_expands_and_needs_a_small_limit()
    {
        await CreateAsync("Case", new { Subject = "x", Jira_Key__c = "SUP-1" });
        var custom = (await QueryAsync("SELECT FIELDS(CUSTOM) FROM Case LIMIT 200")).GetProperty("records")[0];
        Assert.Equal("SUP-1", custom.GetProperty("Jira_Key__c").GetString());
        Assert.False(custom.TryGetProperty("Subject", out _));
        var all = (await QueryAsync("SELECT FIELDS(ALL) FROM Case LIMIT 1")).GetProperty("records")[0];
        Assert.True(all.TryGetProperty("CaseNumber", out _));
        var (status, body, _) = await GetAsync("query?q=" + Uri.EscapeDataString("SELECT FIELDS(ALL) FROM Case"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        SingleError(body, "MALFORMED_QUERY");
    }

    [Theory]
    [InlineData("SELECT Id FORM Case", "MALFORMED_QUERY", "\nSELECT Id FORM Case\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FORM'")]
    [InlineData("SELECT Id, Foo FROM Case", "INVALID_FIELD", "\nSELECT Id, Foo FROM Case\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Case'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.")]
    [InlineData("SELECT Id FROM Nope", "INVALID_TYPE", "\nSELECT Id FROM Nope\n               ^\nERROR at Row:1:Column:16\nsObject type 'Nope' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.")]
    [InlineData("SELECT Id FROM Case WHERE Subject = 'a' AND Status = 'New' OR Origin = 'Web'", "MALFORMED_QUERY", null)]
    [InlineData("SELECT Id FROM Case WHERE CreatedDate > '2024-01-01T00:00:00Z'", "INVALID_FIELD", null)]
    [InlineData("SELECT Id FROM Case WHERE CreatedDate > 2024-01-01", "INVALID_FIELD", null)]
    [InlineData("SELECT Id FROM Case WHERE Subject = 'unterminated", "MALFORMED_QUERY", null)]
    [InlineData("SELECT Owner.Nope FROM Case", "INVALID_FIELD", null)]
    [InlineData("SELECT Id FROM Case WHERE", "MALFORMED_QUERY", null)]
    public async Task Bad_queries_get_malformed_query_or_invalid_field_in_the_real_shape(string soql, string code, string? message)
    {
        var (status, body, _) = await GetAsync("query?q=" + Uri.EscapeDataString(soql));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = SingleError(body, code);
        if (message is not null)
        {
            Assert.Equal(message, error.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Query_and_query_more_page_with_locators_honouring_batch_size_and_query_all_continues_on_query()
    {
        await AdminAsync("seed", new { seed = 3, users = 0, accounts = 0, contacts = 0, cases = 1200 });
        using var req = new HttpRequestMessage(HttpMethod.Get, U($"{Data}/query?q=SELECT+Id+FROM+Case+ORDER+BY+Id"));
        req.Headers.Add("Sforce-Query-Options", "batchSize=500");
        var first = JsonDocument.Parse(await (await Http.SendAsync(req)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1200, first.GetProperty("totalSize").GetInt32());
        Assert.False(first.GetProperty("done").GetBoolean());
        Assert.Equal(500, first.GetProperty("records").GetArrayLength());
        var next = first.GetProperty("nextRecordsUrl").GetString()!;
        Assert.Matches($"^{Data.Replace(".", "\\.", StringComparison.Ordinal)}/query/01g[A-Za-z0-9]{{15}}-500$", next);

        var ids = first.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Id").GetString()!).ToList();
        var locator = next.Split('/')[^1];
        var second = (await GetAsync($"/services/data/v50.0/query/{locator}")).Body; // jsforce rebuilds the URL with its own version
        Assert.Equal(500, second.GetProperty("records").GetArrayLength());
        var third = (await GetAsync(second.GetProperty("nextRecordsUrl").GetString()!)).Body;
        Assert.True(third.GetProperty("done").GetBoolean());
        Assert.False(third.TryGetProperty("nextRecordsUrl", out _));
        ids.AddRange(second.GetProperty("records").EnumerateArray().Concat(third.GetProperty("records").EnumerateArray()).Select(r => r.GetProperty("Id").GetString()!));
        Assert.Equal(1200, ids.Distinct().Count());
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);

        var defaultBatch = await QueryAsync("SELECT Id FROM Case");
        Assert.True(defaultBatch.GetProperty("done").GetBoolean()); // 1200 < 2000 default batch
        await DeleteAsync($"sobjects/Case/{ids[0]}");
        using var allReq = new HttpRequestMessage(HttpMethod.Get, U($"{Data}/queryAll?q=SELECT+Id,IsDeleted+FROM+Case"));
        allReq.Headers.Add("Sforce-Query-Options", "batchSize=200");
        var all = JsonDocument.Parse(await (await Http.SendAsync(allReq)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1200, all.GetProperty("totalSize").GetInt32());
        Assert.Contains("/query/", all.GetProperty("nextRecordsUrl").GetString(), StringComparison.Ordinal);

        var bad = await GetAsync($"query/{locator[..10]}-5");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        SingleError(bad.Body, "INVALID_QUERY_LOCATOR");
    }

    [Fact]
    public async Task Sosl_search_returns_matching_records_of_each_type()
    {
        await CreateAsync("Contact", new { LastName = "Printerson", Email = "p@acme.example" });
        await CreateAsync("Case", new { Subject = "Printer on fire" });
        await CreateAsync("Case", new { Subject = "Coffee machine" });
        var (status, body, _) = await GetAsync("search?q=" + Uri.EscapeDataString("FIND {printer*} IN ALL FIELDS RETURNING Case(Id, Subject WHERE Status = 'New'), Contact(LastName)"));
        Assert.Equal(HttpStatusCode.OK, status);
        var records = body.GetProperty("searchRecords").EnumerateArray().ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal("Printer on fire", records.Single(r => r.GetProperty("attributes").GetProperty("type").GetString() == "Case").GetProperty("Subject").GetString());
        Assert.Equal("Printerson", records.Single(r => r.GetProperty("attributes").GetProperty("type").GetString() == "Contact").GetProperty("LastName").GetString());
        SingleError((await GetAsync("search?q=" + Uri.EscapeDataString("FIND printer RETURNING Case"))).Body, "MALFORMED_SEARCH");
    }

    [Fact]
    public async Task Large_child_results_page_through_their_own_next_records_url()
    {
        var caseId = await CreateAsync("Case", new { Subject = "chatty" });
        var comments = Enumerable.Range(0, 450).Select(i => new { attributes = new { type = "CaseComment" }, ParentId = caseId, CommentBody = $"c{i}" }).ToArray();
        for (var i = 0; i < comments.Length; i += 200)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync("composite/sobjects", new { records = comments.Skip(i).Take(200) })).Status);
        }

        var row = (await QueryAsync("SELECT Id, (SELECT CommentBody FROM CaseComments) FROM Case")).GetProperty("records")[0].GetProperty("CaseComments");
        Assert.Equal(450, row.GetProperty("totalSize").GetInt32());
        Assert.False(row.GetProperty("done").GetBoolean());
        Assert.Equal(200, row.GetProperty("records").GetArrayLength());
        var next = (await GetAsync(row.GetProperty("nextRecordsUrl").GetString()!)).Body;
        Assert.Equal(200, next.GetProperty("records").GetArrayLength());
        var last = (await GetAsync(next.GetProperty("nextRecordsUrl").GetString()!)).Body;
        Assert.True(last.GetProperty("done").GetBoolean());
        Assert.Equal(50, last.GetProperty("records").GetArrayLength());
        Assert.Equal("CaseComment", last.GetProperty("records")[0].GetProperty("attributes").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Query_locators_expire_after_15_idle_minutes()
    {
        await AdminAsync("seed", new { seed = 5, users = 0, accounts = 0, contacts = 0, cases = 300 });
        using var req = new HttpRequestMessage(HttpMethod.Get, U($"{Data}/query?q=SELECT+Id+FROM+Case"));
        req.Headers.Add("Sforce-Query-Options", "batchSize=200");
        var first = JsonDocument.Parse(await (await Http.SendAsync(req)).Content.ReadAsStringAsync()).RootElement;
        _clock.Advance(TimeSpan.FromMinutes(16));
        var (status, body, _) = await GetAsync(first.GetProperty("nextRecordsUrl").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid query locator", SingleError(body, "INVALID_QUERY_LOCATOR").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Incremental_sync_over_100000_cases_reads_index_ranges_fast()
    {
        var org = (SfOrg)Server.Services.GetService(typeof(SfOrg))!;
        lock (org.Gate)
        {
            var type = org.Object("Case")!;
            var subject = type["Subject"];
            for (var i = 0; i < 100_000; i++)
            {
                if (i % 1000 == 0)
                {
                    _clock.Advance(TimeSpan.FromSeconds(1)); // 1,000 records share each second: ties broken by Id
                }

                org.Insert(type, new() { [subject] = $"case {i}" }, org.IntegrationUserId, null);
            }
        }

        var watermark = "2026-11-26T12:00:50Z";
        var timer = Stopwatch.StartNew();
        var seen = 0;
        string? lastId = null;
        for (var page = 0; page < 5; page++)
        {
            var soql = lastId is null
                ? $"SELECT Id, SystemModstamp FROM Case WHERE SystemModstamp >= {watermark} ORDER BY SystemModstamp, Id LIMIT 2000"
                : $"SELECT Id, SystemModstamp FROM Case WHERE (SystemModstamp = {watermark} AND Id > '{lastId}') OR SystemModstamp > {watermark} ORDER BY SystemModstamp, Id LIMIT 2000";
            var rows = (await QueryAsync(soql)).GetProperty("records");
            Assert.Equal(2000, rows.GetArrayLength());
            seen += rows.GetArrayLength();
            var last = rows[rows.GetArrayLength() - 1];
            lastId = last.GetProperty("Id").GetString();
            watermark = DateTime.Parse(last.GetProperty("SystemModstamp").GetString()!.Replace("+0000", "Z", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(10_000, seen);
        var count = await QueryAsync("SELECT count() FROM Case WHERE SystemModstamp > 2026-11-26T12:01:00Z");
        Assert.Equal(40_000, count.GetProperty("totalSize").GetInt32());
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(10), $"took {timer.Elapsed}");
    }
}
