using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Salesforce.Describe;

/// <summary>Salesforce field types onto the contract's <see cref="FieldType"/>.</summary>
internal static class FieldMapping
{
    public static FieldType TypeOf(SfField f) => f.Type switch
    {
        "textarea" when f.IsHtml => FieldType.RichText,
        "id" or "string" or "textarea" or "email" or "phone" or "url" or "encryptedstring" or "combobox" or "time" => FieldType.Text,
        "picklist" => FieldType.Choice,
        "multipicklist" => FieldType.MultiChoice,
        "boolean" => FieldType.Boolean,
        "int" or "long" => FieldType.Integer,
        "double" or "currency" or "percent" => FieldType.Decimal,
        "date" => FieldType.Date,
        "datetime" => FieldType.DateTime,
        "reference" when f.IsUserReference => FieldType.User,
        "reference" => FieldType.Link,
        _ => FieldType.Json, // base64, address, location, anyType
    };

    /// <summary>A text field that can be searched exactly and holds one value per record: an external id or a unique text field.</summary>
    public static bool CanHoldCorrelationId(SfField f) => (f.ExternalId || f.Unique) && f.Type is "string" or "email" or "phone" or "url";

    public static FieldSchema ToSchema(SfField f, IReadOnlySet<string>? closedStatuses)
    {
        var type = TypeOf(f);
        return new FieldSchema
        {
            Name = f.Name,
            Label = f.Label,
            Type = type,
            RichTextFormat = type == FieldType.RichText ? RichTextFormat.Html : null,
            Required = f.Createable && !f.Nillable && !f.DefaultedOnCreate,
            ReadOnly = !f.Updateable && !f.Createable,
            IsCustom = f.Custom,
            CanHoldCorrelationId = CanHoldCorrelationId(f),
            MaxLength = f.Length > 0 && type is FieldType.Text or FieldType.RichText ? f.Length : null,
            AllowedValues = [.. f.Picklist.Select(v => new AllowedValue(v.Value, v.Label)
            {
                Active = v.Active,
                Category = closedStatuses is null ? null : closedStatuses.Contains(v.Value) ? "closed" : "open",
            })],
            ReferenceTo = type is FieldType.Link or FieldType.User ? f.ReferenceTo : [],
        };
    }
}
