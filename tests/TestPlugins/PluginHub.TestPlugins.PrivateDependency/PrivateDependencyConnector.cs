using System.Reflection;
using Newtonsoft.Json;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.TestPlugins.PrivateDependency;

/// <summary>Reports, as its check message, the informational version of the Newtonsoft.Json it sees.</summary>
internal sealed class PrivateDependencyConnector : IConnector
{
    public Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var version = typeof(JsonConvert).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return Task.FromResult(CheckResult.Ok(version));
    }

    public Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken)
    {
        // Really uses the private dependency: the entity list round-trips through Newtonsoft.Json.
        var json = JsonConvert.SerializeObject(new[] { new { Name = "Thing", Label = "Thing" } });
        var entities = JsonConvert.DeserializeObject<List<EntitySummary>>(json) ?? [];
        return Task.FromResult<IReadOnlyList<EntitySummary>>(entities);
    }

    public Task<EntitySchema> DescribeEntityAsync(string entity, IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        throw new ConnectorException(FailureKind.NotFound, $"No entity '{entity}'.");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
