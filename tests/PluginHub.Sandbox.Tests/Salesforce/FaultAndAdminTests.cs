using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PluginHub.Sandbox.Tests.Salesforce;

/// <summary>Checklist §10.2 fault injection in Salesforce's error shapes, and the admin routes: seed, reset, composite limits.</summary>
public sealed class FaultAndAdminTests : SalesforceTestBase
{
    private async Task FaultAsync(object rule)
    {
        using var anon = new HttpClient { BaseAddress = BaseUrl };
        Assert.Equal(HttpStatusCode.NoContent, (await anon.PostAsJsonAsync(U("/_sandbox/faults"), rule)).StatusCode);
    }

    [Theory]
    [InlineData(503, "SERVER_UNAVAILABLE")]
    [InlineData(403, "REQUEST_LIMIT_EXCEEDED")]
    [InlineData(500, "UNKNOWN_EXCEPTION")]
    [InlineData(401, "INVALID_SESSION_ID")]
    [InlineData(400, "UNABLE_TO_LOCK_ROW")]
    public async Task Injected_faults_answer_in_the_real_error_shape(int status, string code)
    {
        await FaultAsync(new { pathPrefix = "/services/data", status, times = 1, retryAfterSeconds = 3 });
        var (got, body, res) = await GetAsync("limits");
        Assert.Equal((HttpStatusCode)status, got);
        SingleError(body, code);
        Assert.Equal("application/json;charset=UTF-8", res.Content.Headers.ContentType!.ToString().Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("limits")).Status);
    }

    [Fact]
    public async Task Faults_on_the_token_endpoint_use_the_oauth_error_shape()
    {
        await FaultAsync(new { pathPrefix = "/services/oauth2/token", status = 503 });
        using var anon = new HttpClient { BaseAddress = BaseUrl };
        var res = await anon.PostAsync(U("/services/oauth2/token"), Form(("grant_type", "password")));
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, res.StatusCode);
        Assert.True(body.TryGetProperty("error", out _));
        Assert.True(body.TryGetProperty("error_description", out _));
    }

    [Fact]
    public async Task Seeding_is_deterministic_and_reset_returns_to_the_initial_state()
    {
        static async Task<string> SnapshotAsync(SalesforceTestBase t, Func<string, Task<JsonElement>> query)
        {
            var users = await query("SELECT Username, Name FROM User ORDER BY Username");
            var cases = await query("SELECT CaseNumber, Subject, Status, Priority, Owner.Username, Contact.Email, (SELECT CommentBody FROM CaseComments) FROM Case ORDER BY CaseNumber");
            return users.GetRawText() + cases.GetRawText();
        }

        await AdminAsync("seed", new { seed = 42 });
        var first = await SnapshotAsync(this, s => QueryAsync(s));
        Assert.True((await QueryAsync("SELECT count() FROM Case")).GetProperty("totalSize").GetInt32() == 50);
        Assert.True((await QueryAsync("SELECT count() FROM CaseComment")).GetProperty("totalSize").GetInt32() > 0);
        Assert.True((await QueryAsync("SELECT count() FROM Attachment")).GetProperty("totalSize").GetInt32() + (await QueryAsync("SELECT count() FROM ContentVersion")).GetProperty("totalSize").GetInt32() > 0);

        using var anon = new HttpClient { BaseAddress = BaseUrl };
        Assert.Equal(HttpStatusCode.NoContent, (await anon.PostAsync(U("/_sandbox/reset"), null)).StatusCode);
        Assert.Equal(0, (await QueryAsync("SELECT count() FROM Case")).GetProperty("totalSize").GetInt32());
        Assert.Equal(2, (await QueryAsync("SELECT count() FROM User")).GetProperty("totalSize").GetInt32());

        await AdminAsync("seed", new { seed = 42 });
        Assert.Equal(first, await SnapshotAsync(this, s => QueryAsync(s)));
        await anon.PostAsync(U("/_sandbox/reset"), null);
        await AdminAsync("seed", new { seed = 43 });
        Assert.NotEqual(first, await SnapshotAsync(this, s => QueryAsync(s)));
    }

    [Fact]
    public async Task Reset_drops_custom_fields_and_records_but_keeps_the_default_users()
    {
        await AdminAsync("objects/Case/fields", new { name = "Extra__c", type = "string" });
        await CreateAsync("Case", new { Extra__c = "x" });
        using var anon = new HttpClient { BaseAddress = BaseUrl };
        await anon.PostAsync(U("/_sandbox/reset"), null);
        var (status, body, _) = await PostAsync("sobjects/Case", new { Extra__c = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        SingleError(body, "INVALID_FIELD");
    }

    [Fact]
    public async Task Collections_refuse_more_than_200_records_and_missing_types()
    {
        var records = Enumerable.Range(0, 201).Select(i => new Dictionary<string, object> { ["attributes"] = new { type = "Case" }, ["Subject"] = $"c{i}" }).ToArray();
        var tooMany = await PostAsync("composite/sobjects", new { allOrNone = false, records });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        SingleError(tooMany.Body, "EXCEEDED_ID_LIMIT");

        var noType = await PostAsync("composite/sobjects", new { records = new[] { new { Subject = "x" } } });
        Assert.Equal(HttpStatusCode.BadRequest, noType.Status);
        SingleError(noType.Body, "INVALID_TYPE");

        var mixed = await PostAsync("composite/sobjects", new { records = new object[] { new { attributes = new { type = "Case" }, Subject = "c" }, new { attributes = new { type = "Account" }, Name = "a" } } });
        Assert.Equal(HttpStatusCode.OK, mixed.Status);
        Assert.All(mixed.Body.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean()));
        var ids = mixed.Body.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();
        var retrieved = await GetAsync($"composite/sobjects/Case?ids={ids[0]},{ids[1]}&fields=Subject");
        Assert.Equal("c", retrieved.Body[0].GetProperty("Subject").GetString());
        Assert.Equal(JsonValueKind.Null, retrieved.Body[1].ValueKind);

        var deleted = await DeleteAsync($"composite/sobjects?ids={ids[0]},{ids[1]}&allOrNone=true");
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.All(deleted.Body.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean()));
    }

    [Fact]
    public async Task Composite_batch_halts_on_error_when_asked()
    {
        var batch = await PostAsync("composite/batch", new
        {
            haltOnError = true,
            batchRequests = new object[]
            {
                new { method = "POST", url = $"v{Version}/sobjects/Contact", richInput = new { FirstName = "no last name" } },
                new { method = "GET", url = $"v{Version}/limits" },
            },
        });
        Assert.Equal(HttpStatusCode.OK, batch.Status);
        Assert.True(batch.Body.GetProperty("hasErrors").GetBoolean());
        Assert.Equal(400, batch.Body.GetProperty("results")[0].GetProperty("statusCode").GetInt32());
        Assert.Equal(412, batch.Body.GetProperty("results")[1].GetProperty("statusCode").GetInt32());
        Assert.Equal("BATCH_PROCESSING_HALTED", batch.Body.GetProperty("results")[1].GetProperty("result")[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Composite_without_all_or_none_skips_only_dependents_of_a_failure()
    {
        var res = await PostAsync("composite", new
        {
            allOrNone = false,
            compositeRequest = new object[]
            {
                new { method = "POST", url = $"{Data}/sobjects/Contact", referenceId = "bad", body = new { FirstName = "x" } },
                new { method = "POST", url = $"{Data}/sobjects/Case", referenceId = "dependent", body = new { ContactId = "@{bad.id}" } },
                new { method = "POST", url = $"{Data}/sobjects/Case", referenceId = "independent", body = new { Subject = "kept" } },
            },
        });
        var items = res.Body.GetProperty("compositeResponse");
        Assert.Equal([400, 400, 201], items.EnumerateArray().Select(i => i.GetProperty("httpStatusCode").GetInt32()).ToArray());
        Assert.Equal("PROCESSING_HALTED", items[1].GetProperty("body")[0].GetProperty("errorCode").GetString());
        Assert.Equal(1, (await QueryAsync("SELECT count() FROM Case WHERE Subject = 'kept'")).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task The_daily_api_allocation_is_enforced_with_request_limit_exceeded()
    {
        await AdminAsync("settings", new { apiLimit = 2 });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("limits")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("limits")).Status);
        var (status, body, res) = await GetAsync("limits");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("TotalRequests Limit exceeded.", SingleError(body, "REQUEST_LIMIT_EXCEEDED").GetProperty("message").GetString());
        Assert.Equal("api-usage=3/2", res.Headers.GetValues("Sforce-Limit-Info").Single());
    }

    [Fact]
    public async Task A_seed_file_adds_custom_objects_fields_and_linked_records_all_or_nothing()
    {
        var result = await AdminAsync("import", new
        {
            objects = new[] { new { name = "Ticket__c", labelPlural = "Tickets", fields = new object[] { new { name = "Ext__c", type = "string", externalId = true, unique = true } } } },
            fields = new Dictionary<string, object[]> { ["Case"] = [new { name = "Sla__c", type = "picklist", picklistValues = new[] { "Gold", "Silver" } }] },
            records = new Dictionary<string, object[]>
            {
                ["Account"] = [new Dictionary<string, object> { ["Name"] = "Acme", ["@ref"] = "acme" }],
                ["Contact"] = [new Dictionary<string, object> { ["LastName"] = "Lovelace", ["AccountId"] = "@acme", ["@ref"] = "ada" }],
                ["Case"] = [new Dictionary<string, object> { ["Subject"] = "seeded", ["ContactId"] = "@ada", ["Sla__c"] = "Gold" }],
                ["Ticket__c"] = [new Dictionary<string, object> { ["Name"] = "T-1", ["Ext__c"] = "E-1" }],
            },
        });
        Assert.Equal(1, result.GetProperty("created").GetProperty("Case").GetInt32());
        var row = (await QueryAsync("SELECT Sla__c, Contact.Account.Name FROM Case WHERE Subject = 'seeded'")).GetProperty("records")[0];
        Assert.Equal("Gold", row.GetProperty("Sla__c").GetString());
        Assert.Equal("Acme", row.GetProperty("Contact").GetProperty("Account").GetProperty("Name").GetString());
        Assert.Equal("T-1", (await GetAsync("sobjects/Ticket__c/Ext__c/E-1")).Body.GetProperty("Name").GetString());

        using var anon = new HttpClient { BaseAddress = BaseUrl };
        var bad = await anon.PostAsJsonAsync(U("/_sandbox/import"), new { records = new Dictionary<string, object[]> { ["Account"] = [new { Name = "kept?" }], ["Contact"] = [new { FirstName = "no last name" }] } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(0, (await QueryAsync("SELECT count() FROM Account WHERE Name = 'kept?'")).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Collections_do_not_exist_before_api_42_and_collection_upsert_before_46()
    {
        var body = new { records = new[] { new { attributes = new { type = "Case" }, Subject = "x" } } };
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/services/data/v41.0/composite/sobjects", body)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/services/data/v42.0/composite/sobjects", body)).Status);
        var upsert = new { records = new[] { new { attributes = new { type = "Case" }, Jira_Key__c = "SUP-1" } } };
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Patch, "/services/data/v45.0/composite/sobjects/Case/Jira_Key__c", upsert)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Patch, "/services/data/v46.0/composite/sobjects/Case/Jira_Key__c", upsert)).Status);
    }

    [Fact]
    public async Task Concurrent_writers_get_unique_ids_and_case_numbers()
    {
        var agent = await LoginAsync("agent@pluginhub.test", "agent-passwordAGENTTOKEN");
        var writes = Enumerable.Range(0, 40).Select(i => SendAsync(HttpMethod.Post, "sobjects/Case", new { Subject = $"parallel {i}" }, token: i % 2 == 0 ? Token : agent));
        var results = await Task.WhenAll(writes);
        Assert.All(results, r => Assert.Equal(HttpStatusCode.Created, r.Status));
        Assert.Equal(40, results.Select(r => r.Body.GetProperty("id").GetString()).Distinct().Count());
        var numbers = (await QueryAsync("SELECT CaseNumber FROM Case")).GetProperty("records").EnumerateArray().Select(r => r.GetProperty("CaseNumber").GetString()).ToList();
        Assert.Equal(40, numbers.Distinct().Count());
        var byUser = await QueryAsync("SELECT CreatedBy.Username u, COUNT(Id) n FROM Case GROUP BY CreatedBy.Username");
        Assert.Equal(2, byUser.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task A_delay_fault_slows_a_salesforce_call_that_then_succeeds()
    {
        await FaultAsync(new { method = "GET", pathPrefix = $"{Data}/limits", delayMs = 300 });
        var started = TimeProvider.System.GetTimestamp();
        var (status, body, _) = await GetAsync("limits");
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(290));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.TryGetProperty("DailyApiRequests", out _));
    }
}
