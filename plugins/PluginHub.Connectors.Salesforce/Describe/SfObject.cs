using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Salesforce.Describe;

/// <summary>A described sObject: its fields by name (case-insensitive, as Salesforce matches them) and its contract schema.</summary>
internal sealed class SfObject
{
    private readonly Dictionary<string, SfField> _byName;

    public SfObject(string name, string label, bool custom, IReadOnlyList<SfField> fields, IReadOnlySet<string> closedStatuses)
    {
        Name = name;
        Fields = fields;
        _byName = fields.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        Schema = new EntitySchema
        {
            Name = name,
            Label = label,
            IsCustom = custom,
            KeyField = "Id",
            CursorField = Field("SystemModstamp") is null ? null : "SystemModstamp",
            Fields = [.. fields.Select(f => FieldMapping.ToSchema(f, name == "Case" && f.Name == "Status" ? closedStatuses : null))],
        };
    }

    /// <summary>The canonical API name.</summary>
    public string Name { get; }

    public IReadOnlyList<SfField> Fields { get; }

    public EntitySchema Schema { get; }

    /// <summary>The field shown as the record's key to people (CaseNumber, Name), if any.</summary>
    public SfField? NameField => Fields.FirstOrDefault(f => f.NameField);

    public SfField? Field(string name) => _byName.GetValueOrDefault(name);
}
