namespace PluginHub.Connectors.Abstractions;

/// <summary>An entity a connection offers, without its fields.</summary>
/// <param name="Name">The API name used everywhere else (<c>Case</c>, <c>Invoice__c</c>, <c>Task</c>).</param>
/// <param name="Label">What people see.</param>
public sealed record EntitySummary(string Name, string Label)
{
    /// <summary>True for admin-defined entities (<c>__c</c> objects, custom issue types).</summary>
    public bool IsCustom { get; init; }
}
