using System.Text.Json;
using System.Text.Json.Serialization;

namespace PluginHub.Connectors.Abstractions;

/// <summary>
/// A typed field value. The set of kinds is closed (connectors map their types onto it) and serialises with a
/// <c>"type"</c> discriminator, the one JSON shape that rules, the API and tests share.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(NullValue), "null")]
[JsonDerivedType(typeof(TextValue), "text")]
[JsonDerivedType(typeof(RichTextValue), "richText")]
[JsonDerivedType(typeof(IntegerValue), "integer")]
[JsonDerivedType(typeof(DecimalValue), "decimal")]
[JsonDerivedType(typeof(BooleanValue), "boolean")]
[JsonDerivedType(typeof(DateValue), "date")]
[JsonDerivedType(typeof(DateTimeValue), "dateTime")]
[JsonDerivedType(typeof(ChoiceValue), "choice")]
[JsonDerivedType(typeof(MultiChoiceValue), "multiChoice")]
[JsonDerivedType(typeof(UserValue), "user")]
[JsonDerivedType(typeof(LinkValue), "link")]
[JsonDerivedType(typeof(ListValue), "list")]
[JsonDerivedType(typeof(JsonFieldValue), "json")]
public abstract record FieldValue
{
    private protected FieldValue()
    {
    }
}

/// <summary>An empty value. Use <see cref="Instance"/>.</summary>
public sealed record NullValue : FieldValue
{
    /// <summary>The one empty value.</summary>
    public static NullValue Instance { get; } = new();
}

/// <summary>Plain text.</summary>
/// <param name="Value">The text; never null (use <see cref="NullValue"/>).</param>
public sealed record TextValue(string Value) : FieldValue;

/// <summary>The markup a rich text value is written in.</summary>
public enum RichTextFormat
{
    /// <summary>No markup.</summary>
    Plain = 0,

    /// <summary>HTML (Salesforce rich text areas).</summary>
    Html = 1,

    /// <summary>Jira wiki markup (REST v2).</summary>
    JiraWiki = 2,

    /// <summary>Atlassian Document Format as JSON text (Jira Cloud REST v3).</summary>
    Adf = 3,
}

/// <summary>Text with markup.</summary>
/// <param name="Format">The markup the content is written in.</param>
/// <param name="Content">The content in that markup (ADF as JSON text).</param>
public sealed record RichTextValue(RichTextFormat Format, string Content) : FieldValue;

/// <summary>A whole number.</summary>
/// <param name="Value">The number.</param>
public sealed record IntegerValue(long Value) : FieldValue;

/// <summary>A decimal number (currency, percent, double fields).</summary>
/// <param name="Value">The number.</param>
public sealed record DecimalValue(decimal Value) : FieldValue;

/// <summary>A boolean.</summary>
/// <param name="Value">The value.</param>
public sealed record BooleanValue(bool Value) : FieldValue;

/// <summary>A calendar date without time or zone.</summary>
/// <param name="Value">The date.</param>
public sealed record DateValue(DateOnly Value) : FieldValue;

/// <summary>A point in time, normalised to UTC by the connector.</summary>
/// <param name="Value">The instant.</param>
public sealed record DateTimeValue(DateTimeOffset Value) : FieldValue;

/// <summary>One value of a closed list (status, priority, picklist).</summary>
/// <param name="Key">The stable API value (picklist API name, status id or name as the connector documents).</param>
/// <param name="Label">What people see; may equal <paramref name="Key"/>.</param>
public sealed record ChoiceValue(string Key, string? Label) : FieldValue;

/// <summary>Several values of a closed list (multi-select picklist, labels, components).</summary>
/// <param name="Values">The chosen values; empty when none.</param>
public sealed record MultiChoiceValue(IReadOnlyList<ChoiceValue> Values) : FieldValue;

/// <summary>A user (owner, assignee, reporter).</summary>
/// <param name="User">The user; matched across systems by e-mail.</param>
public sealed record UserValue(UserRef User) : FieldValue;

/// <summary>A reference to another record (lookup, parent, linked issue).</summary>
/// <param name="Target">The record pointed at.</param>
public sealed record LinkValue(RecordRef Target) : FieldValue;

/// <summary>An ordered list of values.</summary>
/// <param name="Items">The items.</param>
public sealed record ListValue(IReadOnlyList<FieldValue> Items) : FieldValue;

/// <summary>The escape hatch for values no other kind fits (compound fields, unknown custom field types).</summary>
/// <param name="Value">The raw JSON as the remote system returned it.</param>
public sealed record JsonFieldValue(JsonElement Value) : FieldValue;
