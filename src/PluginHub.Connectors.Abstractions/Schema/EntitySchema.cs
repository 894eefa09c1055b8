namespace PluginHub.Connectors.Abstractions;

/// <summary>An entity with its fields, as <see cref="IConnector.DescribeEntityAsync"/> returns it.</summary>
public sealed record EntitySchema
{
    /// <summary>The API name.</summary>
    public required string Name { get; init; }

    /// <summary>What people see.</summary>
    public required string Label { get; init; }

    /// <summary>The fields, in the system's order.</summary>
    public required IReadOnlyList<FieldSchema> Fields { get; init; }

    /// <summary>The field holding the record id.</summary>
    public required string KeyField { get; init; }

    /// <summary>The field that orders changes for incremental reads (SystemModstamp, updated); null when the entity cannot be read incrementally.</summary>
    public string? CursorField { get; init; }

    /// <summary>True for admin-defined entities.</summary>
    public bool IsCustom { get; init; }
}
