using PluginHub.Connectors.Abstractions;

namespace PluginHub.TestPlugins;

/// <summary>The smallest real connector: the required core only, no capability. Linked into the test plugins that need it.</summary>
internal sealed class BasicConnector(string pluginId) : IConnector
{
    public Task<CheckResult> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(CheckResult.Ok($"{pluginId} answers."));

    public Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EntitySummary>>([new EntitySummary("Thing", "Thing")]);

    public Task<EntitySchema> DescribeEntityAsync(string entity, IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        throw new ConnectorException(FailureKind.NotFound, $"{pluginId} describes no entity.");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
