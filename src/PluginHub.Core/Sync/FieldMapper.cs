using System.Globalization;
using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Integrations.Definitions;

namespace PluginHub.Core.Sync;

/// <summary>One field mapping seen from one direction: read <see cref="From"/> on one side, write <see cref="To"/> on the other.</summary>
/// <param name="From">The field read.</param>
/// <param name="To">The field written.</param>
/// <param name="ValueMap">Values replaced on the way (keys compare with the choice key, then its label, then the text).</param>
/// <param name="Default">The value written when the read value is empty.</param>
/// <param name="User">How user fields are matched; null for other fields.</param>
/// <param name="Conflict">Who wins when both sides changed this field since the last sync.</param>
public sealed record DirectedMapping(string From, string To, IReadOnlyDictionary<string, string>? ValueMap, JsonElement? Default, UserMatch? User, ConflictPolicy Conflict);

/// <summary>Turns the definition's field mappings into the mappings of one direction, and values of one side into values for the other.</summary>
public static class FieldMapper
{
    /// <summary>The mappings that carry data from <paramref name="from"/> to the other side.</summary>
    /// <param name="definition">The integration.</param>
    /// <param name="from">The side read.</param>
    public static IReadOnlyList<DirectedMapping> For(IntegrationDefinition definition, Side from)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var flow = from == Side.Source ? FlowDirection.ToTarget : FlowDirection.ToSource;
        return
        [
            .. definition.Fields
                .Where(m => m.Source is { Length: > 0 } && m.Target is { Length: > 0 } && (m.Direction == flow || m.Direction == FlowDirection.Both))
                .Where(_ => from == Side.Source || definition.Direction == SyncDirection.Bidirectional)
                .Select(m => new DirectedMapping(
                    From: from == Side.Source ? m.Source! : m.Target!,
                    To: from == Side.Source ? m.Target! : m.Source!,
                    ValueMap: from == Side.Source ? m.ValueMap?.ToTarget : m.ValueMap?.ToSource,
                    Default: from == Side.Source ? m.Default?.ToTarget : m.Default?.ToSource,
                    User: m.User,
                    Conflict: m.Conflict ?? definition.Conflict)),
        ];
    }

    /// <summary>
    /// The value to write for <paramref name="mapping"/>, shaped for the target field; null when nothing should be written
    /// (a user without e-mail, a user mapping set to none).
    /// </summary>
    /// <param name="mapping">The mapping.</param>
    /// <param name="value">The value read.</param>
    /// <param name="target">The target field as described; null when unknown (the value passes as it is).</param>
    public static FieldValue? Convert(DirectedMapping mapping, FieldValue value, FieldSchema? target)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(value);
        if (mapping.User is { } user || value is UserValue || target?.Type == FieldType.User)
        {
            return ConvertUser(mapping.User ?? new UserMatch(), value);
        }

        if (value is NullValue && mapping.Default is { } fallback)
        {
            value = FromJson(fallback);
        }

        var mapped = Lookup(mapping.ValueMap, value);
        return (target?.Type, value) switch
        {
            (_, NullValue) => NullValue.Instance,
            (FieldType.Text, _) => new TextValue(mapped ?? TextOf(value)),
            (FieldType.RichText, RichTextValue rich) when mapped is null => rich,
            (FieldType.RichText, _) => new RichTextValue(RichTextFormat.Plain, mapped ?? TextOf(value)),
            (FieldType.Choice, ChoiceValue choice) when mapped is null => choice,
            (FieldType.Choice, _) => new ChoiceValue(mapped ?? TextOf(value), mapped ?? TextOf(value)),
            (FieldType.MultiChoice, TextValue text) => new MultiChoiceValue([new ChoiceValue(mapped ?? text.Value, mapped ?? text.Value)]),
            (_, ChoiceValue) when mapped is not null => new ChoiceValue(mapped, mapped),
            (_, TextValue) when mapped is not null => new TextValue(mapped),
            _ => value,
        };
    }

    /// <summary>Plain text of a value, for text targets and value-map keys.</summary>
    /// <param name="value">The value.</param>
    public static string TextOf(FieldValue value) => value switch
    {
        TextValue t => t.Value,
        RichTextValue r => Connectors.Sdk.Text.PlainText.Of(r),
        ChoiceValue c => c.Label ?? c.Key,
        MultiChoiceValue m => string.Join(", ", m.Values.Select(v => v.Label ?? v.Key)),
        IntegerValue i => i.Value.ToString(CultureInfo.InvariantCulture),
        DecimalValue d => d.Value.ToString(CultureInfo.InvariantCulture),
        BooleanValue b => b.Value ? "true" : "false",
        DateValue d => d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeValue d => d.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        UserValue u => u.User.Email ?? u.User.DisplayName ?? string.Empty,
        LinkValue l => l.Target.DisplayKey ?? l.Target.Id,
        ListValue l => string.Join(", ", l.Items.Select(TextOf)),
        JsonFieldValue j => j.Value.GetRawText(),
        _ => string.Empty,
    };

    private static FieldValue? ConvertUser(UserMatch match, FieldValue value) => match.Mode switch
    {
        UserMatchMode.None => null,
        UserMatchMode.Fixed => match.Email is { Length: > 0 } email ? new UserValue(new UserRef(null, email, null)) : null,
        _ => value switch
        {
            UserValue { User.Email: { Length: > 0 } email } u => new UserValue(new UserRef(null, email, u.User.DisplayName)),
            NullValue => NullValue.Instance,
            _ => null,
        },
    };

    private static string? Lookup(IReadOnlyDictionary<string, string>? map, FieldValue value)
    {
        if (map is null || map.Count == 0)
        {
            return null;
        }

        foreach (var key in KeysOf(value))
        {
            if (map.TryGetValue(key, out var mapped))
            {
                return mapped;
            }
        }

        return null;
    }

    private static IEnumerable<string> KeysOf(FieldValue value)
    {
        switch (value)
        {
            case ChoiceValue c:
                yield return c.Key;
                if (c.Label is { } label)
                {
                    yield return label;
                }

                break;
            case NullValue:
                break;
            default:
                yield return TextOf(value);
                break;
        }
    }

    private static FieldValue FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => new TextValue(json.GetString()!),
        JsonValueKind.Number when json.TryGetInt64(out var l) => new IntegerValue(l),
        JsonValueKind.Number => new DecimalValue(json.GetDecimal()),
        JsonValueKind.True => new BooleanValue(true),
        JsonValueKind.False => new BooleanValue(false),
        JsonValueKind.Null or JsonValueKind.Undefined => NullValue.Instance,
        _ => new JsonFieldValue(json.Clone()),
    };
}
