using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Describe;
using PluginHub.Connectors.Salesforce.Read;
using PluginHub.Connectors.Sdk.Text;

namespace PluginHub.Connectors.Salesforce.Write;

/// <summary>A value ready for a request body, or why the field cannot take it (the reason never quotes the value).</summary>
internal readonly record struct Converted(JsonNode? Value, string? Rejection)
{
    public static Converted Reject(string reason) => new(null, reason);
}

/// <summary>
/// <see cref="FieldValue"/> → Salesforce JSON for one described field: picklist values are checked against the describe, rich text
/// becomes HTML for rich text areas and plain text elsewhere, users given by e-mail become user ids.
/// </summary>
internal static class ValueConverter
{
    public static Converted Convert(SfField f, FieldValue value, IReadOnlyDictionary<string, string> userIdsByEmail)
    {
        if (value is NullValue)
        {
            return new Converted(null, null);
        }

        try
        {
            return FieldMapping.TypeOf(f) switch
            {
                FieldType.Text or FieldType.RichText => Text(f, value),
                FieldType.Choice => value switch
                {
                    ChoiceValue c => Pick(f, c.Key),
                    TextValue t => Pick(f, t.Value),
                    _ => Mismatch(f, value),
                },
                FieldType.MultiChoice => Multi(f, value),
                FieldType.Boolean => value switch
                {
                    BooleanValue b => Ok(JsonValue.Create(b.Value)),
                    TextValue t when bool.TryParse(t.Value, out var b) => Ok(JsonValue.Create(b)),
                    _ => Mismatch(f, value),
                },
                FieldType.Integer => value switch
                {
                    IntegerValue i => Ok(JsonValue.Create(i.Value)),
                    DecimalValue d when d.Value == decimal.Truncate(d.Value) => Ok(JsonValue.Create((long)d.Value)),
                    TextValue t when long.TryParse(t.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => Ok(JsonValue.Create(i)),
                    _ => Mismatch(f, value),
                },
                FieldType.Decimal => value switch
                {
                    DecimalValue d => Ok(JsonValue.Create(d.Value)),
                    IntegerValue i => Ok(JsonValue.Create((decimal)i.Value)),
                    TextValue t when decimal.TryParse(t.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => Ok(JsonValue.Create(d)),
                    _ => Mismatch(f, value),
                },
                FieldType.Date => value switch
                {
                    DateValue d => Ok(JsonValue.Create(d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
                    DateTimeValue dt => Ok(JsonValue.Create(DateOnly.FromDateTime(dt.Value.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
                    TextValue t when DateOnly.TryParseExact(t.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => Ok(JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
                    _ => Mismatch(f, value),
                },
                FieldType.DateTime => value switch
                {
                    DateTimeValue dt => Ok(JsonValue.Create(Soql.DateTime(dt.Value))),
                    DateValue d => Ok(JsonValue.Create(Soql.DateTime(new DateTimeOffset(d.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)))),
                    TextValue t when DateTimeOffset.TryParse(t.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt) => Ok(JsonValue.Create(Soql.DateTime(dt))),
                    _ => Mismatch(f, value),
                },
                FieldType.User => User(f, value, userIdsByEmail),
                FieldType.Link => value switch
                {
                    LinkValue l when Soql.IsId(l.Target.Id) => Ok(JsonValue.Create(l.Target.Id)),
                    TextValue t when Soql.IsId(t.Value) => Ok(JsonValue.Create(t.Value)),
                    _ => Mismatch(f, value),
                },
                _ => value switch
                {
                    JsonFieldValue j => Ok(JsonNode.Parse(j.Value.GetRawText())),
                    TextValue t => Ok(JsonValue.Create(t.Value)),
                    _ => Mismatch(f, value),
                },
            };
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return Converted.Reject($"The value for {f.Name} could not be converted ({e.GetType().Name}).");
        }
    }

    /// <summary>The e-mails of user values that carry no id, so that the writer can resolve them all in one query.</summary>
    public static IEnumerable<string> EmailsToResolve(FieldValue value) => value switch
    {
        UserValue { User: { Id: null, Email: { } email } } => [email],
        UserValue { User: { Id: { } id, Email: { } email } } when !Soql.IsId(id) => [email],
        TextValue t when t.Value.Contains('@', StringComparison.Ordinal) => [t.Value],
        _ => [],
    };

    /// <summary>Plain text for any rich text format.</summary>
    public static string ToPlain(RichTextValue text) => text.Format switch
    {
        RichTextFormat.Html => HtmlText.ToText(text.Content),
        RichTextFormat.JiraWiki => WikiText.ToText(text.Content),
        RichTextFormat.Adf => AdfText.ToText(text.Content),
        _ => text.Content,
    };

    /// <summary>HTML for any rich text format.</summary>
    public static string ToHtml(RichTextValue text) => text.Format == RichTextFormat.Html ? text.Content : HtmlText.FromText(ToPlain(text));

    private static Converted Text(SfField f, FieldValue value)
    {
        var text = value switch
        {
            TextValue t => f.IsHtml ? HtmlText.FromText(t.Value) : t.Value,
            RichTextValue r => f.IsHtml ? ToHtml(r) : ToPlain(r),
            IntegerValue i => i.Value.ToString(CultureInfo.InvariantCulture),
            DecimalValue d => d.Value.ToString(CultureInfo.InvariantCulture),
            ChoiceValue c => c.Key,
            _ => null,
        };
        if (text is null)
        {
            return Mismatch(f, value);
        }

        return f.Length > 0 && text.Length > f.Length && f.Type != "id"
            ? Converted.Reject($"The value is longer than the {f.Length} characters {f.Name} holds.")
            : Ok(JsonValue.Create(text));
    }

    private static Converted Pick(SfField f, string key)
    {
        var match = f.Picklist.FirstOrDefault(p => p.Active && p.Value.Equals(key, StringComparison.OrdinalIgnoreCase));
        return match is null
            ? Converted.Reject($"Not an active value of the picklist {f.Name}.")
            : Ok(JsonValue.Create(match.Value));
    }

    private static Converted Multi(SfField f, FieldValue value)
    {
        IEnumerable<string>? keys = value switch
        {
            MultiChoiceValue m => m.Values.Select(v => v.Key),
            ListValue l => l.Items.Select(i => i switch { ChoiceValue c => c.Key, TextValue t => t.Value, _ => string.Empty }),
            ChoiceValue c => [c.Key],
            TextValue t => t.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            _ => null,
        };
        if (keys is null)
        {
            return Mismatch(f, value);
        }

        var canonical = new List<string>();
        foreach (var key in keys)
        {
            var picked = Pick(f, key);
            if (picked.Rejection is not null)
            {
                return picked;
            }

            canonical.Add(picked.Value!.GetValue<string>());
        }

        return Ok(JsonValue.Create(string.Join(';', canonical)));
    }

    private static Converted User(SfField f, FieldValue value, IReadOnlyDictionary<string, string> userIdsByEmail)
    {
        var (id, email) = value switch
        {
            UserValue u => (u.User.Id, u.User.Email),
            TextValue t => (t.Value, t.Value),
            LinkValue l => (l.Target.Id, null),
            _ => (null, null),
        };
        if (Soql.IsId(id))
        {
            return Ok(JsonValue.Create(id));
        }

        if (email is not null && userIdsByEmail.TryGetValue(email, out var resolved))
        {
            return Ok(JsonValue.Create(resolved));
        }

        return value is UserValue or TextValue
            ? Converted.Reject($"No Salesforce user has the e-mail given for {f.Name}.")
            : Mismatch(f, value);
    }

    private static Converted Ok(JsonNode? node) => new(node, null);

    private static Converted Mismatch(SfField f, FieldValue value) =>
        Converted.Reject($"A {value.GetType().Name.Replace("Value", string.Empty, StringComparison.Ordinal).ToLowerInvariant()} value cannot be written to the {f.Type} field {f.Name}.");
}
