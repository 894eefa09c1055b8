using System.Globalization;
using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Describe;

namespace PluginHub.Connectors.Salesforce.Read;

/// <summary>Turns a query row into the contract's <see cref="Record"/>, typing each value by the field's describe.</summary>
internal sealed class RecordMapper(FieldSelection selection, Func<string, string?> objectOfId)
{
    public Record Map(JsonElement row)
    {
        var obj = selection.Object;
        var id = row.GetProperty("Id").GetString()!;
        var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var f in selection.Fields)
        {
            fields[f.Name] = Value(f, row);
        }

        var stamp = Text(row, "SystemModstamp") ?? Text(row, "LastModifiedDate") ?? Text(row, "CreatedDate");
        var modified = Text(row, "LastModifiedDate") ?? stamp;
        UserRef? modifiedBy = null;
        if (Text(row, "LastModifiedById") is { } modifierId)
        {
            var rel = row.TryGetProperty("LastModifiedBy", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
            modifiedBy = new UserRef(modifierId, Text(rel, "Email"), Text(rel, "Name"));
        }

        return new Record
        {
            Ref = new RecordRef(obj.Name, id) { DisplayKey = obj.NameField is { } n ? Text(row, n.Name) : null },
            Version = $"{stamp}/{Fingerprint(row)}",
            ModifiedAt = modified is null ? DateTimeOffset.MinValue : Soql.ParseDateTime(modified),
            ModifiedBy = modifiedBy,
            Deleted = row.TryGetProperty("IsDeleted", out var d) && d.ValueKind == JsonValueKind.True,
            Fields = fields,
        };
    }

    /// <summary>
    /// A short hash of the values read. SystemModstamp has whole seconds, so two changes within one second keep it; together
    /// with the hash the version still changes with every change of the fields read.
    /// </summary>
    private string Fingerprint(JsonElement row)
    {
        var text = new System.Text.StringBuilder();
        foreach (var column in selection.Columns)
        {
            var value = row;
            foreach (var part in column.Split('.'))
            {
                value = value.ValueKind == JsonValueKind.Object && value.TryGetProperty(part, out var v) ? v : default;
            }

            text.Append(value.ValueKind == JsonValueKind.Undefined ? string.Empty : value.GetRawText()).Append('\u001f');
        }

        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 6));
    }

    private FieldValue Value(SfField f, JsonElement row)
    {
        if (!row.TryGetProperty(f.Name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return NullValue.Instance;
        }

        var type = FieldMapping.TypeOf(f);
        return type switch
        {
            FieldType.RichText => new RichTextValue(RichTextFormat.Html, v.GetString() ?? string.Empty),
            FieldType.Text when v.ValueKind == JsonValueKind.String => new TextValue(v.GetString()!),
            FieldType.Choice => Choice(f, v.GetString()!),
            FieldType.MultiChoice => new MultiChoiceValue([.. v.GetString()!.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(x => Choice(f, x))]),
            FieldType.Boolean => new BooleanValue(v.ValueKind == JsonValueKind.True),
            FieldType.Integer => new IntegerValue(v.TryGetInt64(out var l) ? l : (long)v.GetDecimal()),
            FieldType.Decimal => new DecimalValue(v.GetDecimal()),
            FieldType.Date => new DateValue(DateOnly.ParseExact(v.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
            FieldType.DateTime => new DateTimeValue(Soql.ParseDateTime(v.GetString()!)),
            FieldType.User => User(f, v.GetString()!, row),
            FieldType.Link => new LinkValue(new RecordRef(f.ReferenceTo.Count == 1 ? f.ReferenceTo[0] : objectOfId(v.GetString()!) ?? f.ReferenceTo.FirstOrDefault() ?? string.Empty, v.GetString()!)),
            _ => new JsonFieldValue(v.Clone()),
        };
    }

    private static ChoiceValue Choice(SfField f, string value) =>
        new(value, f.Picklist.FirstOrDefault(p => p.Value.Equals(value, StringComparison.Ordinal))?.Label ?? value);

    private static UserValue User(SfField f, string id, JsonElement row)
    {
        var rel = row.TryGetProperty(f.RelationshipName!, out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        return new UserValue(new UserRef(id, Text(rel, "Email"), Text(rel, "Name")));
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
