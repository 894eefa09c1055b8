namespace PluginHub.Connectors.Abstractions;

/// <summary>Reads records by id, and finds records by the correlation id PluginHub wrote on them. Capability <c>readById</c>.</summary>
public interface IRecordReader
{
    /// <summary>
    /// Reads many records of one entity in as few calls as the API allows (a SOQL <c>IN</c>, a JQL <c>key in</c>).
    /// Ids that do not exist are simply absent from the result (no exception); the order of the result is unspecified.
    /// </summary>
    /// <param name="entity">The entity.</param>
    /// <param name="ids">The remote ids; may be empty.</param>
    /// <param name="fields">The fields to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<Record>> ReadByIdsAsync(string entity, IReadOnlyList<string> ids, IReadOnlyList<string> fields, CancellationToken cancellationToken);

    /// <summary>
    /// Finds the records that carry the given correlation ids (written by <see cref="RecordWrite.CorrelationId"/>), so that a
    /// create interrupted before its link was saved is recognised instead of repeated. Returns correlation id → record reference
    /// for those found; ids not found are absent.
    /// </summary>
    /// <param name="entity">The entity.</param>
    /// <param name="correlationIds">The correlation ids to look for.</param>
    /// <param name="scope">Container scope as in <see cref="ChangeQuery.Scope"/>; null for none.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    Task<IReadOnlyDictionary<string, RecordRef>> FindByCorrelationIdsAsync(string entity, IReadOnlyList<string> correlationIds, IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken);
}
