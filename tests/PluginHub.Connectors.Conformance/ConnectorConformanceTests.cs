using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Testing;
using Xunit;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Conformance;

/// <summary>
/// What every connector must do, as tests. A connector's test project derives one class per system flavour, points it at a
/// live system or a sandbox (never a mock) and supplies the members below; the inherited facts then run against it.
/// </summary>
/// <remarks>
/// <para>Tests of an optional capability run their assertions only when the connector implements it;
/// <see cref="Manifest_declares_exactly_the_implemented_capabilities"/> keeps that honest by comparing the interfaces
/// with <c>connector.json</c>.</para>
/// <para>Records are created with unique texts, so that a suite may run against a system that holds other data; it never
/// deletes anything.</para>
/// </remarks>
public abstract class ConnectorConformanceTests(ITestOutputHelper output)
{
    /// <summary>The test output, also where connector logs go.</summary>
    protected ITestOutputHelper Output { get; } = output;

    /// <summary>The plugin's entry point.</summary>
    protected abstract IConnectorFactory Factory { get; }

    /// <summary>Settings that work.</summary>
    protected abstract JsonElement GoodSettings { get; }

    /// <summary>Settings of a reachable system with credentials it refuses: <see cref="IConnector.CheckAsync"/> must answer Configuration.</summary>
    protected abstract JsonElement WrongCredentialSettings { get; }

    /// <summary>Settings pointing at an address where nothing listens: <see cref="IConnector.CheckAsync"/> must answer Transient.</summary>
    protected abstract JsonElement UnreachableSettings { get; }

    /// <summary>The entity the suite reads and writes (<c>Case</c>, <c>Task</c>).</summary>
    protected abstract string Entity { get; }

    /// <summary>The container scope for <see cref="Entity"/> (<c>{"project": "SUP"}</c>); null for none.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Scope => null;

    /// <summary>A writable text field of <see cref="Entity"/> that the suite sets and edits.</summary>
    protected abstract string TextField { get; }

    /// <summary>The fields of a valid create whose <see cref="TextField"/> is <paramref name="text"/>.</summary>
    /// <param name="text">A unique text.</param>
    protected abstract IReadOnlyDictionary<string, FieldValue> NewRecord(string text);

    /// <summary>A well-formed id of <see cref="Entity"/> that does not exist.</summary>
    protected abstract string MissingId { get; }

    /// <summary>Where correlation ids are stored and searched.</summary>
    protected abstract CorrelationLocation Correlation { get; }

    /// <summary>An external-id field to upsert on; null when the system has no upsert (then an upsert must fail per record).</summary>
    protected virtual string? UpsertKeyField => null;

    /// <summary>
    /// Makes the remote system post changes of <see cref="Entity"/> to <paramref name="listener"/> (through the connector's
    /// <see cref="IWebhookReceiver.EnsureRegisteredAsync"/>, or the system's own set-up where registration is manual), signed with
    /// <paramref name="secret"/> where the system signs. Only called for connectors that implement <see cref="IWebhookReceiver"/>.
    /// </summary>
    /// <param name="listener">Where deliveries must go.</param>
    /// <param name="secret">The signing secret.</param>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <returns>What genuine deliveries verify against.</returns>
    protected abstract Task<WebhookVerification> ArrangeDeliveriesAsync(Uri listener, string secret, CancellationToken cancellationToken);

    /// <summary>The remote system's clock, for "since" bounds (a sandbox in this process shares the machine's).</summary>
    protected virtual TimeProvider Clock => TimeProvider.System;

    /// <summary>How long to wait for a delivery to arrive.</summary>
    protected virtual TimeSpan DeliveryTimeout => TimeSpan.FromSeconds(20);

    /// <summary>Creates a connector with <paramref name="settings"/> (<see cref="GoodSettings"/> by default).</summary>
    /// <param name="settings">The settings; null for <see cref="GoodSettings"/>.</param>
    protected IConnector Connect(JsonElement? settings = null) => Factory.Create(new ConnectorContext
    {
        ConnectionId = "conformance",
        Settings = settings ?? GoodSettings,
        LoggerFactory = LoggerFactory.Create(b => b.AddTestOutput(Output, LogLevel.Debug)),
    });

