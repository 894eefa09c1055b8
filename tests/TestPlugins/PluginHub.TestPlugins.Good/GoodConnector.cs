using PluginHub.Connectors.Abstractions;

namespace PluginHub.TestPlugins.Good;

/// <summary>A connector with trivial but real behaviour: it builds the records it is asked for from their ids.</summary>
internal sealed class GoodConnector(string connectionId, string greeting, TimeProvider time) : IConnector, IRecordReader
{
    public Task<CheckResult> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(CheckResult.Ok($"test-good connection {connectionId} is fine."));

    public Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EntitySummary>>([new EntitySummary("Thing", "Thing")]);

    public Task<EntitySchema> DescribeEntityAsync(string entity, IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        entity == "Thing"
            ? Task.FromResult(new EntitySchema
            {
                Name = "Thing",
                Label = "Thing",
                KeyField = "Id",
                Fields = [new FieldSchema { Name = "Id", Label = "Id", Type = FieldType.Text, ReadOnly = true }],
            })
            : throw new ConnectorException(FailureKind.NotFound, $"No entity '{entity}'.");

    public Task<IReadOnlyList<Record>> ReadByIdsAsync(string entity, IReadOnlyList<string> ids, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<Record> records =
        [
            .. ids.Where(id => !id.StartsWith("missing", StringComparison.Ordinal)).Select(id => new Record
            {
                Ref = new RecordRef(entity, id),
                Version = $"v-{id}",
                ModifiedAt = now,
                Fields = fields.ToDictionary(f => f, f => (FieldValue)new TextValue($"{greeting} {f} of {id}"), StringComparer.Ordinal),
            }),
        ];
        return Task.FromResult(records);
    }

    public Task<IReadOnlyDictionary<string, RecordRef>> FindByCorrelationIdsAsync(string entity, IReadOnlyList<string> correlationIds,
        IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, RecordRef>>(new Dictionary<string, RecordRef>(StringComparer.Ordinal));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
