using System.Text.Json;
using PluginHub.Sandbox.Salesforce;
using PluginHub.Sandbox.Tests.Clients;

namespace PluginHub.Sandbox.Tests.Salesforce;

/// <summary>The official jsforce 3.10.16 client drives the sandbox unchanged (scripts in tests/js/salesforce).</summary>
public sealed class JsforceTests : SalesforceTestBase
{
    private Task<JsonElement> RunAsync(string script, params (string Key, string Value)[] env) =>
        NodeClient.RunAsync($"salesforce/{script}", NodeEnv(env), TimeSpan.FromSeconds(90));

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task Login_identity_describe_crud_relationship_query_comment_upsert_delete_and_limits()
    {
        var r = await RunAsync("crud.mjs");

        Assert.StartsWith("005", r.GetProperty("userInfo").GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("00D", r.GetProperty("userInfo").GetProperty("organizationId").GetString(), StringComparison.Ordinal);
        Assert.Equal("integration@pluginhub.test", r.GetProperty("identity").GetProperty("username").GetString());
        Assert.True(r.GetProperty("globalHasCase").GetBoolean());
        Assert.Equal(["New", "Working", "Escalated", "Closed"], Strings(r.GetProperty("statusPicklist")));
        Assert.Equal("New", r.GetProperty("statusDefault").GetString());
        Assert.Contains("CaseComments", Strings(r.GetProperty("childRelationships")));

        var retrieved = r.GetProperty("retrieved");
        Assert.Equal("New", retrieved.GetProperty("Status").GetString());
        Assert.Equal("Medium", retrieved.GetProperty("Priority").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$", retrieved.GetProperty("CreatedDate").GetString());
        Assert.True(r.GetProperty("updateResult").GetProperty("success").GetBoolean());
        Assert.True(r.GetProperty("closed").GetProperty("IsClosed").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, r.GetProperty("closed").GetProperty("ClosedDate").ValueKind);

        var row = r.GetProperty("query").GetProperty("records")[0];
        Assert.Equal("integration@pluginhub.test", row.GetProperty("Owner").GetProperty("Email").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("Contact").ValueKind);
        Assert.Equal("Called the customer", row.GetProperty("CaseComments").GetProperty("records")[0].GetProperty("CommentBody").GetString());
        Assert.Equal("Printer on fire", r.GetProperty("found")[0].GetProperty("Subject").GetString());
        Assert.Equal(1, r.GetProperty("count").GetInt32());

        Assert.True(r.GetProperty("upsertCreated").GetProperty("created").GetBoolean());
        Assert.False(r.GetProperty("upsertUpdated").GetProperty("created").GetBoolean());
        Assert.Equal(r.GetProperty("upsertCreated").GetProperty("id").GetString(), r.GetProperty("upsertUpdated").GetProperty("id").GetString());

        Assert.True(r.GetProperty("destroyed").GetProperty("success").GetBoolean());
        Assert.Equal("ENTITY_IS_DELETED", r.GetProperty("afterDelete").GetProperty("errorCode").GetString());
        Assert.True(r.GetProperty("queryAll")[0].GetProperty("IsDeleted").GetBoolean());
        Assert.Equal(0, r.GetProperty("queryLive").GetInt32());
        Assert.Equal(100000, r.GetProperty("limits").GetProperty("Max").GetInt32());
        var usage = r.GetProperty("limitInfo").GetProperty("apiUsage");
        Assert.Equal(100000, usage.GetProperty("limit").GetInt32());
        Assert.True(usage.GetProperty("used").GetInt32() > 15);
    }

    [Fact]
    public async Task Query_more_over_several_pages_auto_fetch_count_and_scan_all()
    {
        var r = await RunAsync("paging.mjs");
        Assert.Equal(2500, r.GetProperty("first").GetProperty("totalSize").GetInt32());
        Assert.Equal(1000, r.GetProperty("first").GetProperty("size").GetInt32());
        Assert.False(r.GetProperty("first").GetProperty("done").GetBoolean());
        Assert.Equal(1000, r.GetProperty("second").GetProperty("size").GetInt32());
        Assert.True(r.GetProperty("third").GetProperty("done").GetBoolean());
        Assert.Equal(500, r.GetProperty("third").GetProperty("size").GetInt32());
        Assert.Equal(2500, r.GetProperty("distinct").GetInt32());
        Assert.True(r.GetProperty("sorted").GetBoolean());
        Assert.Equal(2500, r.GetProperty("autoFetched").GetInt32());
        Assert.Equal(2100, r.GetProperty("capped").GetInt32());
        Assert.Equal(2500, r.GetProperty("count").GetInt32());
        Assert.Equal(350, r.GetProperty("nestedComments").GetInt32()); // autoFetch follows the child result's own nextRecordsUrl
        Assert.Equal(2500, r.GetProperty("parentsWithChildren").GetInt32());
        Assert.Equal([true], r.GetProperty("deleted").EnumerateArray().Select(d => d.GetBoolean()).ToArray());
    }

    [Fact]
    public async Task Collections_report_partial_failure_roll_back_all_or_none_and_upsert()
    {
        var r = await RunAsync("collections.mjs");
        var partial = r.GetProperty("partial");
        Assert.True(partial[0].GetProperty("success").GetBoolean());
        Assert.False(partial[1].GetProperty("success").GetBoolean());
        Assert.Equal("REQUIRED_FIELD_MISSING", partial[1].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.True(partial[2].GetProperty("success").GetBoolean());

        var rolledBack = r.GetProperty("rolledBack");
        Assert.Equal("ALL_OR_NONE_OPERATION_ROLLED_BACK", rolledBack[0].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.Equal("REQUIRED_FIELD_MISSING", rolledBack[1].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.Equal(0, r.GetProperty("contactsAfter").GetInt32());

        Assert.All(r.GetProperty("updated").EnumerateArray(), u => Assert.True(u.GetProperty("success").GetBoolean()));
        Assert.Equal(["Engineer", "Engineer"], Strings(r.GetProperty("retrieved")));
        Assert.All(r.GetProperty("upserted").EnumerateArray(), u => Assert.True(u.GetProperty("created").GetBoolean()));
        Assert.False(r.GetProperty("upsertedAgain")[0].GetProperty("created").GetBoolean());
        var destroyed = r.GetProperty("destroyed");
        Assert.True(destroyed[0].GetProperty("success").GetBoolean());
        Assert.False(destroyed[2].GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Comments_attachments_and_files_round_trip_without_touching_the_case()
    {
        var r = await RunAsync("files.mjs");
        Assert.True(r.GetProperty("comment").GetProperty("success").GetBoolean());
        Assert.True(r.GetProperty("parentUntouched").GetBoolean());
        Assert.True(r.GetProperty("attachmentRoundTrip").GetBoolean());
        Assert.True(r.GetProperty("jsonRoundTrip").GetBoolean());
        Assert.True(r.GetProperty("multipartRoundTrip").GetBoolean());
        Assert.Equal(["json", "multi"], Strings(r.GetProperty("linkedTitles")));
        Assert.Equal(["a.txt"], Strings(r.GetProperty("attachmentNames")));
        Assert.Equal(["note"], Strings(r.GetProperty("commentBodies")));
    }

    [Fact]
    public async Task Errors_surface_with_the_real_names_and_codes()
    {
        var r = await RunAsync("errors.mjs");
        Assert.Equal("invalid_grant", r.GetProperty("badLogin").GetProperty("name").GetString());
        Assert.Equal("authentication failure", r.GetProperty("badLogin").GetProperty("message").GetString());
        foreach (var (key, code) in new[] { ("malformed", "MALFORMED_QUERY"), ("invalidField", "INVALID_FIELD"), ("required", "REQUIRED_FIELD_MISSING"), ("tooLong", "STRING_TOO_LONG"), ("notFound", "NOT_FOUND"), ("readOnly", "INVALID_FIELD_FOR_INSERT_UPDATE"), ("duplicate", "DUPLICATE_VALUE"), ("invalidSession", "INVALID_SESSION_ID") })
        {
            Assert.False(r.GetProperty(key).GetProperty("ok").GetBoolean());
            Assert.Equal(code, r.GetProperty(key).GetProperty("errorCode").GetString());
            Assert.Equal(code, r.GetProperty(key).GetProperty("name").GetString());
        }

        Assert.Contains("ERROR at Row:1:Column:11", r.GetProperty("malformed").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_session_makes_jsforce_log_in_again_transparently()
    {
        var r = await RunAsync("session.mjs");
        Assert.Equal(2, r.GetProperty("users").GetInt32());
        Assert.Equal(1, r.GetProperty("refreshed").GetInt32());
        Assert.True(r.GetProperty("tokenChanged").GetBoolean());
    }

    [Fact]
    public async Task Soap_login_without_client_secret_works()
    {
        var r = await RunAsync("soap-login.mjs");
        Assert.Equal("agent@pluginhub.test", r.GetProperty("username").GetString());
        Assert.Equal(BaseUrl.ToString().TrimEnd('/'), r.GetProperty("instanceUrl").GetString());
    }

    [Fact]
    public async Task Composite_with_references_rolls_back_all_or_none_and_batch_reports_each_result()
    {
        var r = await RunAsync("composite.mjs");
        var ok = r.GetProperty("ok").GetProperty("compositeResponse");
        Assert.Equal([201, 201, 200, 204], ok.EnumerateArray().Select(x => x.GetProperty("httpStatusCode").GetInt32()).ToArray());
        Assert.Equal(ok[0].GetProperty("body").GetProperty("id").GetString(), ok[2].GetProperty("body").GetProperty("records")[0].GetProperty("Id").GetString());

        var failed = r.GetProperty("failed").GetProperty("compositeResponse");
        Assert.Equal("PROCESSING_HALTED", failed[0].GetProperty("body")[0].GetProperty("errorCode").GetString());
        Assert.Equal("REQUIRED_FIELD_MISSING", failed[1].GetProperty("body")[0].GetProperty("errorCode").GetString());
        Assert.Equal("PROCESSING_HALTED", failed[2].GetProperty("body")[0].GetProperty("errorCode").GetString());
        Assert.Equal(0, r.GetProperty("rolledBackCount").GetInt32());

        var batch = r.GetProperty("batch");
        Assert.True(batch.GetProperty("hasErrors").GetBoolean());
        Assert.Equal([204, 200, 404], batch.GetProperty("results").EnumerateArray().Select(x => x.GetProperty("statusCode").GetInt32()).ToArray());
        Assert.Equal("High", batch.GetProperty("results")[1].GetProperty("result").GetProperty("Priority").GetString());
    }
}

/// <summary>getUpdated / getDeleted through jsforce, with the org clock moved past the rows so the window covers them.</summary>
public sealed class JsforceReplicationTests : SalesforceTestBase
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 26, 17, 42, 10, TimeSpan.Zero));

    protected override SalesforceSandboxOptions SandboxOptions => new() { Time = _clock };

    [Fact]
    public async Task Updated_and_deleted_list_the_changed_and_deleted_ids()
    {
        var kept = await CreateAsync("Case", new { Subject = "kept" });
        var gone = await CreateAsync("Case", new { Subject = "gone" });
        await DeleteAsync($"sobjects/Case/{gone}");
        _clock.Advance(TimeSpan.FromMinutes(3));

        var r = await NodeClient.RunAsync("salesforce/replication.mjs", NodeEnv(("SF_START", "2026-11-26T17:00:00Z"), ("SF_END", "2026-11-26T18:00:00Z")));

        Assert.Equal([kept], r.GetProperty("updated").GetProperty("ids").EnumerateArray().Select(i => i.GetString()!).ToArray());
        Assert.Equal("2026-11-26T17:45:00.000+0000", r.GetProperty("updated").GetProperty("latestDateCovered").GetString());
        Assert.Equal(gone, r.GetProperty("deleted").GetProperty("deletedRecords")[0].GetProperty("id").GetString());
        Assert.Equal("2026-11-26T17:42:10.000+0000", r.GetProperty("deleted").GetProperty("deletedRecords")[0].GetProperty("deletedDate").GetString());
    }
}
