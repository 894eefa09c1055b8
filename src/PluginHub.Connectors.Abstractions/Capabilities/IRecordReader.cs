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

    /// <summary>
    /// As <see cref="FindByCorrelationIdsAsync(string, IReadOnlyList{string}, IReadOnlyDictionary{string, string}?, CancellationToken)"/>,
    /// searching where <paramref name="location"/> says the ids were stored (since contract 1.1). Connectors built against 1.0
    /// ignore the location and search their default place.
    /// </summary>
    /// <param name="entity">The entity.</param>
    /// <param name="correlationIds">The correlation ids to look for.</param>
    /// <param name="scope">Container scope as in <see cref="ChangeQuery.Scope"/>; null for none.</param>
    /// <param name="location">Where the ids were stored, as given in <see cref="RecordWrite.Correlation"/>.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    Task<IReadOnlyDictionary<string, RecordRef>> FindByCorrelationIdsAsync(string entity, IReadOnlyList<string> correlationIds, IReadOnlyDictionary<string, string>? scope, CorrelationLocation location, CancellationToken cancellationToken) =>
        FindByCorrelationIdsAsync(entity, correlationIds, scope, cancellationToken);
}

/// <summary>
/// Where a correlation id lives on a record: a searchable field (a Salesforce external-id field, a Jira custom field, or
/// <c>labels</c>) and/or a hidden property (a Jira issue property). A connector uses what its system supports and says so.
/// </summary>
/// <param name="Field">A searchable field; null for none.</param>
/// <param name="Property">A record property not shown to people (Jira issue property key); null for none.</param>
public sealed record CorrelationLocation(string? Field, string? Property);
