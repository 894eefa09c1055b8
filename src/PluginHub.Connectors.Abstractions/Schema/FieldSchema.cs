namespace PluginHub.Connectors.Abstractions;

/// <summary>One field of an entity.</summary>
public sealed record FieldSchema
{
    /// <summary>The API name, the key of <see cref="Record.Fields"/> (<c>Subject</c>, <c>summary</c>, <c>customfield_10042</c>).</summary>
    public required string Name { get; init; }

    /// <summary>What people see.</summary>
    public required string Label { get; init; }

    /// <summary>The kind of value.</summary>
    public required FieldType Type { get; init; }

    /// <summary>For <see cref="FieldType.RichText"/>: the markup the system uses; null otherwise.</summary>
    public RichTextFormat? RichTextFormat { get; init; }

    /// <summary>True when a create fails without a value.</summary>
    public bool Required { get; init; }

    /// <summary>True when the field cannot be written (formulas, system fields). Status-like fields that change through
    /// workflow transitions are not read-only: the connector performs the transition.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>True for admin-defined fields.</summary>
    public bool IsCustom { get; init; }

    /// <summary>True when the field can hold PluginHub's correlation id and be searched on (external-id fields, text custom fields, labels).</summary>
    public bool CanHoldCorrelationId { get; init; }

    /// <summary>Maximum length for text, when the system has one.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The allowed values of a choice field, empty otherwise. When a restricted field gets another value the write fails for that field.</summary>
    public IReadOnlyList<AllowedValue> AllowedValues { get; init; } = [];

    /// <summary>For <see cref="FieldType.Link"/>: the entities it can point at.</summary>
    public IReadOnlyList<string> ReferenceTo { get; init; } = [];
}

/// <summary>One allowed value of a choice field.</summary>
/// <param name="Key">The API value.</param>
/// <param name="Label">What people see.</param>
public sealed record AllowedValue(string Key, string Label)
{
    /// <summary>False for inactive picklist values that old records may still hold.</summary>
    public bool Active { get; init; } = true;

    /// <summary>For statuses: the category (<c>new</c>, <c>indeterminate</c>, <c>done</c> on Jira; <c>closed</c> on Salesforce); null otherwise.</summary>
    public string? Category { get; init; }
}
