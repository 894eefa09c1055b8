namespace PluginHub.Connectors.Abstractions;

/// <summary>Points at one record: which entity of which remote system, and its id there.</summary>
/// <param name="Entity">The entity name as the connector describes it (<c>Case</c>, <c>Task</c>).</param>
/// <param name="Id">The remote system's stable id (a Salesforce 18-character id, a Jira issue id). Never a display key that can change.</param>
public sealed record RecordRef(string Entity, string Id)
{
    /// <summary>A human-readable key when the system has one (Case number, Jira key), for logs and links; null otherwise.</summary>
    public string? DisplayKey { get; init; }
}
