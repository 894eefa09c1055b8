namespace PluginHub.Sandbox.Salesforce.Data;

internal enum SfType
{
    Id,
    String,
    TextArea,
    Picklist,
    MultiPicklist,
    Reference,
    Boolean,
    Int,
    Double,
    Currency,
    Percent,
    Date,
    DateTime,
    Email,
    Phone,
    Url,
    Base64,
}

internal sealed record PicklistValue(string Value, bool IsDefault = false);

/// <summary>One field's describe metadata; the ordinal is its slot in <see cref="SfRecord.Values"/>.</summary>
internal sealed class SfField
{
    public SfField(string name, SfType type)
    {
        Name = name;
        Type = type;
        Label = Labelize(name);
    }

    public string Name { get; }

    public SfType Type { get; }

    public string Label { get; set; }

    public int Ordinal { get; set; }

    public int Length { get; set; }

    public bool Createable { get; set; } = true;

    public bool Updateable { get; set; } = true;

    public bool Nillable { get; set; } = true;

    public bool DefaultedOnCreate { get; set; }

    public bool Custom { get; set; }

    public bool ExternalId { get; set; }

    public bool Unique { get; set; }

    public bool AutoNumber { get; set; }

    public bool Calculated { get; set; }

    public bool NameField { get; set; }

    public bool RestrictedPicklist { get; set; }

    public bool CascadeDelete { get; set; }

    public bool IdLookup { get; set; }

    public int Precision { get; set; }

    public int Scale { get; set; }

    public object? DefaultValue { get; set; }

    /// <summary>Target objects of a lookup; empty with <see cref="AnyParent"/> for "any record" lookups (Attachment.ParentId).</summary>
    public IReadOnlyList<string> ReferenceTo { get; set; } = [];

    public bool AnyParent { get; set; }

    public string? RelationshipName { get; set; }

    /// <summary>The name of the child relationship this lookup creates on its targets (Case.CaseComments).</summary>
    public string? ChildRelationshipName { get; set; }

    public List<PicklistValue> Picklist { get; } = [];

    public bool IsSystem { get; set; }

    public bool IsPolymorphic => AnyParent || ReferenceTo.Count > 1;

    public bool IsTextual => Type is SfType.String or SfType.TextArea or SfType.Picklist or SfType.MultiPicklist or SfType.Email or SfType.Phone or SfType.Url;

    public bool IsIdLike => Type is SfType.Id or SfType.Reference;

    public bool RequiredOnCreate => !Nillable && Createable && !DefaultedOnCreate && Type != SfType.Boolean;

    public static string Labelize(string name)
    {
        var core = name.EndsWith("__c", StringComparison.Ordinal) ? name[..^3] : name;
        if (core.EndsWith("Id", StringComparison.Ordinal) && core.Length > 2)
        {
            core = core[..^2] + " ID";
        }

        var chars = new System.Text.StringBuilder();
        for (var i = 0; i < core.Length; i++)
        {
            var c = core[i];
            if (c == '_')
            {
                chars.Append(' ');
                continue;
            }

            if (i > 0 && char.IsUpper(c) && char.IsLower(core[i - 1]))
            {
                chars.Append(' ');
            }

            chars.Append(c);
        }

        return chars.ToString();
    }
}

/// <summary>A child relationship of an object: the child object and the lookup field on it.</summary>
internal sealed record SfChildRelationship(string RelationshipName, SfObject Child, SfField Field);

/// <summary>One sObject type's describe metadata.</summary>
internal sealed class SfObject
{
    private readonly Dictionary<string, SfField> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SfField> _byRelationship = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SfField> _fields = [];

    public SfObject(string name, string keyPrefix, string? labelPlural = null)
    {
        Name = name;
        KeyPrefix = keyPrefix;
        Custom = name.EndsWith("__c", StringComparison.Ordinal);
        Label = SfField.Labelize(name);
        LabelPlural = labelPlural ?? Label + "s";
    }

    public string Name { get; }

    public string KeyPrefix { get; }

    public string Label { get; set; }

    public string LabelPlural { get; set; }

    public bool Custom { get; }

    public bool Createable { get; set; } = true;

    public bool Updateable { get; set; } = true;

    public bool Deletable { get; set; } = true;

    public bool FeedEnabled { get; set; }

    /// <summary>The fields in describe order; a field's position is its <see cref="SfField.Ordinal"/>.</summary>
    public IReadOnlyList<SfField> Fields => _fields;

    public SfField? NameFieldDef => _fields.FirstOrDefault(f => f.NameField);

    public SfField? Field(string name) => _byName.GetValueOrDefault(name);

    public SfField? ByRelationship(string relationshipName) => _byRelationship.GetValueOrDefault(relationshipName);

    public SfField Add(SfField field)
    {
        field.Ordinal = _fields.Count;
        _fields.Add(field);
        _byName[field.Name] = field;
        if (field.RelationshipName is { } rel)
        {
            _byRelationship[rel] = field;
        }

        return field;
    }

    public SfField this[string name] => _byName[name];
}
