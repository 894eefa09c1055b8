using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Salesforce;

/// <summary>
/// The Salesforce connector. This build registers the plugin, its manifest and its settings schema; talking to
/// Salesforce arrives with the connector's own issue, so every call answers with a clear Configuration failure.
/// </summary>
internal sealed class SalesforceConnector : IConnector
{
    private const string NotYet = "The Salesforce connector cannot reach Salesforce in this build yet.";

    public Task<CheckResult> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(CheckResult.Failed(FailureKind.Configuration, NotYet));

    public Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        throw new ConnectorException(FailureKind.Configuration, NotYet);

    public Task<EntitySchema> DescribeEntityAsync(string entity, IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        throw new ConnectorException(FailureKind.Configuration, NotYet);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
