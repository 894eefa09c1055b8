namespace PluginHub.Connectors.Abstractions;

/// <summary>The kind of a field; each maps onto one <see cref="FieldValue"/> kind.</summary>
public enum FieldType
{
    /// <summary><see cref="TextValue"/>.</summary>
    Text = 0,

    /// <summary><see cref="RichTextValue"/>.</summary>
    RichText = 1,

    /// <summary><see cref="IntegerValue"/>.</summary>
    Integer = 2,

    /// <summary><see cref="DecimalValue"/>.</summary>
    Decimal = 3,

    /// <summary><see cref="BooleanValue"/>.</summary>
    Boolean = 4,

    /// <summary><see cref="DateValue"/>.</summary>
    Date = 5,

    /// <summary><see cref="DateTimeValue"/>.</summary>
    DateTime = 6,

    /// <summary><see cref="ChoiceValue"/>; the values are in <see cref="FieldSchema.AllowedValues"/>.</summary>
    Choice = 7,

    /// <summary><see cref="MultiChoiceValue"/>.</summary>
    MultiChoice = 8,

    /// <summary><see cref="UserValue"/>.</summary>
    User = 9,

    /// <summary><see cref="LinkValue"/>; the target entities are in <see cref="FieldSchema.ReferenceTo"/>.</summary>
    Link = 10,

    /// <summary><see cref="ListValue"/>.</summary>
    List = 11,

    /// <summary><see cref="JsonFieldValue"/>.</summary>
    Json = 12,
}
