using PluginHub.Connectors.Salesforce.Describe;

namespace PluginHub.Connectors.Salesforce.Read;

/// <summary>
/// What a read selects: the fields asked for that exist, plus what the record model needs (Id, SystemModstamp, who changed it,
/// the display key) and the e-mail and name of every user lookup, so that users can be matched by e-mail without more calls.
/// </summary>
internal sealed class FieldSelection
{
    private FieldSelection(SfObject obj, IReadOnlyList<SfField> fields, IReadOnlyList<string> columns, bool includeDeleted)
    {
        Object = obj;
        Fields = fields;
        Columns = columns;
        IncludeDeleted = includeDeleted;
    }

    public SfObject Object { get; }

    /// <summary>The requested fields that exist, in canonical spelling.</summary>
    public IReadOnlyList<SfField> Fields { get; }

    public IReadOnlyList<string> Columns { get; }

    public bool IncludeDeleted { get; }

    public string SelectList => string.Join(", ", Columns);

    public static FieldSelection For(SfObject obj, IEnumerable<string> requested, bool includeDeleted = false)
    {
        var fields = requested.Select(obj.Field).OfType<SfField>().DistinctBy(f => f.Name).ToList();
        var columns = new List<string> { "Id" };
        foreach (var f in fields)
        {
            columns.Add(f.Name);
            if (f.IsUserReference)
            {
                columns.Add($"{f.RelationshipName}.Email");
                columns.Add($"{f.RelationshipName}.Name");
            }
        }

        foreach (var system in new[] { "SystemModstamp", "LastModifiedDate", "CreatedDate" })
        {
            if (obj.Field(system) is { } f)
            {
                columns.Add(f.Name);
            }
        }

        if (obj.Field("LastModifiedById") is { IsUserReference: true } modifiedBy)
        {
            columns.Add(modifiedBy.Name);
            columns.Add($"{modifiedBy.RelationshipName}.Email");
            columns.Add($"{modifiedBy.RelationshipName}.Name");
        }

        if (obj.NameField is { } name)
        {
            columns.Add(name.Name);
        }

        if (includeDeleted && obj.Field("IsDeleted") is not null)
        {
            columns.Add("IsDeleted");
        }

        return new FieldSelection(obj, fields, [.. columns.Distinct(StringComparer.OrdinalIgnoreCase)], includeDeleted);
    }
}
