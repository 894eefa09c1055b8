using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PluginHub.Sandbox.Salesforce;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Tests.Salesforce;

/// <summary>Checklist §10.2: ids, timestamps, system fields, Case semantics, files, recycle bin, replication, describe, validation.</summary>
public sealed class DataSemanticsTests : SalesforceTestBase
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 26, 17, 42, 0, TimeSpan.Zero));

    protected override SalesforceSandboxOptions SandboxOptions => new() { Time = _clock };

    [Fact]
    public void Id_checksum_matches_the_reference_example_and_accepts_any_case_of_18_char_ids()
    {
        Assert.Equal("001D000000K0fXOIAZ", SfId.To18("001D000000K0fXO"));
        Assert.True(SfId.TryNormalize("001d000000k0fxoiaz", out var fixedCase));
        Assert.Equal("001D000000K0fXOIAZ", fixedCase);
        Assert.True(SfId.TryNormalize("001D000000K0fXO", out var from15));
        Assert.Equal("001D000000K0fXOIAZ", from15);
        Assert.False(SfId.TryNormalize("001D000000K0fXO9AZ", out _));
        Assert.False(SfId.TryNormalize("not-an-id", out _));
    }

    [Fact]
    public async Task Ids_carry_the_real_key_prefixes_and_are_18_chars_and_15_char_ids_are_accepted_in_urls_bodies_and_soql()
    {
        var account = await CreateAsync("Account", new { Name = "Acme" });
        var contact = await CreateAsync("Contact", new { LastName = "Lovelace", AccountId = account[..15] });
        var caseId = await CreateAsync("Case", new { Subject = "s", ContactId = contact });
        var comment = await CreateAsync("CaseComment", new { ParentId = caseId, CommentBody = "c" });
        var attachment = await CreateAsync("Attachment", new { ParentId = caseId, Name = "a.txt", Body = "aGVsbG8=" });
        var email = await CreateAsync("EmailMessage", new { ParentId = caseId, Subject = "mail" });
        var feed = await CreateAsync("FeedItem", new { ParentId = caseId, Body = "post" });
        var version = await CreateAsync("ContentVersion", new { PathOnClient = "f.txt", VersionData = "aGVsbG8=" });

        foreach (var (id, prefix) in new[] { (account, "001"), (contact, "003"), (caseId, "500"), (comment, "00a"), (attachment, "00P"), (email, "02s"), (feed, "0D5"), (version, "068") })
        {
            Assert.Equal(18, id.Length);
            Assert.StartsWith(prefix, id, StringComparison.Ordinal);
            Assert.Equal(SfId.To18(id[..15]), id);
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"sobjects/Case/{caseId[..15]}")).Status);
        var row = (await QueryAsync($"SELECT Id, ContactId, Contact.AccountId FROM Case WHERE Id = '{caseId[..15]}'")).GetProperty("records")[0];
        Assert.Equal(caseId, row.GetProperty("Id").GetString());
        Assert.Equal(account, row.GetProperty("Contact").GetProperty("AccountId").GetString());
    }

    [Fact]
    public async Task Datetimes_are_written_in_salesforce_format_and_read_from_iso_with_offsets()
    {
        await AdminAsync("objects/Case/fields", new { name = "Due__c", type = "datetime" });
        var a = await CreateAsync("Case", new { Due__c = "2024-01-01T12:00:00Z" });
        var b = await CreateAsync("Case", new { Due__c = "2024-01-01T14:00:00.000+02:00" });
        var c = await CreateAsync("Case", new { Due__c = "2024-01-01T12:00:00.123+0000" });

        foreach (var id in new[] { a, b })
        {
            var (_, body, _) = await GetAsync($"sobjects/Case/{id}?fields=Due__c,CreatedDate");
            Assert.Equal("2024-01-01T12:00:00.000+0000", body.GetProperty("Due__c").GetString());
            Assert.Equal("2026-11-26T17:42:00.000+0000", body.GetProperty("CreatedDate").GetString());
        }

        Assert.Equal("2024-01-01T12:00:00.123+0000", (await GetAsync($"sobjects/Case/{c}?fields=Due__c")).Body.GetProperty("Due__c").GetString());
    }

    [Fact]
    public async Task System_fields_are_maintained_on_insert_update_and_delete()
    {
        var id = await CreateAsync("Case", new { Subject = "s" });
        var created = (await GetAsync($"sobjects/Case/{id}")).Body;
        Assert.Equal("2026-11-26T17:42:00.000+0000", created.GetProperty("CreatedDate").GetString());
        Assert.Equal(created.GetProperty("CreatedDate").GetString(), created.GetProperty("LastModifiedDate").GetString());
        Assert.Equal(created.GetProperty("CreatedDate").GetString(), created.GetProperty("SystemModstamp").GetString());
        Assert.StartsWith("005", created.GetProperty("CreatedById").GetString(), StringComparison.Ordinal);
        Assert.False(created.GetProperty("IsDeleted").GetBoolean());

        _clock.Advance(TimeSpan.FromMinutes(5));
        var agent = await LoginAsync("agent@pluginhub.test", "agent-passwordAGENTTOKEN");
        await SendAsync(HttpMethod.Patch, $"sobjects/Case/{id}", new { Subject = "t" }, token: agent);
        var updated = (await GetAsync($"sobjects/Case/{id}")).Body;
        Assert.Equal("2026-11-26T17:47:00.000+0000", updated.GetProperty("LastModifiedDate").GetString());
        Assert.Equal("2026-11-26T17:47:00.000+0000", updated.GetProperty("SystemModstamp").GetString());
        Assert.Equal("2026-11-26T17:42:00.000+0000", updated.GetProperty("CreatedDate").GetString());
        Assert.NotEqual(updated.GetProperty("CreatedById").GetString(), updated.GetProperty("LastModifiedById").GetString());
    }

    [Fact]
    public async Task Case_gets_its_number_defaults_owner_and_closed_state_from_the_status()
    {
        var first = await CreateAsync("Case", new { Subject = "one" });
        var second = await CreateAsync("Case", new { Subject = "two" });
        var a = (await GetAsync($"sobjects/Case/{first}")).Body;
        var b = (await GetAsync($"sobjects/Case/{second}")).Body;
        Assert.Matches("^\\d{8}$", a.GetProperty("CaseNumber").GetString());
        Assert.True(long.Parse(b.GetProperty("CaseNumber").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(a.GetProperty("CaseNumber").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("New", a.GetProperty("Status").GetString());
        Assert.Equal("Medium", a.GetProperty("Priority").GetString());
        Assert.Equal(a.GetProperty("CreatedById").GetString(), a.GetProperty("OwnerId").GetString());
        Assert.False(a.GetProperty("IsClosed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, a.GetProperty("ClosedDate").ValueKind);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await PatchAsync($"sobjects/Case/{first}", new { Status = "Closed" });
        var closed = (await GetAsync($"sobjects/Case/{first}")).Body;
        Assert.True(closed.GetProperty("IsClosed").GetBoolean());
        Assert.Equal("2026-11-26T17:43:00.000+0000", closed.GetProperty("ClosedDate").GetString());
        var statuses = await QueryAsync("SELECT ApiName, IsClosed FROM CaseStatus WHERE IsClosed = true");
        Assert.Equal("Closed", statuses.GetProperty("records")[0].GetProperty("ApiName").GetString());

        await PatchAsync($"sobjects/Case/{first}", new { Status = "Working" });
        var reopened = (await GetAsync($"sobjects/Case/{first}")).Body;
        Assert.False(reopened.GetProperty("IsClosed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("ClosedDate").ValueKind);
    }

    [Fact]
    public async Task With_an_assignment_rule_new_cases_go_to_the_queue_unless_auto_assign_is_false()
    {
        await AdminAsync("settings", new { autoAssignCasesToQueue = true });
        var assigned = await CreateAsync("Case", new { Subject = "assigned" });
        using var req = new HttpRequestMessage(HttpMethod.Post, U($"{Data}/sobjects/Case")) { Content = JsonContent.Create(new { Subject = "kept" }) };
        req.Headers.Add("Sforce-Auto-Assign", "FALSE");
        var kept = JsonDocument.Parse(await (await Http.SendAsync(req)).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        Assert.StartsWith("00G", (await GetAsync($"sobjects/Case/{assigned}")).Body.GetProperty("OwnerId").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("005", (await GetAsync($"sobjects/Case/{kept}")).Body.GetProperty("OwnerId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Case_contact_fields_mirror_the_contact_without_touching_the_case()
    {
        var contact = await CreateAsync("Contact", new { LastName = "Lovelace", Email = "ada@acme.example", Phone = "+1 555 0100" });
        var caseId = await CreateAsync("Case", new { Subject = "mirror", ContactId = contact });
        var before = (await GetAsync($"sobjects/Case/{caseId}")).Body;
        Assert.Equal("ada@acme.example", before.GetProperty("ContactEmail").GetString());
        Assert.Equal("+1 555 0100", before.GetProperty("ContactPhone").GetString());

        _clock.Advance(TimeSpan.FromMinutes(1));
        await PatchAsync($"sobjects/Contact/{contact}", new { Email = "ada@new.example" });
        var after = (await GetAsync($"sobjects/Case/{caseId}")).Body;
        Assert.Equal("ada@new.example", after.GetProperty("ContactEmail").GetString());
        Assert.Equal(before.GetProperty("SystemModstamp").GetString(), after.GetProperty("SystemModstamp").GetString());
        var readOnly = await PatchAsync($"sobjects/Case/{caseId}", new { ContactEmail = "x@y.z" });
        SingleError(readOnly.Body, "INVALID_FIELD_FOR_INSERT_UPDATE");
    }

    [Fact]
    public async Task Admins_can_add_case_statuses_that_close_cases()
    {
        await AdminAsync("objects/Case/fields/Status/values", new { value = "On Hold" });
        await AdminAsync("objects/Case/fields/Status/values", new { value = "Resolved", isClosed = true });
        var held = await CreateAsync("Case", new { Subject = "h", Status = "On Hold" });
        var resolved = await CreateAsync("Case", new { Subject = "r", Status = "Resolved" });

        Assert.False((await GetAsync($"sobjects/Case/{held}")).Body.GetProperty("IsClosed").GetBoolean());
        Assert.True((await GetAsync($"sobjects/Case/{resolved}")).Body.GetProperty("IsClosed").GetBoolean());
        var status = (await GetAsync("sobjects/Case/describe")).Body.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "Status");
        Assert.Contains(status.GetProperty("picklistValues").EnumerateArray(), v => v.GetProperty("value").GetString() == "On Hold");
        Assert.Equal(2, (await QueryAsync("SELECT count() FROM CaseStatus WHERE IsClosed = true")).GetProperty("totalSize").GetInt32());
    }

    [Theory]
    [InlineData("CaseNumber", "\"123\"")]
    [InlineData("IsClosed", "true")]
    [InlineData("CreatedDate", "\"2024-01-01T00:00:00Z\"")]
    [InlineData("SystemModstamp", "\"2024-01-01T00:00:00Z\"")]
    public async Task Read_only_fields_are_rejected_with_invalid_field_for_insert_update(string field, string json)
    {
        var (status, body, _) = await PostAsync("sobjects/Case", $$"""{"Subject":"x","{{field}}":{{json}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = SingleError(body, "INVALID_FIELD_FOR_INSERT_UPDATE");
        Assert.Equal(field, error.GetProperty("fields")[0].GetString());
        Assert.StartsWith($"Unable to create/update fields: {field}.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_errors_have_the_real_codes_messages_and_fields()
    {
        var required = await PostAsync("sobjects/Contact", new { FirstName = "Ada" });
        Assert.Equal("Required fields are missing: [LastName]", SingleError(required.Body, "REQUIRED_FIELD_MISSING").GetProperty("message").GetString());
        Assert.Equal("LastName", required.Body[0].GetProperty("fields")[0].GetString());

        var tooLong = await PostAsync("sobjects/Case", new { Subject = new string('x', 256) });
        Assert.EndsWith("(max length=255)", SingleError(tooLong.Body, "STRING_TOO_LONG").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Subject: data value too large: ", tooLong.Body[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        await AdminAsync("objects/Case/fields", new { name = "Tier__c", type = "picklist", picklistValues = new[] { "Gold", "Silver" } });
        var picklist = await PostAsync("sobjects/Case", new { Tier__c = "Bronze" });
        Assert.Equal("Tier: bad value for restricted picklist field: Bronze", SingleError(picklist.Body, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST").GetProperty("message").GetString());

        var unknown = await PostAsync("sobjects/Case", new { Foo = "x" });
        Assert.Equal("No such column 'Foo' on sobject of type Case", SingleError(unknown.Body, "INVALID_FIELD").GetProperty("message").GetString());

        var malformedId = await PostAsync("sobjects/Case", new { ContactId = "nope" });
        Assert.Equal("Contact ID: id value of incorrect type: nope", SingleError(malformedId.Body, "MALFORMED_ID").GetProperty("message").GetString());

        var json = await PostAsync("sobjects/Case", "{\"Subject\": ");
        SingleError(json.Body, "JSON_PARSER_ERROR");

        var wrongType = await PostAsync("sobjects/Case", new { IsEscalated = "maybe" });
        SingleError(wrongType.Body, "JSON_PARSER_ERROR");

        var dangling = await PostAsync("sobjects/Case", new { ContactId = SfId.Make("003", 999) });
        SingleError(dangling.Body, "INVALID_CROSS_REFERENCE_KEY");

        await CreateAsync("Case", new { Jira_Key__c = "SUP-9" });
        var duplicate = await PostAsync("sobjects/Case", new { Jira_Key__c = "sup-9" });
        Assert.StartsWith("duplicate value found: Jira_Key__c duplicates value on record with id: 500", SingleError(duplicate.Body, "DUPLICATE_VALUE").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_rules_injected_by_admin_fail_with_field_custom_validation_exception()
    {
        await AdminAsync("validation-rules", new { @object = "Case", field = "Subject", isNull = true, message = "Subject is mandatory for support cases", errorField = "Subject" });
        var (status, body, _) = await PostAsync("sobjects/Case", new { Origin = "Web" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = SingleError(body, "FIELD_CUSTOM_VALIDATION_EXCEPTION");
        Assert.Equal("Subject is mandatory for support cases", error.GetProperty("message").GetString());
        Assert.Equal("Subject", error.GetProperty("fields")[0].GetString());
        Assert.Equal(HttpStatusCode.Created, (await PostAsync("sobjects/Case", new { Subject = "fine" })).Status);
    }

    [Fact]
    public async Task Conditional_requests_honour_if_modified_since_and_if_unmodified_since()
    {
        var id = await CreateAsync("Case", new { Subject = "cached" });
        using var req = new HttpRequestMessage(HttpMethod.Get, U($"{Data}/sobjects/Case/{id}"));
        req.Headers.IfModifiedSince = _clock.GetUtcNow().AddMinutes(1);
        Assert.Equal(HttpStatusCode.NotModified, (await Http.SendAsync(req)).StatusCode);
        using var older = new HttpRequestMessage(HttpMethod.Get, U($"{Data}/sobjects/Case/{id}"));
        older.Headers.IfModifiedSince = _clock.GetUtcNow().AddMinutes(-1);
        Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(older)).StatusCode);

        _clock.Advance(TimeSpan.FromMinutes(5));
        await PatchAsync($"sobjects/Case/{id}", new { Subject = "changed by someone" });
        using var stale = new HttpRequestMessage(HttpMethod.Patch, U($"{Data}/sobjects/Case/{id}")) { Content = JsonContent.Create(new { Subject = "lost update" }) };
        stale.Headers.IfUnmodifiedSince = _clock.GetUtcNow().AddMinutes(-1);
        var conflict = await Http.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, conflict.StatusCode);
        SingleError(JsonDocument.Parse(await conflict.Content.ReadAsStringAsync()).RootElement, "PRECONDITION_FAILED");
        Assert.Equal("changed by someone", (await GetAsync($"sobjects/Case/{id}")).Body.GetProperty("Subject").GetString());
    }

    [Fact]
    public async Task Retrieve_answers_not_found_for_unknown_and_external_looking_ids()
    {
        var unknown = await GetAsync($"sobjects/Case/{SfId.Make("500", 424242)}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("The requested resource does not exist", SingleError(unknown.Body, "NOT_FOUND").GetProperty("message").GetString());
        var notAnId = await GetAsync("sobjects/Case/SUP-1");
        Assert.Equal(HttpStatusCode.NotFound, notAnId.Status);
        Assert.Contains("Provided external ID field does not exist or is not accessible", SingleError(notAnId.Body, "NOT_FOUND").GetProperty("message").GetString(), StringComparison.Ordinal);
        var badField = await GetAsync($"sobjects/Case/{await CreateAsync("Case", new { Subject = "x" })}?fields=Subject,Nope");
        SingleError(badField.Body, "INVALID_FIELD");
    }

    [Fact]
    public async Task Adding_comments_attachments_files_and_links_does_not_touch_the_parent_case()
    {
        var caseId = await CreateAsync("Case", new { Subject = "parent" });
        var before = (await GetAsync($"sobjects/Case/{caseId}")).Body;
        _clock.Advance(TimeSpan.FromMinutes(10));

        await CreateAsync("CaseComment", new { ParentId = caseId, CommentBody = "hi" });
        await CreateAsync("Attachment", new { ParentId = caseId, Name = "a.txt", Body = "aGk=" });
        var version = await CreateAsync("ContentVersion", new { PathOnClient = "b.txt", VersionData = "aGk=", FirstPublishLocationId = caseId });
        var other = await CreateAsync("ContentVersion", new { PathOnClient = "c.txt", VersionData = "aGk=" });
        var doc = (await GetAsync($"sobjects/ContentVersion/{other}?fields=ContentDocumentId")).Body.GetProperty("ContentDocumentId").GetString();
        await CreateAsync("ContentDocumentLink", new { ContentDocumentId = doc, LinkedEntityId = caseId, ShareType = "V" });

        var after = (await GetAsync($"sobjects/Case/{caseId}")).Body;
        Assert.Equal(before.GetProperty("LastModifiedDate").GetString(), after.GetProperty("LastModifiedDate").GetString());
        Assert.Equal(before.GetProperty("SystemModstamp").GetString(), after.GetProperty("SystemModstamp").GetString());
        Assert.NotNull(version);

        await AdminAsync("settings", new { touchParentOnChildInsert = true });
        await CreateAsync("CaseComment", new { ParentId = caseId, CommentBody = "touches now" });
        Assert.NotEqual(before.GetProperty("SystemModstamp").GetString(), (await GetAsync($"sobjects/Case/{caseId}")).Body.GetProperty("SystemModstamp").GetString());
    }

    [Fact]
    public async Task ContentVersion_creates_its_document_and_links_and_blobs_round_trip_as_urls_and_raw_bytes()
    {
        var caseId = await CreateAsync("Case", new { Subject = "files" });
        var bytes = Encoding.UTF8.GetBytes("hello files");
        var version = await CreateAsync("ContentVersion", new { Title = "log", PathOnClient = "log.txt", VersionData = Convert.ToBase64String(bytes), FirstPublishLocationId = caseId });
        var v = (await GetAsync($"sobjects/ContentVersion/{version}")).Body;
        var docId = v.GetProperty("ContentDocumentId").GetString()!;
        Assert.StartsWith("069", docId, StringComparison.Ordinal);
        Assert.Equal($"{Data}/sobjects/ContentVersion/{version}/VersionData", v.GetProperty("VersionData").GetString());
        Assert.Equal(bytes.Length, v.GetProperty("ContentSize").GetInt32());
        Assert.Equal("txt", v.GetProperty("FileExtension").GetString());
        Assert.Equal("TEXT", v.GetProperty("FileType").GetString());
        Assert.Equal("1", v.GetProperty("VersionNumber").GetString());
        Assert.True(v.GetProperty("IsLatest").GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes)), v.GetProperty("Checksum").GetString());

        var links = await QueryAsync($"SELECT LinkedEntityId, ShareType, ContentDocument.Title, ContentDocument.LatestPublishedVersionId FROM ContentDocumentLink WHERE ContentDocumentId = '{docId}'");
        Assert.Equal(2, links.GetProperty("totalSize").GetInt32());
        Assert.Contains(links.GetProperty("records").EnumerateArray(), l => l.GetProperty("LinkedEntityId").GetString() == caseId);
        Assert.Contains(links.GetProperty("records").EnumerateArray(), l => l.GetProperty("LinkedEntityId").GetString()!.StartsWith("005", StringComparison.Ordinal));
        Assert.Equal(version, links.GetProperty("records")[0].GetProperty("ContentDocument").GetProperty("LatestPublishedVersionId").GetString());

        var blob = await Http.GetAsync(U($"{Data}/sobjects/ContentVersion/{version}/VersionData"));
        Assert.Equal(bytes, await blob.Content.ReadAsByteArrayAsync());

        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await CreateAsync("ContentVersion", new { ContentDocumentId = docId, PathOnClient = "log.txt", VersionData = "djI=" });
        var first = (await GetAsync($"sobjects/ContentVersion/{version}?fields=IsLatest,LastModifiedDate,SystemModstamp")).Body;
        Assert.False(first.GetProperty("IsLatest").GetBoolean());
        Assert.Equal("2026-11-26T17:42:00.000+0000", first.GetProperty("LastModifiedDate").GetString());
        Assert.Equal("2026-11-26T17:43:00.000+0000", first.GetProperty("SystemModstamp").GetString()); // system change
        var latest = await QueryAsync($"SELECT Id, VersionNumber FROM ContentVersion WHERE ContentDocumentId = '{docId}' AND IsLatest = true");
        Assert.Equal(second, latest.GetProperty("records")[0].GetProperty("Id").GetString());
        Assert.Equal("2", latest.GetProperty("records")[0].GetProperty("VersionNumber").GetString());
    }

    [Fact]
    public async Task Deleting_a_content_document_deletes_its_versions_and_links()
    {
        var caseId = await CreateAsync("Case", new { Subject = "files" });
        var version = await CreateAsync("ContentVersion", new { PathOnClient = "a.txt", VersionData = "aGk=", FirstPublishLocationId = caseId });
        var doc = (await GetAsync($"sobjects/ContentVersion/{version}?fields=ContentDocumentId")).Body.GetProperty("ContentDocumentId").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"sobjects/ContentDocument/{doc}")).Status);

        Assert.Equal(0, (await QueryAsync($"SELECT count() FROM ContentVersion WHERE ContentDocumentId = '{doc}'")).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await QueryAsync($"SELECT count() FROM ContentDocumentLink WHERE LinkedEntityId = '{caseId}'")).GetProperty("totalSize").GetInt32());
        Assert.Equal(1, (await QueryAsync($"SELECT count() FROM ContentDocument WHERE Id = '{doc}' AND IsDeleted = true", all: true)).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task A_content_post_in_a_case_feed_links_the_file_to_the_case()
    {
        var caseId = await CreateAsync("Case", new { Subject = "feed" });
        var version = await CreateAsync("ContentVersion", new { PathOnClient = "shot.png", VersionData = "iVBORw0=" });
        await CreateAsync("FeedItem", new { ParentId = caseId, Type = "ContentPost", Body = "see attached", RelatedRecordId = version });

        var links = await QueryAsync($"SELECT ContentDocument.Title, ContentDocument.FileType FROM ContentDocumentLink WHERE LinkedEntityId = '{caseId}'");
        Assert.Equal("shot", links.GetProperty("records")[0].GetProperty("ContentDocument").GetProperty("Title").GetString());
        Assert.Equal("PNG", links.GetProperty("records")[0].GetProperty("ContentDocument").GetProperty("FileType").GetString());
        var feeds = await QueryAsync($"SELECT Id, (SELECT Type, Body FROM Feeds) FROM Case WHERE Id = '{caseId}'");
        Assert.Equal("ContentPost", feeds.GetProperty("records")[0].GetProperty("Feeds").GetProperty("records")[0].GetProperty("Type").GetString());
    }

    [Fact]
    public async Task Attachment_body_is_base64_in_url_out_and_raw_bytes_from_the_blob_endpoint()
    {
        var caseId = await CreateAsync("Case", new { Subject = "a" });
        var id = await CreateAsync("Attachment", new { ParentId = caseId, Name = "log.txt", ContentType = "text/plain", Body = "aGVsbG8=" });
        var row = (await QueryAsync($"SELECT Body, BodyLength, Name FROM Attachment WHERE ParentId = '{caseId}'")).GetProperty("records")[0];
        Assert.Equal($"{Data}/sobjects/Attachment/{id}/Body", row.GetProperty("Body").GetString());
        Assert.Equal(5, row.GetProperty("BodyLength").GetInt32());
        Assert.Equal("hello", await Http.GetStringAsync(U($"{Data}/sobjects/Attachment/{id}/Body")));
    }

    [Fact]
    public async Task Multipart_upload_takes_the_json_part_under_any_name_and_the_blob_part_by_field_name()
    {
        var bytes = new byte[] { 0, 1, 2, 250, 251, 252 };
        using var form = new MultipartFormDataContent();
        var json = new StringContent("""{"PathOnClient":"bin.dat","Title":"binary"}""", Encoding.UTF8);
        json.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(json, "entity_content");
        var blob = new ByteArrayContent(bytes);
        blob.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(blob, "VersionData", "bin.dat");
        var res = await Http.PostAsync(U($"{Data}/sobjects/ContentVersion"), form);
        var body = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);

        Assert.Equal(bytes, await Http.GetByteArrayAsync(U($"{Data}/sobjects/ContentVersion/{body.GetProperty("id").GetString()}/VersionData")));
    }

    [Fact]
    public async Task ContentDocumentLink_queries_must_filter_by_document_or_entity_with_equals_or_in()
    {
        var (status, body, _) = await GetAsync("query?q=" + Uri.EscapeDataString("SELECT Id FROM ContentDocumentLink"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId", SingleError(body, "MALFORMED_QUERY").GetProperty("message").GetString(), StringComparison.Ordinal);

        var notIn = await GetAsync("query?q=" + Uri.EscapeDataString($"SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId NOT IN ('{SfId.Make("500", 1)}')"));
        Assert.Equal(HttpStatusCode.BadRequest, notIn.Status);

        var caseId = await CreateAsync("Case", new { Subject = "x" });
        await CreateAsync("ContentVersion", new { PathOnClient = "f.txt", VersionData = "aGk=", FirstPublishLocationId = caseId });
        Assert.Equal(1, (await QueryAsync($"SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId IN ('{caseId}')")).GetProperty("totalSize").GetInt32());
        Assert.Equal(1, (await QueryAsync("SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId IN (SELECT Id FROM Case WHERE Subject = 'x')")).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Recycle_bin_hides_deleted_rows_from_query_shows_them_in_queryAll_and_refuses_to_touch_them()
    {
        var id = await CreateAsync("Case", new { Subject = "bin" });
        var comment = await CreateAsync("CaseComment", new { ParentId = id, CommentBody = "c" });
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"sobjects/Case/{id}")).Status);

        Assert.Equal(0, (await QueryAsync($"SELECT Id FROM Case WHERE Id = '{id}'")).GetProperty("totalSize").GetInt32());
        var all = await QueryAsync($"SELECT Id, IsDeleted FROM Case WHERE Id = '{id}'", all: true);
        Assert.True(all.GetProperty("records")[0].GetProperty("IsDeleted").GetBoolean());
        Assert.Equal(1, (await QueryAsync($"SELECT Id FROM CaseComment WHERE Id = '{comment}' AND IsDeleted = true", all: true)).GetProperty("totalSize").GetInt32());

        var again = await DeleteAsync($"sobjects/Case/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Equal("""[{"message":"entity is deleted","errorCode":"ENTITY_IS_DELETED","fields":[]}]""", again.Body.GetRawText());
        var update = await PatchAsync($"sobjects/Case/{id}", new { Subject = "zombie" });
        Assert.Equal(HttpStatusCode.NotFound, update.Status);
        SingleError(update.Body, "ENTITY_IS_DELETED");
    }

    [Fact]
    public async Task Updated_and_deleted_windows_truncate_to_the_minute_and_report_latest_date_covered()
    {
        var start = _clock.GetUtcNow();
        var kept = await CreateAsync("Case", new { Subject = "kept" });
        var gone = await CreateAsync("Case", new { Subject = "gone" });
        _clock.Advance(TimeSpan.FromMinutes(2));
        await DeleteAsync($"sobjects/Case/{gone}");
        _clock.Advance(TimeSpan.FromMinutes(3).Add(TimeSpan.FromSeconds(30)));
        static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("yyyy-MM-dd'T'HH:mm:ss+00:00", System.Globalization.CultureInfo.InvariantCulture));

        var updated = (await GetAsync($"sobjects/Case/updated/?start={Iso(start.AddSeconds(30))}&end={Iso(_clock.GetUtcNow().AddHours(1))}")).Body;
        Assert.Equal([kept], updated.GetProperty("ids").EnumerateArray().Select(i => i.GetString()!).ToArray());
        Assert.Equal("2026-11-26T17:47:00.000+0000", updated.GetProperty("latestDateCovered").GetString());

        var deleted = (await GetAsync($"sobjects/Case/deleted?start={Iso(start)}&end={Iso(_clock.GetUtcNow())}")).Body;
        Assert.Equal(gone, deleted.GetProperty("deletedRecords")[0].GetProperty("id").GetString());
        Assert.Equal("2026-11-26T17:44:00.000+0000", deleted.GetProperty("deletedRecords")[0].GetProperty("deletedDate").GetString());
        Assert.True(deleted.TryGetProperty("earliestDateAvailable", out _));

        var backwards = await GetAsync($"sobjects/Case/updated?start={Iso(_clock.GetUtcNow())}&end={Iso(start)}");
        SingleError(backwards.Body, "INVALID_REPLICATION_DATE");
        var tooOld = await GetAsync($"sobjects/Case/updated?start={Iso(start.AddDays(-31))}&end={Iso(start)}");
        SingleError(tooOld.Body, "INVALID_REPLICATION_DATE");
    }

    [Fact]
    public async Task Describe_covers_the_standard_objects_with_every_field_key()
    {
        string[] keys = ["aggregatable", "aiPredictionField", "autoNumber", "byteLength", "calculated", "calculatedFormula", "cascadeDelete", "caseSensitive", "compoundFieldName", "controllerName", "createable", "custom", "defaultValue", "defaultValueFormula", "defaultedOnCreate", "dependentPicklist", "deprecatedAndHidden", "digits", "displayLocationInDecimal", "encrypted", "externalId", "extraTypeInfo", "filterable", "filteredLookupInfo", "formulaTreatNullNumberAsZero", "groupable", "highScaleNumber", "htmlFormatted", "idLookup", "inlineHelpText", "label", "length", "mask", "maskType", "name", "nameField", "namePointing", "nillable", "permissionable", "picklistValues", "polymorphicForeignKey", "precision", "queryByDistance", "referenceTargetField", "referenceTo", "relationshipName", "relationshipOrder", "restrictedDelete", "restrictedPicklist", "scale", "searchPrefilterable", "soapType", "sortable", "type", "unique", "updateable", "writeRequiresMasterRead"];
        var global = (await GetAsync("sobjects")).Body;
        Assert.Equal(200, global.GetProperty("maxBatchSize").GetInt32());
        foreach (var (name, prefix) in new[] { ("Case", "500"), ("CaseComment", "00a"), ("User", "005"), ("Group", "00G"), ("Attachment", "00P"), ("ContentVersion", "068"), ("ContentDocument", "069"), ("ContentDocumentLink", "06A"), ("EmailMessage", "02s"), ("FeedItem", "0D5"), ("Account", "001"), ("Contact", "003") })
        {
            Assert.Contains(global.GetProperty("sobjects").EnumerateArray(), s => s.GetProperty("name").GetString() == name && s.GetProperty("keyPrefix").GetString() == prefix);
            var d = (await GetAsync($"sobjects/{name}/describe")).Body;
            Assert.Equal(name, d.GetProperty("name").GetString());
            foreach (var field in d.GetProperty("fields").EnumerateArray())
            {
                Assert.All(keys, k => Assert.True(field.TryGetProperty(k, out _), $"{name}.{field.GetProperty("name").GetString()} lacks {k}"));
            }
        }

        var caseDescribe = (await GetAsync("sobjects/Case/describe")).Body;
        var owner = caseDescribe.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "OwnerId");
        Assert.Equal(["User", "Group"], owner.GetProperty("referenceTo").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Equal("Owner", owner.GetProperty("relationshipName").GetString());
        var jira = caseDescribe.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "Jira_Key__c");
        Assert.True(jira.GetProperty("externalId").GetBoolean());
        Assert.True(jira.GetProperty("custom").GetBoolean());
        var subject = caseDescribe.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "Subject");
        Assert.Equal(255, subject.GetProperty("length").GetInt32());
        Assert.Contains(caseDescribe.GetProperty("childRelationships").EnumerateArray(), c => c.GetProperty("relationshipName").GetString() == "CaseComments");
        var basic = (await GetAsync("sobjects/Case")).Body;
        Assert.Equal("500", basic.GetProperty("objectDescribe").GetProperty("keyPrefix").GetString());
    }

    [Fact]
    public async Task Custom_objects_and_fields_behave_like_standard_ones()
    {
        var obj = await AdminAsync("objects", new { name = "Ticket__c", label = "Ticket", labelPlural = "Tickets" });
        Assert.StartsWith("a0", obj.GetProperty("keyPrefix").GetString(), StringComparison.Ordinal);
        await AdminAsync("objects/Ticket__c/fields", new { name = "Ext__c", type = "string", length = 40, externalId = true });
        await AdminAsync("objects/Ticket__c/fields", new { name = "Case__c", type = "reference", referenceTo = "Case", childRelationshipName = "Tickets__r" });
        await AdminAsync("objects/Ticket__c/fields", new { name = "Points__c", type = "number" });
        var caseId = await CreateAsync("Case", new { Subject = "with tickets" });

        var id = await CreateAsync("Ticket__c", new { Name = "T-1", Ext__c = "E1", Case__c = caseId, Points__c = 3 });
        Assert.StartsWith(obj.GetProperty("keyPrefix").GetString()!, id, StringComparison.Ordinal);
        var upsert = await PatchAsync("sobjects/Ticket__c/Ext__c/E1", new { Points__c = 5 });
        Assert.Equal(HttpStatusCode.OK, upsert.Status);
        Assert.False(upsert.Body.GetProperty("created").GetBoolean());

        var rows = await QueryAsync("SELECT Name, Points__c, Case__r.Subject FROM Ticket__c WHERE Points__c > 4");
        var row = rows.GetProperty("records")[0];
        Assert.Equal(5, row.GetProperty("Points__c").GetInt32());
        Assert.Equal("with tickets", row.GetProperty("Case__r").GetProperty("Subject").GetString());
        var parent = await QueryAsync($"SELECT Id, (SELECT Name FROM Tickets__r) FROM Case WHERE Id = '{caseId}'");
        Assert.Equal("T-1", parent.GetProperty("records")[0].GetProperty("Tickets__r").GetProperty("records")[0].GetProperty("Name").GetString());
        var describe = (await GetAsync("sobjects/Ticket__c/describe")).Body;
        Assert.True(describe.GetProperty("custom").GetBoolean());
        Assert.True(describe.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "Ext__c").GetProperty("externalId").GetBoolean());
    }

    [Fact]
    public async Task Upsert_by_external_id_creates_updates_and_answers_300_when_several_match()
    {
        await AdminAsync("objects/Case/fields", new { name = "Legacy_Key__c", type = "string", externalId = true });
        var created = await PatchAsync("sobjects/Case/Jira_Key__c/SUP-7", new { Subject = "new" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.True(created.Body.GetProperty("created").GetBoolean());
        var updated = await PatchAsync("sobjects/Case/Jira_Key__c/SUP-7", new { Subject = "edited" });
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal(created.Body.GetProperty("id").GetString(), updated.Body.GetProperty("id").GetString());
        var old = await SendAsync(HttpMethod.Patch, "/services/data/v45.0/sobjects/Case/Jira_Key__c/SUP-7", new { Subject = "old api" });
        Assert.Equal(HttpStatusCode.NoContent, old.Status);

        await CreateAsync("Case", new { Legacy_Key__c = "L1" });
        await CreateAsync("Case", new { Legacy_Key__c = "L1" });
        var ambiguous = await PatchAsync("sobjects/Case/Legacy_Key__c/L1", new { Subject = "which?" });
        Assert.Equal(HttpStatusCode.MultipleChoices, ambiguous.Status);
        Assert.Equal(2, ambiguous.Body.GetArrayLength());
        Assert.StartsWith($"{Data}/sobjects/Case/500", ambiguous.Body[0].GetString(), StringComparison.Ordinal);

        var byExt = await GetAsync("sobjects/Case/Jira_Key__c/SUP-7");
        Assert.Equal("old api", byExt.Body.GetProperty("Subject").GetString());
        var notExternal = await PatchAsync("sobjects/Case/Subject/x", new { Status = "New" });
        Assert.Equal(HttpStatusCode.NotFound, notExternal.Status);
        SingleError(notExternal.Body, "NOT_FOUND");
    }
}
