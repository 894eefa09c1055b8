using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Text;

namespace PluginHub.Rules.Marshalling;

/// <summary>What kind a plain value should become: from the target field's schema, else from the kind the mapping produced.</summary>
internal readonly record struct FieldHint(FieldType Type, RichTextFormat? Format = null)
{
    public static FieldHint? From(FieldSchema? schema) => schema is null ? null : new FieldHint(schema.Type, schema.RichTextFormat);

    public static FieldHint? From(FieldValue? value) => value switch
    {
        TextValue => new FieldHint(FieldType.Text),
        RichTextValue rich => new FieldHint(FieldType.RichText, rich.Format),
        IntegerValue => new FieldHint(FieldType.Integer),
        DecimalValue => new FieldHint(FieldType.Decimal),
        BooleanValue => new FieldHint(FieldType.Boolean),
        DateValue => new FieldHint(FieldType.Date),
        DateTimeValue => new FieldHint(FieldType.DateTime),
        ChoiceValue => new FieldHint(FieldType.Choice),
        MultiChoiceValue => new FieldHint(FieldType.MultiChoice),
        UserValue => new FieldHint(FieldType.User),
        LinkValue => new FieldHint(FieldType.Link),
        ListValue => new FieldHint(FieldType.List),
        JsonFieldValue => new FieldHint(FieldType.Json),
        _ => null, // NullValue and missing fields say nothing about the kind.
    };

    /// <summary>The hint for one result field: the written entity's schema first, else the kind the mapping produced.</summary>
    public static FieldHint? For(string field, IReadOnlyDictionary<string, FieldSchema>? schema, IReadOnlyDictionary<string, FieldValue> mapped) =>
        From(schema?.GetValueOrDefault(field)) ?? From(mapped.GetValueOrDefault(field));
}

/// <summary>A plain value that does not fit the field's kind; the message names what was expected.</summary>
internal sealed class PlainValueException(string message) : Exception(message);

/// <summary>
/// Turns plain JSON (what scripts return, what admins type into the rule tester) back into typed field values.
/// The rules are documented in rules/README.md ("From JavaScript back to fields"); keep both in step.
/// </summary>
internal static class PlainJsonReader
{
    private const int MaxDepth = 32;

    private static readonly string[] DateTimeFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd"];

    private static readonly HashSet<string> TypeTags =
    [
        "null", "text", "richText", "integer", "decimal", "boolean", "date", "dateTime", "choice", "multiChoice", "user", "link", "list", "json",
    ];

    /// <summary>The API's typed shape (<c>{"type": "text", "value": …}</c>), read in any property order.</summary>
    public static JsonSerializerOptions TypedOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static FieldValue Read(JsonElement element, FieldHint? hint) => Read(element, hint, 0);

    /// <summary>A field value written either in the typed API shape or in the plain shape (then inferred).</summary>
    public static FieldValue ReadTypedOrPlain(JsonElement element) =>
        IsTyped(element) ? element.Deserialize<FieldValue>(TypedOptions) ?? NullValue.Instance : Read(element, null);

    public static Dictionary<string, FieldValue> ReadFields(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new PlainValueException("fields must be an object");
        }