    [Fact]
    public async Task Check_with_good_settings_is_healthy()
    {
        await using var connector = Connect();

        var result = await connector.CheckAsync(CancellationToken.None);

        Assert.True(result.Healthy, result.Message);
        Assert.Null(result.FailureKind);
    }

    [Fact]
    public async Task Check_with_wrong_credentials_is_a_configuration_failure()
    {
        await using var connector = Connect(WrongCredentialSettings);

        var result = await connector.CheckAsync(CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Equal(FailureKind.Configuration, result.FailureKind);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
    }

    [Fact]
    public async Task Check_of_an_unreachable_system_is_a_transient_failure()
    {
        await using var connector = Connect(UnreachableSettings);

        var result = await connector.CheckAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.False(result.Healthy);
        Assert.Equal(FailureKind.Transient, result.FailureKind);
    }

    [Fact]
    public async Task Manifest_declares_exactly_the_implemented_capabilities()
    {
        await using var connector = Connect();
        var folder = Path.GetDirectoryName(Factory.GetType().Assembly.Location)!;
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "connector.json")));

        var declared = manifest.RootElement.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()!).Order(StringComparer.Ordinal);

        Assert.Equal(ConnectorCapabilities.ImplementedBy(connector.GetType()), declared);
        var contract = manifest.RootElement.GetProperty("contract").GetString()!.Split('.');
        Assert.Equal(ContractVersion.Major, int.Parse(contract[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(int.Parse(contract[1], System.Globalization.CultureInfo.InvariantCulture) <= ContractVersion.Minor);
    }

    [Fact]
    public async Task Lists_and_describes_the_entity()
    {
        await using var connector = Connect();

        var entities = await connector.ListEntitiesAsync(Scope, CancellationToken.None);
        var schema = await connector.DescribeEntityAsync(Entity, Scope, CancellationToken.None);

        Assert.Contains(entities, e => e.Name == Entity);
        Assert.Equal(Entity, schema.Name);
        Assert.False(string.IsNullOrEmpty(schema.KeyField));
        Assert.Equal(schema.Fields.Count, schema.Fields.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count());
        var text = Assert.Single(schema.Fields, f => f.Name == TextField);
        Assert.Contains(text.Type, new[] { FieldType.Text, FieldType.RichText });
        Assert.False(text.ReadOnly);
        Assert.All(schema.Fields.Where(f => f.Type == FieldType.Choice && f.AllowedValues.Count > 0),
            f => Assert.All(f.AllowedValues, v => Assert.False(string.IsNullOrEmpty(v.Key))));
        if (Correlation.Field is { } correlationField && correlationField != "labels")
        {
            Assert.Contains(schema.Fields, f => f.Name == correlationField && f.CanHoldCorrelationId);
        }
    }

    [Fact]
    public async Task Describing_an_unknown_entity_is_not_found()
    {
        await using var connector = Connect();

        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.DescribeEntityAsync("NoSuchEntity_" + Guid.NewGuid().ToString("N")[..8], Scope, CancellationToken.None));

        Assert.Equal(FailureKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task Created_records_are_read_back_by_id_and_missing_ids_are_absent()
    {
        await using var connector = Connect();
        var writer = Assert.IsAssignableFrom<IRecordWriter>(connector);
        var reader = Assert.IsAssignableFrom<IRecordReader>(connector);
        var texts = new[] { Unique("read-a"), Unique("read-b") };

        var created = await CreateAsync(writer, texts);
        var read = await reader.ReadByIdsAsync(Entity, [created[0].Id, MissingId, created[1].Id], [TextField], CancellationToken.None);

        Assert.Equal(created.Select(r => r.Id).Order(), read.Select(r => r.Ref.Id).Order());
        Assert.All(read, r =>
        {
            Assert.Equal(Entity, r.Ref.Entity);
            Assert.False(string.IsNullOrEmpty(r.Version));
            Assert.Equal(texts[Array.FindIndex(created, c => c.Id == r.Ref.Id)], PlainText(r.Fields[TextField]));
        });
    }

    [Fact]
    public async Task Incremental_read_finds_creates_and_edits_and_resumes_from_any_checkpoint_without_loss()
    {
        await using var connector = Connect();
        var writer = Assert.IsAssignableFrom<IRecordWriter>(connector);
        var changes = Assert.IsAssignableFrom<IChangeReader>(connector);
        var since = Clock.GetUtcNow().AddSeconds(-5);
        var created = await CreateAsync(writer, [Unique("inc-1"), Unique("inc-2"), Unique("inc-3"), Unique("inc-4"), Unique("inc-5")]);
        var ids = created.Select(r => r.Id).ToHashSet();

        var pages = await ReadAllAsync(changes, watermark: null, since);
        Assert.All(pages, p => Assert.False(string.IsNullOrEmpty(p.Checkpoint)));
        Assert.Subset(pages.SelectMany(p => p.Records).Select(r => r.Ref.Id).ToHashSet(), ids);

        // A run that stopped after any page resumes from that page's checkpoint and still sees every change after it.
        for (var i = 0; i < pages.Count; i++)
        {
            var before = pages.Take(i + 1).SelectMany(p => p.Records).Select(r => r.Ref.Id);
            var resumed = await ReadAllAsync(changes, pages[i].Checkpoint, since);
            Assert.Subset(before.Concat(resumed.SelectMany(p => p.Records).Select(r => r.Ref.Id)).ToHashSet(), ids);
        }

        var edited = Unique("inc-edited");
        var update = await writer.WriteAsync([Update(created[2].Id, edited)], CancellationToken.None);
        Assert.True(update[0].Succeeded, update[0].Error?.Message);
        var afterEdit = await ReadAllAsync(changes, pages[^1].Checkpoint, since);
        Assert.Contains(afterEdit.SelectMany(p => p.Records), r => r.Ref.Id == created[2].Id && PlainText(r.Fields[TextField]) == edited);

        // Nothing changed since: resuming may re-read the overlap, but never a version it has not returned before, and it ends.
        var seen = pages.Concat(afterEdit).SelectMany(p => p.Records).Select(r => (r.Ref.Id, r.Version)).ToHashSet();
        var idle = await ReadAllAsync(changes, afterEdit.Count > 0 ? afterEdit[^1].Checkpoint : pages[^1].Checkpoint, since);
        Assert.All(idle.SelectMany(p => p.Records).Where(r => ids.Contains(r.Ref.Id)), r => Assert.Contains((r.Ref.Id, r.Version), seen));
    }

    [Fact]
    public async Task A_first_read_without_history_starts_now_and_its_checkpoint_catches_later_changes()
    {
        await using var connector = Connect();
        var writer = Assert.IsAssignableFrom<IRecordWriter>(connector);
        var changes = Assert.IsAssignableFrom<IChangeReader>(connector);

        var first = await ReadAllAsync(changes, watermark: null, since: null);
        Assert.NotEmpty(first);
        var created = await CreateAsync(writer, [Unique("later")]);
        var next = await ReadAllAsync(changes, first[^1].Checkpoint, since: null);

        Assert.Contains(next.SelectMany(p => p.Records), r => r.Ref.Id == created[0].Id);
    }

    [Fact]
    public async Task A_create_with_a_correlation_id_is_found_by_it()
    {
        await using var connector = Connect();
        var writer = Assert.IsAssignableFrom<IRecordWriter>(connector);
        var reader = Assert.IsAssignableFrom<IRecordReader>(connector);
        var correlationId = "ph-" + Guid.NewGuid().ToString("N");
        var write = new RecordWrite
        {
            Operation = WriteOperation.Create,
            Entity = Entity,
            Scope = Scope,
            CorrelationId = correlationId,
            Correlation = Correlation,
            Fields = NewRecord(Unique("correlated")),
        };

        var result = Assert.Single(await writer.WriteAsync([write], CancellationToken.None));
        var found = await reader.FindByCorrelationIdsAsync(Entity, [correlationId, "ph-" + Guid.NewGuid().ToString("N")], Scope, Correlation, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.True(result.Created);
        var match = Assert.Single(found);
        Assert.Equal(correlationId, match.Key);
        Assert.Equal(result.Record!.Id, match.Value.Id);
    }

    [Fact]
    public async Task Upsert_by_external_key_is_idempotent_or_fails_per_record_where_there_is_no_upsert()
    {
        await using var connector = Connect();
        var writer = Assert.IsAssignableFrom<IRecordWriter>(connector);
        var key = "UP-" + Guid.NewGuid().ToString("N")[..12];
        RecordWrite Upsert(string text) => new()
        {
            Operation = WriteOperation.Upsert,
            Entity = Entity,
            Scope = Scope,
            ExternalIdField = UpsertKeyField ?? TextField,
            ExternalId = key,
            Fields = NewRecord(text),
        };

        var first = Assert.Single(await writer.WriteAsync([Upsert(Unique("upsert-1"))], CancellationToken.None));
        var second = Assert.Single(await writer.WriteAsync([Upsert(Unique("upsert-2"))], CancellationToken.None));

        if (UpsertKeyField is null)
        {
            Assert.False(first.Succeeded);
            Assert.False(string.IsNullOrWhiteSpace(first.Error!.Message));
            return;
        }

        Assert.True(first.Succeeded, first.Error?.Message);
        Assert.True(second.Succeeded, second.Error?.Message);
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Record!.Id, second.Record!.Id);
    }

    [Fact]
    public async Task A_failed_write_fails_only_itself_and_results_keep_the_order()
    {
        await using var connector = Connect();
        var writer = Assert.IsAssignableFrom<IRecordWriter>(connector);
        var text = Unique("batch-ok");

        var results = await writer.WriteAsync([Update(MissingId, Unique("batch-missing")), Create(text)], CancellationToken.None);

        Assert.Equal(2, results.Count);
        Assert.False(results[0].Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(results[0].Error!.Message));
        Assert.DoesNotContain("batch-missing", results[0].Error!.Message, StringComparison.Ordinal);
        Assert.True(results[1].Succeeded, results[1].Error?.Message);
        Assert.True(results[1].Created);
        Assert.True(writer.MaxBatchSize >= 1);
    }

    [Fact]
    public async Task An_update_changes_the_field_and_the_version()
    {
        await using var connector = Connect();
        var writer = Assert.IsAssignableFrom<IRecordWriter>(connector);
        var reader = Assert.IsAssignableFrom<IRecordReader>(connector);
        var created = await CreateAsync(writer, [Unique("before")]);
        var before = Assert.Single(await reader.ReadByIdsAsync(Entity, [created[0].Id], [TextField], CancellationToken.None));
        var text = Unique("after");
        await Task.Delay(20); // versions with millisecond resolution must differ

        var result = Assert.Single(await writer.WriteAsync([Update(created[0].Id, text)], CancellationToken.None));
        var after = Assert.Single(await reader.ReadByIdsAsync(Entity, [created[0].Id], [TextField], CancellationToken.None));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.False(result.Created);
        Assert.Equal(text, PlainText(after.Fields[TextField]));
        Assert.NotEqual(before.Version, after.Version);
    }

    [Fact]
    public async Task Comments_are_added_and_listed_per_parent()
    {
        await using var connector = Connect();
        if (connector is not ICommentStore comments)
        {
            return; // not declared: Manifest_declares_exactly_the_implemented_capabilities holds the manifest to that
        }

        var writer = Assert.IsAssignableFrom<IRecordWriter>(connector);
        var parents = await CreateAsync(writer, [Unique("commented"), Unique("other")]);
        var since = Clock.GetUtcNow().AddSeconds(-5);
        var body = Unique("A comment") + "\nwith a second line";

        var added = await comments.AddCommentAsync(parents[0], new NewComment(new RichTextValue(RichTextFormat.Plain, body)), CancellationToken.None);
        await comments.AddCommentAsync(parents[1], new NewComment(new RichTextValue(RichTextFormat.Plain, Unique("elsewhere"))), CancellationToken.None);
        var listed = await comments.ListCommentsAsync(Entity, [parents[0].Id], since, CancellationToken.None).ToListAsync();

        var comment = Assert.Single(listed);
        Assert.Equal(added.Id, comment.Id);
        Assert.Equal(parents[0].Id, comment.Parent.Id);
        Assert.Equal(body, PlainText(comment.Body));
        Assert.True(comment.CreatedAt >= since);
    }

    [Fact]
    public async Task Attachments_round_trip_byte_for_byte()
    {
        await using var connector = Connect();
        if (connector is not IAttachmentStore files)
        {
            return; // not declared: Manifest_declares_exactly_the_implemented_capabilities holds the manifest to that
        }

        var writer = Assert.IsAssignableFrom<IRecordWriter>(connector);
        var parent = (await CreateAsync(writer, [Unique("with-file")]))[0];
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var since = Clock.GetUtcNow().AddSeconds(-5);

        AttachmentInfo uploaded;
        using (var content = new MemoryStream(bytes))
        {
            uploaded = await files.UploadAsync(parent, "evidence.bin", "application/octet-stream", content, CancellationToken.None);
        }

        var listed = await files.ListAttachmentsAsync(Entity, [parent.Id], since, CancellationToken.None).ToListAsync();
        var info = Assert.Single(listed, a => a.Id == uploaded.Id);
        Assert.Equal("evidence.bin", info.FileName);
        Assert.Equal(parent.Id, info.Parent.Id);
        await using var stream = await files.OpenReadAsync(info, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task The_activity_feed_finds_new_comments_and_files_of_any_record_without_naming_it()
    {
        await using var connector = Connect();
        if (connector is not IActivityFeed feed)
        {
            return; // not declared: Manifest_declares_exactly_the_implemented_capabilities holds the manifest to that
        }

        var writer = Assert.IsAssignableFrom<IRecordWriter>(connector);
        var parents = await CreateAsync(writer, [Unique("feed-commented"), Unique("feed-with-file")]);
        var since = Clock.GetUtcNow().AddSeconds(-5);
        if (connector is ICommentStore comments)
        {
            var body = Unique("A fed comment");
            var added = await comments.AddCommentAsync(parents[0], new NewComment(new RichTextValue(RichTextFormat.Plain, body)), CancellationToken.None);

            var listed = await feed.ListCommentsSinceAsync(Entity, Scope, since, CancellationToken.None).ToListAsync();

            var comment = Assert.Single(listed, c => c.Id == added.Id);
            Assert.Equal(parents[0].Id, comment.Parent.Id);
            Assert.Equal(body, PlainText(comment.Body));
            Assert.All(listed, c => Assert.True((c.UpdatedAt ?? c.CreatedAt) >= since.AddMinutes(-5), $"comment {c.Id} of {c.CreatedAt:O} is older than asked"));
            var later = await feed.ListCommentsSinceAsync(Entity, Scope, Clock.GetUtcNow().AddMinutes(10), CancellationToken.None).ToListAsync();
            Assert.DoesNotContain(later, c => c.Id == added.Id);
        }

        if (connector is IAttachmentStore files)
        {
            var bytes = RandomNumberGenerator.GetBytes(1_000);
            AttachmentInfo uploaded;
            using (var content = new MemoryStream(bytes))
            {
                uploaded = await files.UploadAsync(parents[1], "fed.bin", "application/octet-stream", content, CancellationToken.None);
            }

            var listed = await feed.ListAttachmentsSinceAsync(Entity, Scope, since, CancellationToken.None).ToListAsync();

            var info = Assert.Single(listed, a => a.Id == uploaded.Id);
            Assert.Equal(parents[1].Id, info.Parent.Id);
            Assert.Equal("fed.bin", info.FileName);
            var later = await feed.ListAttachmentsSinceAsync(Entity, Scope, Clock.GetUtcNow().AddMinutes(10), CancellationToken.None).ToListAsync();
            Assert.DoesNotContain(later, a => a.Id == uploaded.Id);
        }
    }

    [Fact]
    public async Task Webhook_registration_is_idempotent_and_removable()
    {
        await using var connector = Connect();
        if (connector is not IWebhookReceiver webhooks)
        {
            return; // not declared: Manifest_declares_exactly_the_implemented_capabilities holds the manifest to that
        }

        var registration = new WebhookRegistration
        {
            Name = "pluginhub-conformance-" + Guid.NewGuid().ToString("N")[..8],
            Url = new Uri("http://127.0.0.1:9/hooks/" + Guid.NewGuid().ToString("N")),
            Entity = Entity,
            Scope = Scope,
            Secret = "conformance-secret",
        };

        var first = await webhooks.EnsureRegisteredAsync(registration, CancellationToken.None);
        await using (var restarted = Connect())
        {
            var second = await ((IWebhookReceiver)restarted).EnsureRegisteredAsync(registration, CancellationToken.None);
            if (first.ManualSetup is not null)
            {
                Assert.False(string.IsNullOrWhiteSpace(second.ManualSetup));
                Assert.Null(first.RemoteId);
            }
            else
            {
                Assert.True(first.Created);
                Assert.False(second.Created);
                Assert.Equal(first.RemoteId, second.RemoteId);
            }
        }

        await webhooks.RemoveRegistrationAsync(registration, CancellationToken.None);
        await webhooks.RemoveRegistrationAsync(registration, CancellationToken.None);
        if (first.ManualSetup is null)
        {
            var again = await webhooks.EnsureRegisteredAsync(registration, CancellationToken.None);
            Assert.True(again.Created);
            await webhooks.RemoveRegistrationAsync(registration, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Webhook_deliveries_become_change_notices_and_forgeries_are_rejected()
    {
        await using var connector = Connect();
        if (connector is not IWebhookReceiver webhooks)
        {
            return; // not declared: Manifest_declares_exactly_the_implemented_capabilities holds the manifest to that
        }

        var writer = Assert.IsAssignableFrom<IRecordWriter>(connector);
        await using var listener = await DeliveryListener.StartAsync();
        var secret = "conformance-" + Guid.NewGuid().ToString("N");
        var verification = await ArrangeDeliveriesAsync(listener.Url, secret, CancellationToken.None);
        listener.Respond = request => webhooks.Parse(request, verification).Acknowledgement;

        var created = (await CreateAsync(writer, [Unique("hooked")]))[0];
        var (delivery, parsed) = await Poll.UntilAsync(
            () => Task.FromResult(listener.Received.Select(r => (Request: r, Result: webhooks.Parse(r, verification)))
                .FirstOrDefault(d => d.Result.Notices.Any(n => n.Record.Id == created.Id))),
            d => d.Request is not null,
            $"a delivery about {Entity} {created.Id}",
            DeliveryTimeout);

        Assert.True(parsed.Accepted, parsed.RejectionReason);
        Assert.Null(parsed.RejectionReason);
        Assert.All(parsed.Notices, n => Assert.False(string.IsNullOrEmpty(n.Record.Id)));

        var forged = webhooks.Parse(delivery, new WebhookVerification
        {
            Secret = "forged-" + secret,
            Expected = verification.Expected.ToDictionary(e => e.Key, e => "forged-" + e.Value),
        });
        Assert.False(forged.Accepted);
        Assert.Empty(forged.Notices);
        Assert.False(string.IsNullOrWhiteSpace(forged.RejectionReason));
    }

    /// <summary>The text of a text or rich text value, markup removed.</summary>
    /// <param name="value">The value.</param>
    protected static string? PlainText(FieldValue value) => value switch
    {
        TextValue t => t.Value,
        RichTextValue r => Sdk.Text.PlainText.Of(r),
        NullValue => null,
        _ => throw new InvalidOperationException($"Not a text value: {value}"),
    };

    /// <summary>A text no other test or run produces.</summary>
    /// <param name="prefix">What the text is for.</param>
    protected static string Unique(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Creates records with the given texts and returns their references, failing the test if any create fails.</summary>
    /// <param name="writer">The connector.</param>
    /// <param name="texts">One text per record.</param>
    protected async Task<RecordRef[]> CreateAsync(IRecordWriter writer, IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(texts);
        var results = await writer.WriteAsync([.. texts.Select(Create)], CancellationToken.None);
        Assert.Equal(texts.Count, results.Count);
        Assert.All(results, r => Assert.True(r.Succeeded && r.Created, r.Error?.Message));
        return [.. results.Select(r => r.Record!)];
    }

    private RecordWrite Create(string text) =>
        new() { Operation = WriteOperation.Create, Entity = Entity, Scope = Scope, Fields = NewRecord(text) };

    private RecordWrite Update(string id, string text) =>
        new() { Operation = WriteOperation.Update, Entity = Entity, Id = id, Scope = Scope, Fields = new Dictionary<string, FieldValue> { [TextField] = new TextValue(text) } };

    private async Task<List<ChangePage>> ReadAllAsync(IChangeReader changes, string? watermark, DateTimeOffset? since)
    {
        var query = new ChangeQuery
        {
            Entity = Entity,
            Fields = [TextField],
            Watermark = watermark,
            InitialSince = since,
            Scope = Scope,
            PageSizeHint = 2,
        };
        var pages = new List<ChangePage>();
        await foreach (var page in changes.ReadChangesAsync(query, CancellationToken.None))
        {
            pages.Add(page);
            Assert.True(pages.Count < 10_000, "the read does not end");
        }

        return pages;
    }
}
