using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Api;
using PluginHub.Connectors.Salesforce.Comments;
using PluginHub.Connectors.Salesforce.Describe;
using PluginHub.Connectors.Salesforce.Files;
using PluginHub.Connectors.Salesforce.Outbound;
using PluginHub.Connectors.Salesforce.Read;
using PluginHub.Connectors.Salesforce.Users;
using PluginHub.Connectors.Salesforce.Write;

namespace PluginHub.Connectors.Salesforce;

/// <summary>
/// A connection to one Salesforce org over the REST API: any object, standard or custom. Each capability lives in its own
/// feature folder; this class only wires them to the contract. Thread-safe; one instance per run or request.
/// </summary>
public sealed class SalesforceConnector : IConnector, IChangeReader, IRecordReader, IRecordWriter, ICommentStore, IAttachmentStore, IWebhookReceiver, IActivityFeed
{
    private readonly Lazy<Services> _services;

    /// <summary>Creates the connector without I/O. Settings are read on first use, so that a connection with bad settings
    /// still opens and its check says what is wrong (a Configuration failure naming the setting).</summary>
    internal SalesforceConnector(ConnectorContext context)
    {
        var settings = context.Settings.Clone();
        _services = new Lazy<Services>(() => new Services(SalesforceSettings.From(settings), context));
    }

    /// <summary>The org's rolling 24-hour API usage as Salesforce last reported it (<c>Sforce-Limit-Info</c>); null before the first call.</summary>
    public SalesforceApiUsage? ApiUsage => _services.IsValueCreated ? _services.Value.Api.Usage : null;

    /// <summary>HTTP requests this instance sent, token requests and retries included.</summary>
    public long HttpCalls => _services.IsValueCreated ? _services.Value.Api.Calls : 0;

    /// <inheritdoc />
    public int MaxBatchSize => RecordWriter.MaxBatch;

    /// <summary>Users by e-mail and e-mails by user id, cached for this instance.</summary>
    internal UserDirectory Users => S.Users;

    private Services S => _services.Value;