        var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            fields[property.Name] = ReadTypedOrPlain(property.Value);
        }

        return fields;
    }

    /// <summary>
    /// A record in the plain shape (<c>{id, entity, key, version, modifiedAt, modifiedBy, deleted, fields}</c>) or the API's
    /// typed shape (<c>{ref: {entity, id, displayKey}, …}</c>); missing metadata gets neutral values.
    /// </summary>
    public static Record ReadRecord(JsonElement element, DateTimeOffset defaultModifiedAt)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new PlainValueException("a record must be a JSON object");
        }

        string? entity = Str(element, "entity"), id = Str(element, "id"), key = Str(element, "key");
        if (element.TryGetProperty("ref", out var reference) && reference.ValueKind == JsonValueKind.Object)
        {
            entity = Str(reference, "entity") ?? entity;
            id = Str(reference, "id") ?? id;
            key = Str(reference, "displayKey") ?? key;
        }

        var modifiedAt = defaultModifiedAt;
        if (Str(element, "modifiedAt") is { } modified)
        {
            modifiedAt = ParseDateTime(modified) ?? throw new PlainValueException("modifiedAt must be an ISO date-time");
        }

        UserRef? modifiedBy = null;
        if (element.TryGetProperty("modifiedBy", out var by) && by.ValueKind == JsonValueKind.Object)
        {
            modifiedBy = ReadUser(by) ?? throw new PlainValueException("modifiedBy must have an id, email or name");
        }

        var fields = element.TryGetProperty("fields", out var f) && f.ValueKind != JsonValueKind.Null
            ? ReadFields(f)
            : new Dictionary<string, FieldValue>();
        return new Record
        {
            Ref = new RecordRef(entity ?? "", id ?? "") { DisplayKey = key },
            Version = Str(element, "version") ?? "",
            ModifiedAt = modifiedAt,
            ModifiedBy = modifiedBy,
            Deleted = element.TryGetProperty("deleted", out var deleted) && deleted.ValueKind == JsonValueKind.True,
            Fields = fields,
        };
    }

    public static DateTimeOffset? ParseDateTime(string text) =>
        DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    public static RichTextFormat? ParseFormat(string? name) => name switch
    {
        "plain" => RichTextFormat.Plain,
        "html" => RichTextFormat.Html,
        "jiraWiki" => RichTextFormat.JiraWiki,
        "adf" => RichTextFormat.Adf,
        _ => null,
    };

    private static bool IsTyped(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("type", out var type)
        && type.ValueKind == JsonValueKind.String
        && TypeTags.Contains(type.GetString()!);

    private static FieldValue Read(JsonElement element, FieldHint? hint, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new PlainValueException($"values nest deeper than {MaxDepth} levels");
        }

        if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return NullValue.Instance;
        }

        if (element.ValueKind == JsonValueKind.String && hint?.Type != FieldType.Json && FromString(element.GetString()!, hint) is { } fromString)
        {
            return fromString;
        }

        if (hint is not { } h)
        {
            return Infer(element, depth);
        }

        return h.Type switch
        {
            FieldType.Text => element.ValueKind switch
            {
                JsonValueKind.String => new TextValue(element.GetString()!),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => new TextValue(element.GetRawText()),
                _ => throw Expected("text (a string)", element),
            },
            FieldType.RichText => ReadRichText(element, h.Format ?? RichTextFormat.Plain),
            FieldType.Integer => element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var integer)
                ? new IntegerValue(integer)
                : throw Expected("a whole number", element),
            FieldType.Decimal => element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out var number)
                ? new DecimalValue(number)
                : throw Expected("a number", element),
            FieldType.Boolean => element.ValueKind switch
            {
                JsonValueKind.True => new BooleanValue(true),
                JsonValueKind.False => new BooleanValue(false),
                _ => throw Expected("true or false", element),
            },
            FieldType.Date => element.ValueKind == JsonValueKind.String && ParseDateTime(element.GetString()!) is { } date
                ? new DateValue(DateOnly.FromDateTime(date.UtcDateTime))
                : throw Expected("a date string (yyyy-mm-dd)", element),
            FieldType.DateTime => element.ValueKind == JsonValueKind.String && ParseDateTime(element.GetString()!) is { } instant
                ? new DateTimeValue(instant)
                : throw Expected("an ISO date-time string", element),
            FieldType.Choice => ReadChoice(element) ?? throw Expected("a choice ({key, label} or a key string)", element),
            FieldType.MultiChoice => ReadMultiChoice(element) ?? throw Expected("an array of choices ({key, label} or key strings)", element),
            FieldType.User => (element.ValueKind == JsonValueKind.String ? new UserRef(null, element.GetString(), null) : ReadUser(element)) is { } user
                ? new UserValue(user)
                : throw Expected("a user ({id, email, name} or an e-mail string)", element),
            FieldType.Link => ReadLink(element) ?? throw Expected("a link ({entity, id, key})", element),
            FieldType.List => element.ValueKind == JsonValueKind.Array
                ? new ListValue(element.EnumerateArray().Select(item => Infer(item, depth + 1)).ToArray())
                : throw Expected("an array", element),
            FieldType.Json => new JsonFieldValue(element.Clone()),
            _ => throw new PlainValueException($"unknown field type {h.Type}"),
        };
    }

    /// <summary>
    /// A string for a field of this kind (none: text), or null when a string does not fit it (the caller reports that).
    /// Shared by the JSON path and <see cref="PlainJsReader"/>, so both read strings alike.
    /// </summary>
    public static FieldValue? FromString(string text, FieldHint? hint) => hint switch
    {
        null or { Type: FieldType.Text } => new TextValue(text),
        { Type: FieldType.RichText, Format: var format } => RichTextFromText(text, format ?? RichTextFormat.Plain),
        { Type: FieldType.Date } => ParseDateTime(text) is { } date ? new DateValue(DateOnly.FromDateTime(date.UtcDateTime)) : null,
        { Type: FieldType.DateTime } => ParseDateTime(text) is { } instant ? new DateTimeValue(instant) : null,
        { Type: FieldType.Choice } => new ChoiceValue(text, null),
        { Type: FieldType.User } => new UserValue(new UserRef(null, text, null)),
        _ => null,
    };

    /// <summary>The kind a plain value has when neither a schema nor the mapping says.</summary>
    private static FieldValue Infer(JsonElement element, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return NullValue.Instance;
            case JsonValueKind.String:
                return new TextValue(element.GetString()!);
            case JsonValueKind.True or JsonValueKind.False:
                return new BooleanValue(element.ValueKind == JsonValueKind.True);
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var integer))
                {
                    return new IntegerValue(integer);
                }

                return element.TryGetDecimal(out var number) ? new DecimalValue(number) : new JsonFieldValue(element.Clone());
            case JsonValueKind.Array:
                return ReadMultiChoice(element)
                    ?? (FieldValue)new ListValue(element.EnumerateArray().Select(item => Infer(item, depth + 1)).ToArray());
            default:
                if (element.TryGetProperty("format", out var format) && element.TryGetProperty("content", out _)
                    && ParseFormat(format.ValueKind == JsonValueKind.String ? format.GetString() : null) is not null)
                {
                    return ReadRichText(element, RichTextFormat.Plain);
                }

                if (element.TryGetProperty("key", out _) && ReadChoice(element) is { } choice)
                {
                    return choice;
                }

                if (element.TryGetProperty("entity", out _) && ReadLink(element) is { } link)
                {
                    return link;
                }

                if (OnlyUserProperties(element) && ReadUser(element) is { } user)
                {
                    return new UserValue(user);
                }

                return new JsonFieldValue(element.Clone());
        }
    }

    /// <summary>A string is plain text and is converted to the field's markup; <c>{format, content}</c> is kept as written.</summary>
    private static RichTextValue ReadRichText(JsonElement element, RichTextFormat fieldFormat)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return RichTextFromText(element.GetString()!, fieldFormat);
        }

        if (element.ValueKind == JsonValueKind.Object
            && ParseFormat(Str(element, "format")) is { } format
            && element.TryGetProperty("content", out var content))
        {
            return content.ValueKind switch
            {
                JsonValueKind.String => new RichTextValue(format, content.GetString()!),
                // An ADF document built as an object in the script is stored as JSON text, as the model says.
                JsonValueKind.Object when format == RichTextFormat.Adf => new RichTextValue(format, content.GetRawText()),
                _ => throw Expected("rich text content (a string)", content),
            };
        }

        throw Expected("rich text (a plain-text string or {format, content})", element);
    }

    private static RichTextValue RichTextFromText(string text, RichTextFormat fieldFormat) => new(fieldFormat, fieldFormat switch
    {
        RichTextFormat.Html => HtmlText.FromText(text),
        RichTextFormat.JiraWiki => WikiText.FromText(text),
        RichTextFormat.Adf => AdfText.FromText(text),
        _ => text,
    });

    private static ChoiceValue? ReadChoice(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return new ChoiceValue(element.GetString()!, null);
        }

        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("key", out var key))
        {
            return null;
        }

        var keyText = key.ValueKind switch
        {
            JsonValueKind.String => key.GetString(),
            JsonValueKind.Number => key.GetRawText(),
            _ => null,
        };
        return keyText is null ? null : new ChoiceValue(keyText, Str(element, "label"));
    }

    private static MultiChoiceValue? ReadMultiChoice(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var values = new List<ChoiceValue>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (ReadChoice(item) is not { } choice)
            {
                return null;
            }

            values.Add(choice);
        }

        return new MultiChoiceValue(values);
    }

    private static UserRef? ReadUser(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? id = Str(element, "id"), email = Str(element, "email"), name = Str(element, "name") ?? Str(element, "displayName");
        return id is null && email is null && name is null ? null : new UserRef(id, email, name);
    }

    private static LinkValue? ReadLink(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || Str(element, "entity") is not { } entity || Str(element, "id") is not { } id)
        {
            return null;
        }

        return new LinkValue(new RecordRef(entity, id) { DisplayKey = Str(element, "key") });
    }

    private static bool OnlyUserProperties(JsonElement element)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name is not ("id" or "email" or "name"))
            {
                return false;
            }
        }

        return true;
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static PlainValueException Expected(string what, JsonElement got)
    {
        var kind = got.ValueKind switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "nothing",
        };
        return new PlainValueException($"expected {what} but got {kind}");
    }
}
