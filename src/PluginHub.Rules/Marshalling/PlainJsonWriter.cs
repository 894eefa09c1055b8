using System.Globalization;
using System.Text.Json;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Rules.Marshalling;

/// <summary>
/// Writes the generic record model as the plain JSON that scripts see (rules/pluginhub.d.ts): no type tags, dates as ISO
/// strings, choices as <c>{key, label}</c>. This is the definition of what scripts get: the sandbox builds the same JS
/// objects directly (a test holds them equal) and parses this JSON only for decimals, lists and raw JSON values.
/// </summary>
internal static class PlainJsonWriter
{
    public static void WriteRecord(Utf8JsonWriter writer, Record record)
    {
        writer.WriteStartObject();
        writer.WriteString("id", record.Ref.Id);
        writer.WriteString("entity", record.Ref.Entity);
        WriteNullableString(writer, "key", record.Ref.DisplayKey);
        writer.WriteString("version", record.Version);
        writer.WriteString("modifiedAt", FormatDateTime(record.ModifiedAt));
        writer.WritePropertyName("modifiedBy");
        if (record.ModifiedBy is { } user)
        {
            WriteUser(writer, user);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteBoolean("deleted", record.Deleted);
        writer.WritePropertyName("fields");
        WriteFields(writer, record.Fields);
        writer.WriteEndObject();
    }

    public static void WriteFields(Utf8JsonWriter writer, IReadOnlyDictionary<string, FieldValue> fields)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in fields)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, FieldValue? value)
    {
        switch (value)
        {
            case null or NullValue:
                writer.WriteNullValue();
                break;
            case TextValue text:
                writer.WriteStringValue(text.Value);
                break;
            case RichTextValue rich:
                writer.WriteStartObject();
                writer.WriteString("format", FormatName(rich.Format));
                writer.WriteString("content", rich.Content);
                writer.WriteEndObject();
                break;
            case IntegerValue integer:
                writer.WriteNumberValue(integer.Value);
                break;
            case DecimalValue number:
                writer.WriteNumberValue(number.Value);
                break;
            case BooleanValue boolean:
                writer.WriteBooleanValue(boolean.Value);
                break;
            case DateValue date:
                writer.WriteStringValue(date.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTimeValue dateTime:
                writer.WriteStringValue(FormatDateTime(dateTime.Value));
                break;
            case ChoiceValue choice:
                WriteChoice(writer, choice);
                break;
            case MultiChoiceValue multi:
                writer.WriteStartArray();
                foreach (var item in multi.Values)
                {
                    WriteChoice(writer, item);
                }

                writer.WriteEndArray();
                break;
            case UserValue user:
                WriteUser(writer, user.User);
                break;
            case LinkValue link:
                writer.WriteStartObject();
                writer.WriteString("entity", link.Target.Entity);
                writer.WriteString("id", link.Target.Id);
                WriteNullableString(writer, "key", link.Target.DisplayKey);
                writer.WriteEndObject();
                break;
            case ListValue list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonFieldValue json:
                json.Value.WriteTo(writer);
                break;
            default:
                throw new NotSupportedException($"Unknown field value kind {value.GetType().Name}.");
        }
    }

    /// <summary>
    /// The same form as JavaScript's <c>Date.prototype.toISOString</c> (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>), so scripts can compare
    /// strings. Written digit by digit: every record has one, and a custom format string is parsed on every call.
    /// </summary>
    public static string FormatDateTime(DateTimeOffset value) => string.Create(24, value.UtcDateTime, static (text, utc) =>
    {
        Digits(text[..4], utc.Year);
        text[4] = '-';
        Digits(text.Slice(5, 2), utc.Month);
        text[7] = '-';
        Digits(text.Slice(8, 2), utc.Day);
        text[10] = 'T';
        Digits(text.Slice(11, 2), utc.Hour);
        text[13] = ':';
        Digits(text.Slice(14, 2), utc.Minute);
        text[16] = ':';
        Digits(text.Slice(17, 2), utc.Second);
        text[19] = '.';
        Digits(text.Slice(20, 3), utc.Millisecond);
        text[23] = 'Z';
    });

    public static string FormatName(RichTextFormat format) => format switch
    {
        RichTextFormat.Plain => "plain",
        RichTextFormat.Html => "html",
        RichTextFormat.JiraWiki => "jiraWiki",
        RichTextFormat.Adf => "adf",
        _ => throw new NotSupportedException($"Unknown rich text format {format}."),
    };

    /// <summary>Zero-padded to the span's length.</summary>
    private static void Digits(Span<char> text, int value)
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            text[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    private static void WriteChoice(Utf8JsonWriter writer, ChoiceValue choice)
    {
        writer.WriteStartObject();
        writer.WriteString("key", choice.Key);
        WriteNullableString(writer, "label", choice.Label);
        writer.WriteEndObject();
    }

    private static void WriteUser(Utf8JsonWriter writer, UserRef user)
    {
        writer.WriteStartObject();
        WriteNullableString(writer, "id", user.Id);
        WriteNullableString(writer, "email", user.Email);
        WriteNullableString(writer, "name", user.DisplayName);
        writer.WriteEndObject();
    }

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
