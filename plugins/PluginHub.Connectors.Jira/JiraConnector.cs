using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Attachments;
using PluginHub.Connectors.Jira.Auth;
using PluginHub.Connectors.Jira.Comments;
using PluginHub.Connectors.Jira.Describe;
using PluginHub.Connectors.Jira.Read;
using PluginHub.Connectors.Jira.Webhooks;
using PluginHub.Connectors.Jira.Write;
using PluginHub.Connectors.Jira.Write.Transitions;

namespace PluginHub.Connectors.Jira;

/// <summary>
/// The Jira connector: issue types are entities, issues are records (id = issue id, display key = issue key). Each capability
/// is one class; this one only wires them to one <see cref="JiraApi"/> and one metadata cache per connection use.
/// </summary>
internal sealed class JiraConnector : IConnector, IChangeReader, IRecordReader, IRecordWriter, ICommentStore, IAttachmentStore, IWebhookReceiver, IActivityFeed
{
    private readonly JiraApi _api;
    private readonly ConnectionCheck _check;
    private readonly EntityDescriber _describer;
    private readonly ChangeReader _changes;
    private readonly RecordReader _reader;
    private readonly RecordWriter _writer;
    private readonly CommentStore _comments;
    private readonly AttachmentStore _attachments;
    private readonly WebhookRegistrar _webhooks;

    public JiraConnector(JiraSettings settings, TimeProvider time, ILoggerFactory loggers)
    {
        _api = new JiraApi(settings, time);
        var catalog = new JiraCatalog(_api);
        var search = new IssueSearch(_api);
        _check = new ConnectionCheck(_api);
        _describer = new EntityDescriber(_api, catalog);
        _changes = new ChangeReader(_api, catalog, search, time);
        _reader = new RecordReader(_api, catalog, search);
        _writer = new RecordWriter(_api, catalog, new FieldEncoder(_api, new UserDirectory(_api)), new WorkflowWalker(_api, catalog), new IssueGate(),
            loggers.CreateLogger<RecordWriter>());
        _comments = new CommentStore(_api, search, catalog);
        _attachments = new AttachmentStore(_api, search, catalog);
        _webhooks = new WebhookRegistrar(_api);
    }

    /// <summary>Jira's bulk create takes 50 issues per call.</summary>
    public int MaxBatchSize => RecordWriter.BulkSize;

    /// <summary>HTTP requests sent so far, retries included (for tests and diagnostics).</summary>
    internal long Calls => _api.Calls;

    public Task<CheckResult> CheckAsync(CancellationToken cancellationToken) => _check.RunAsync(cancellationToken);

    public Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        _describer.ListAsync(scope, cancellationToken);

    public Task<EntitySchema> DescribeEntityAsync(string entity, IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        _describer.DescribeAsync(entity, scope, cancellationToken);

    public IAsyncEnumerable<ChangePage> ReadChangesAsync(ChangeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _changes.ReadAsync(query, cancellationToken);
    }

    public Task<IReadOnlyList<Record>> ReadByIdsAsync(string entity, IReadOnlyList<string> ids, IReadOnlyList<string> fields, CancellationToken cancellationToken) =>
        _reader.ReadByIdsAsync(entity, ids, fields, cancellationToken);

    public Task<IReadOnlyDictionary<string, RecordRef>> FindByCorrelationIdsAsync(string entity, IReadOnlyList<string> correlationIds,
        IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        _reader.FindByCorrelationIdsAsync(entity, correlationIds, scope, null, cancellationToken);

    public Task<IReadOnlyDictionary<string, RecordRef>> FindByCorrelationIdsAsync(string entity, IReadOnlyList<string> correlationIds,
        IReadOnlyDictionary<string, string>? scope, CorrelationLocation location, CancellationToken cancellationToken) =>
        _reader.FindByCorrelationIdsAsync(entity, correlationIds, scope, location, cancellationToken);

    public Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken) =>
        _writer.WriteAsync(writes, cancellationToken);

    public IAsyncEnumerable<Comment> ListCommentsAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since, CancellationToken cancellationToken) =>
        _comments.ListAsync(entity, parentIds, since, cancellationToken);

    public Task<Comment> AddCommentAsync(RecordRef parent, NewComment comment, CancellationToken cancellationToken) =>
        _comments.AddAsync(parent, comment, cancellationToken);

    public IAsyncEnumerable<AttachmentInfo> ListAttachmentsAsync(string entity, IReadOnlyList<string> parentIds, DateTimeOffset? since, CancellationToken cancellationToken) =>
        _attachments.ListAsync(entity, parentIds, since, cancellationToken);

    public Task<Stream> OpenReadAsync(AttachmentInfo attachment, CancellationToken cancellationToken) =>
        _attachments.OpenReadAsync(attachment, cancellationToken);

    public Task<AttachmentInfo> UploadAsync(RecordRef parent, string fileName, string contentType, Stream content, CancellationToken cancellationToken) =>
        _attachments.UploadAsync(parent, fileName, contentType, content, cancellationToken);

    public IAsyncEnumerable<Comment> ListCommentsSinceAsync(string entity, IReadOnlyDictionary<string, string>? scope, DateTimeOffset since, CancellationToken cancellationToken) =>
        _comments.ListSinceAsync(entity, scope, since, cancellationToken);

    public IAsyncEnumerable<AttachmentInfo> ListAttachmentsSinceAsync(string entity, IReadOnlyDictionary<string, string>? scope, DateTimeOffset since, CancellationToken cancellationToken) =>
        _attachments.ListSinceAsync(entity, scope, since, cancellationToken);

    public Task<WebhookRegistrationResult> EnsureRegisteredAsync(WebhookRegistration registration, CancellationToken cancellationToken) =>
        _webhooks.EnsureAsync(registration, cancellationToken);

    public Task RemoveRegistrationAsync(WebhookRegistration registration, CancellationToken cancellationToken) =>
        _webhooks.RemoveAsync(registration, cancellationToken);

    public WebhookParseResult Parse(WebhookRequest request, WebhookVerification verification) => WebhookParser.Parse(request, verification);

    public ValueTask DisposeAsync()
    {
        _api.Dispose();
        return ValueTask.CompletedTask;
    }
}