    /// <inheritdoc />
    public async Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            _ = S; // bad settings fail here, as a Configuration result
            var session = await S.Api.SessionAsync(cancellationToken);
            var me = (await S.Api.GetAsync($"sobjects/User/{session.UserId}?fields=Username", "Reading the integration user", cancellationToken)).Body;
            var username = me.TryGetProperty("Username", out var u) ? u.GetString() : session.UserId;
            return CheckResult.Ok($"Connected to org {session.OrganizationId} as {username} (API v{S.Api.Settings.ApiVersion}).");
        }
        catch (ConnectorException e) when (e.Kind == FailureKind.NotFound)
        {
            return CheckResult.Failed(FailureKind.Configuration, $"The org does not offer what the connector needs (is API version {S.Api.Settings.ApiVersion} available?): {e.Message}");
        }
        catch (ConnectorException e)
        {
            return CheckResult.Failed(e.Kind, e.Message);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return CheckResult.Failed(FailureKind.Internal, $"The login URL answered, but not as Salesforce does ({e.GetType().Name}).");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        [.. (await S.Schemas.GlobalAsync(cancellationToken)).Where(o => o.Queryable).Select(o => new EntitySummary(o.Name, o.Label) { IsCustom = o.Custom })];

    /// <inheritdoc />
    public async Task<EntitySchema> DescribeEntityAsync(string entity, IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        (await S.Schemas.ObjectAsync(entity, cancellationToken)).Schema;

    /// <inheritdoc />
    public IAsyncEnumerable<ChangePage> ReadChangesAsync(ChangeQuery query, CancellationToken cancellationToken) => S.Changes.ReadAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Record>> ReadByIdsAsync(string entity, IReadOnlyList<string> ids, IReadOnlyList<string> fields, CancellationToken cancellationToken) =>
        S.Reader.ReadByIdsAsync(entity, ids, fields, cancellationToken);

    /// <summary>Without a location there is no field to search: Salesforce keeps correlation ids only in an external-id field the integration names.</summary>
    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, RecordRef>> FindByCorrelationIdsAsync(string entity, IReadOnlyList<string> correlationIds, IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        S.Reader.FindByCorrelationIdsAsync(entity, correlationIds, null, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, RecordRef>> FindByCorrelationIdsAsync(string entity, IReadOnlyList<string> correlationIds, IReadOnlyDictionary<string, string>? scope, CorrelationLocation location, CancellationToken cancellationToken) =>
        S.Reader.FindByCorrelationIdsAsync(entity, correlationIds, location, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken) => S.Writer.WriteAsync(writes, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<Comment> ListCommentsAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since, CancellationToken cancellationToken) =>
        S.Comments.ListAsync(entity, parentIds, since, cancellationToken);

    /// <inheritdoc />
    public Task<Comment> AddCommentAsync(RecordRef parent, NewComment comment, CancellationToken cancellationToken) => S.Comments.AddAsync(parent, comment, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<AttachmentInfo> ListAttachmentsAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since, CancellationToken cancellationToken) =>
        S.Files.ListAsync(entity, parentIds, since, cancellationToken);

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(AttachmentInfo attachment, CancellationToken cancellationToken) => S.Files.OpenReadAsync(attachment, cancellationToken);

    /// <inheritdoc />
    public Task<AttachmentInfo> UploadAsync(RecordRef parent, string fileName, string contentType, Stream content, CancellationToken cancellationToken) =>
        S.Files.UploadAsync(parent, fileName, contentType, content, cancellationToken);

    /// <summary>Scope is ignored (an org has no containers). One SOQL query: CaseComments by SystemModstamp, or text posts by <c>Parent.Type</c>.</summary>
    /// <inheritdoc />
    public IAsyncEnumerable<Comment> ListCommentsSinceAsync(string entity, IReadOnlyDictionary<string, string>? scope, DateTimeOffset since, CancellationToken cancellationToken) =>
        S.Comments.ListSinceAsync(entity, since, cancellationToken);

    /// <summary>Scope is ignored. A few SOQL queries however many records the entity has: attachments, new file versions, files shared since.</summary>
    /// <inheritdoc />
    public IAsyncEnumerable<AttachmentInfo> ListAttachmentsSinceAsync(string entity, IReadOnlyDictionary<string, string>? scope, DateTimeOffset since, CancellationToken cancellationToken) =>
        S.Files.ListSinceAsync(entity, since, cancellationToken);

    /// <summary>Outbound messages cannot be created through the REST API: the result carries step-by-step instructions for an admin.</summary>
    /// <inheritdoc />
    public async Task<WebhookRegistrationResult> EnsureRegisteredAsync(WebhookRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        string? organizationId = null;
        try
        {
            organizationId = (await S.Api.SessionAsync(cancellationToken)).OrganizationId;
        }
        catch (ConnectorException)
        {
            // The instructions are useful without the org id too.
        }

        return new WebhookRegistrationResult
        {
            ManualSetup = OutboundMessages.Instructions(registration, organizationId),
            Expected = organizationId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["organizationId"] = organizationId },
        };
    }

    /// <summary>Nothing to remove on PluginHub's side: the admin deletes the outbound message and its flow in Setup.</summary>
    /// <inheritdoc />
    public Task RemoveRegistrationAsync(WebhookRegistration registration, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public WebhookParseResult Parse(WebhookRequest request, WebhookVerification verification)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(verification);
        return OutboundMessages.Parse(request, verification);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_services.IsValueCreated)
        {
            _services.Value.Api.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The feature services of one instance, sharing one API client, token cache and describe cache.</summary>
    private sealed class Services
    {
        public Services(SalesforceSettings settings, ConnectorContext context)
        {
            Api = new SalesforceApi(settings, context.Time, context.LoggerFactory.CreateLogger<SalesforceConnector>());
            Schemas = new SchemaCache(Api);
            Users = new UserDirectory(Api);
            Changes = new ChangeReader(Api, Schemas);
            Reader = new RecordReader(Api, Schemas);
            Writer = new RecordWriter(Api, Schemas, Users);
            Comments = new CommentStore(Api, Schemas);
            Files = new AttachmentStore(Api, Schemas);
        }

        public SalesforceApi Api { get; }

        public SchemaCache Schemas { get; }

        public UserDirectory Users { get; }

        public ChangeReader Changes { get; }

        public RecordReader Reader { get; }

        public RecordWriter Writer { get; }

        public CommentStore Comments { get; }

        public AttachmentStore Files { get; }
    }
}
