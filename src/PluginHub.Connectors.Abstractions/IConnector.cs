namespace PluginHub.Connectors.Abstractions;

/// <summary>
/// A connection to one remote system (one Salesforce org, one Jira site) made with one set of settings.
/// The required core is <see cref="CheckAsync"/> and describing the entities; everything else is an optional capability
/// interface (<see cref="IChangeReader"/>, <see cref="IRecordReader"/>, <see cref="IRecordWriter"/>, <see cref="ICommentStore"/>,
/// <see cref="IAttachmentStore"/>, <see cref="IWebhookReceiver"/>) that the same class implements and that the plugin's
/// manifest declares.
/// </summary>
/// <remarks>
/// <para>Threading: one instance may be called concurrently from several tasks of one run; implementations must be thread-safe
/// (token caches and the like included).</para>
/// <para>Lifetime: the host creates an instance per run or per API request and disposes it afterwards; connectors must not
/// keep static state that outlives the instance, because plugins can be unloaded.</para>
/// <para>Errors: methods throw <see cref="ConnectorException"/> with the right <see cref="FailureKind"/>; anything else is
/// treated as <see cref="FailureKind.Internal"/>. Cancellation is reported with <see cref="OperationCanceledException"/>.</para>
/// <para>A connector must never: log secrets or field values, write outside its remote system, start threads that outlive a call,
/// or swallow a failure of a record silently (report it in the result instead).</para>
/// </remarks>
public interface IConnector : IAsyncDisposable
{
    /// <summary>
    /// Verifies that the settings work: authenticates and makes one cheap call. Never throws for a failure it can classify;
    /// returns <see cref="CheckResult.Failed"/> instead (wrong credentials → Configuration, unreachable → Transient).
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    Task<CheckResult> CheckAsync(CancellationToken cancellationToken);

    /// <summary>Lists the entities (objects, issue types) this connection can sync, without their fields.</summary>
    /// <param name="scope">Narrows the list where the system has containers, e.g. <c>{"project": "SUP"}</c> for Jira; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken);

    /// <summary>Describes one entity with its fields.</summary>
    /// <param name="entity">The entity name as listed by <see cref="ListEntitiesAsync"/>.</param>
    /// <param name="scope">As in <see cref="ListEntitiesAsync"/>; Jira needs the project to know an issue type's fields.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ConnectorException">With <see cref="FailureKind.NotFound"/> when the entity does not exist.</exception>
    Task<EntitySchema> DescribeEntityAsync(string entity, IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken);
}
