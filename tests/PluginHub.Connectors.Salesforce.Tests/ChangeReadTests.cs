using Microsoft.Extensions.Time.Testing;
using PluginHub.Connectors.Abstractions;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>An org whose clock stands still ten minutes ago: every record it writes shares one SystemModstamp, already settled.</summary>
public sealed class FrozenSalesforceSandbox : SalesforceSandbox
{
    public FakeTimeProvider Frozen { get; } = new(new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-10).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero));

    protected override TimeProvider? Clock => Frozen;
}

/// <summary>Incremental reads where many records share one SystemModstamp: paged with queryMore, resumed by the Id tie-break.</summary>
public sealed class EqualTimestampReadTests(FrozenSalesforceSandbox sandbox, ITestOutputHelper output) : IClassFixture<FrozenSalesforceSandbox>
{
    [Fact]
    public async Task Ten_thousand_records_with_one_SystemModstamp_are_read_once_in_2000_record_pages_and_resumed_inside_the_group()
    {
        var stamp = sandbox.Frozen.GetUtcNow();
        await sandbox.AdminAsync("import", new { records = new { Case = Enumerable.Range(0, 10_000).Select(i => new { Subject = $"bulk {i}" }).ToArray() } });
        await using var connector = sandbox.Connect(output);
        await connector.DescribeEntityAsync("Case", null, CancellationToken.None); // describe is cached: only queries are counted below
        await sandbox.ResetMetricsAsync();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var pages = await ReadAsync(connector, new ChangeQuery { Entity = "Case", Fields = ["Subject"], InitialSince = stamp.AddSeconds(-1) });

        var ids = pages.SelectMany(p => p.Records).Select(r => r.Ref.Id).ToList();
        output.WriteLine($"10,000 records in {pages.Count} pages, {started.ElapsedMilliseconds} ms, {await sandbox.CallsAsync("/query")} query calls");
        Assert.Equal(10_000, ids.Count);
        Assert.Equal(10_000, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(5, pages.Count);
        Assert.All(pages, p => Assert.Equal(2_000, p.Records.Count));
        Assert.Equal(5, await sandbox.CallsAsync("/query")); // one query and four queryMore calls
        Assert.True(pages.SelectMany(p => p.Records).All(r => r.Version.StartsWith(pages[0].Records[0].Version.Split('/')[0], StringComparison.Ordinal)), "one SystemModstamp");

        // Resuming inside the group reads exactly the rest of it; resuming after the last page reads nothing: not forever.
        var rest = await ReadAsync(connector, new ChangeQuery { Entity = "Case", Fields = ["Subject"], Watermark = pages[1].Checkpoint });
        Assert.Equal(ids.Skip(4_000), rest.SelectMany(p => p.Records).Select(r => r.Ref.Id));
        var idle = await ReadAsync(connector, new ChangeQuery { Entity = "Case", Fields = ["Subject"], Watermark = pages[^1].Checkpoint });
        Assert.Empty(idle.SelectMany(p => p.Records));
        Assert.Single(idle);

        // A later change is found from the last checkpoint, alone.
        sandbox.Frozen.Advance(TimeSpan.FromSeconds(1));
        var edited = await connector.WriteAsync([new RecordWrite { Operation = WriteOperation.Update, Entity = "Case", Id = ids[1234], Fields = new Dictionary<string, FieldValue> { ["Subject"] = new TextValue("edited") } }], CancellationToken.None);
        Assert.True(edited[0].Succeeded, edited[0].Error?.Message);
        var next = await ReadAsync(connector, new ChangeQuery { Entity = "Case", Fields = ["Subject"], Watermark = pages[^1].Checkpoint });
        var record = Assert.Single(next.SelectMany(p => p.Records));
        Assert.Equal(ids[1234], record.Ref.Id);
        Assert.Equal(new TextValue("edited"), record.Fields["Subject"]);
    }

    private static async Task<List<ChangePage>> ReadAsync(IChangeReader reader, ChangeQuery query)
    {
        var pages = new List<ChangePage>();
        await foreach (var page in reader.ReadChangesAsync(query, CancellationToken.None))
        {
            pages.Add(page);
            Assert.True(pages.Count < 100, "the read does not end");
        }

        return pages;
    }
}

/// <summary>Incremental reads: paging, deletions, filters, user fields and who changed a record.</summary>
public sealed class ChangeReadTests(SalesforceSandbox sandbox, ITestOutputHelper output) : IClassFixture<SalesforceSandbox>
{
    [Fact]
    public async Task Pages_follow_nextRecordsUrl_with_the_page_size_hint_and_each_ends_in_a_checkpoint()
    {
        await using var connector = sandbox.Connect(output);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var since = TimeProvider.System.GetUtcNow().AddSeconds(-2);
        await sandbox.AdminAsync("import", new { records = new { Case = Enumerable.Range(0, 450).Select(i => new { Subject = $"{tag} {i}" }).ToArray() } });
        await connector.DescribeEntityAsync("Case", null, CancellationToken.None);
        await sandbox.ResetMetricsAsync();

        var pages = new List<ChangePage>();
        await foreach (var page in connector.ReadChangesAsync(new ChangeQuery { Entity = "Case", Fields = ["Subject"], InitialSince = since, Filter = $"Subject LIKE '{tag}%'", PageSizeHint = 200 }, CancellationToken.None))
        {
            pages.Add(page);
        }

        Assert.Equal([200, 200, 50], pages.Select(p => p.Records.Count));
        Assert.Equal(450, pages.SelectMany(p => p.Records).Select(r => r.Ref.Id).Distinct(StringComparer.Ordinal).Count());
        var metrics = await sandbox.MetricsAsync();
        Assert.Equal(1, metrics.GetValueOrDefault("GET /services/data/v{version}/query"));
        Assert.Equal(2, metrics.GetValueOrDefault("GET /services/data/v{version}/query/{locator}"));
        Assert.All(pages, p => Assert.Contains("\"t\"", p.Checkpoint, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleted_records_come_from_queryAll_only_when_asked()
    {
        await using var connector = sandbox.Connect(output);
        var since = TimeProvider.System.GetUtcNow().AddSeconds(-2);
        var id = await sandbox.CreateAsync("Case", new { Subject = "to delete" });
        Assert.Equal(204, (await sandbox.RestAsync(HttpMethod.Delete, $"sobjects/Case/{id}")).Status);

        var without = await AllAsync(connector, new ChangeQuery { Entity = "Case", Fields = ["Subject"], InitialSince = since });
        var with = await AllAsync(connector, new ChangeQuery { Entity = "Case", Fields = ["Subject"], InitialSince = since, IncludeDeleted = true });

        Assert.DoesNotContain(without, r => r.Ref.Id == id);
        var deleted = Assert.Single(with, r => r.Ref.Id == id);
        Assert.True(deleted.Deleted);
    }

    [Fact]
    public async Task User_fields_carry_the_email_and_the_record_says_who_changed_it()
    {
        await using var connector = sandbox.Connect(output);
        var since = TimeProvider.System.GetUtcNow().AddSeconds(-2);
        var id = await sandbox.CreateAsync("Case", new { Subject = "by the agent" }, "agent@pluginhub.test", "agent-passwordAGENTTOKEN");

        var records = await AllAsync(connector, new ChangeQuery { Entity = "Case", Fields = ["Subject", "OwnerId", "Status", "NoSuchField__c"], InitialSince = since });

        var record = Assert.Single(records, r => r.Ref.Id == id);
        var owner = Assert.IsType<UserValue>(record.Fields["OwnerId"]);
        Assert.Equal("agent@pluginhub.test", owner.User.Email);
        Assert.Equal("agent@pluginhub.test", record.ModifiedBy?.Email);
        Assert.StartsWith("005", record.ModifiedBy!.Id, StringComparison.Ordinal);
        Assert.Equal("New", Assert.IsType<ChoiceValue>(record.Fields["Status"]).Key);
        Assert.False(record.Fields.ContainsKey("NoSuchField__c"));
        Assert.Matches("^[0-9]{8}$", record.Ref.DisplayKey);
    }

    [Fact]
    public async Task A_bad_filter_is_a_configuration_failure_naming_the_problem()
    {
        await using var connector = sandbox.Connect(output);

        var error = await Assert.ThrowsAnyAsync<ConnectorException>(() => AllAsync(connector, new ChangeQuery { Entity = "Case", Fields = ["Subject"], InitialSince = TimeProvider.System.GetUtcNow(), Filter = "NoSuchField__c = 1" }));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Equal("INVALID_FIELD", error.RemoteCode);
    }

    private static async Task<List<PluginHub.Connectors.Abstractions.Record>> AllAsync(IChangeReader reader, ChangeQuery query)
    {
        var records = new List<PluginHub.Connectors.Abstractions.Record>();
        await foreach (var page in reader.ReadChangesAsync(query, CancellationToken.None))
        {
            records.AddRange(page.Records);
        }

        return records;
    }
}
