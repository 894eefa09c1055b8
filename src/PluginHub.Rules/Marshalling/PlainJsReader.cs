using System.Globalization;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Rules.Marshalling;

/// <summary>
/// Reads a transform's result object straight from the engine, skipping JSON.stringify and JSON parsing, for the results
/// where that provably gives what the JSON path gives: only own data properties (no getter or <c>toJSON</c> to run),
/// strings, whole numbers, booleans, null and flat choice objects, and a result that cannot be over
/// <see cref="RuleLimits.MaxResultLength"/>. Anything else answers null and the caller takes the JSON path, which stays
/// the definition (rules/README.md "From JavaScript back to fields").
/// </summary>
internal static class PlainJsReader
{
    /// <summary>Whole numbers up to 2^53 print as plain digits in JSON and convert to long exactly.</summary>
    private const double MaxExactInteger = 9_007_199_254_740_992;

    /// <summary>
    /// The fields of <paramref name="result"/> (a plain object whose prototype has no <c>toJSON</c>), or null to take the JSON path.
    /// </summary>
    public static Dictionary<string, FieldValue>? TryReadFields(
        ObjectInstance result, IReadOnlyDictionary<string, FieldSchema>? schema, IReadOnlyDictionary<string, FieldValue> mapped, long maxLength)
    {
        if (result is not JsObject || HasToJson(result))
        {
            return null;
        }

        var keys = result.GetOwnPropertyKeys(Types.String);
        var fields = new Dictionary<string, FieldValue>(keys.Count, StringComparer.Ordinal);
        long length = 2; // An upper bound of the JSON's UTF-8 length: JSON.stringify may escape any character to \uXXXX.
        foreach (var key in keys)
        {
            if (!TryGetData(result, key, out var value))
            {
                return null;
            }

            if (value is null || value.IsUndefined())
            {
                continue; // not enumerable, or undefined: JSON.stringify leaves it out
            }

            var name = key.AsString();
            length += Bound(name) + 2 + (value is JsString s ? Bound(s.Length) : 24);
            if (length > maxLength)
            {
                return null; // the JSON path measures it exactly
            }

            var hint = FieldHint.For(name, schema, mapped);
            var field = value switch
            {
                _ when value.IsNull() => (FieldValue?)NullValue.Instance,
                JsString text => PlainJsonReader.FromString(text.ToString(), hint),
                JsNumber number => ReadNumber(number.AsNumber(), hint),
                JsBoolean boolean => hint switch
                {
                    null or { Type: FieldType.Boolean } => new BooleanValue(boolean.AsBoolean()),
                    { Type: FieldType.Text } => new TextValue(boolean.AsBoolean() ? "true" : "false"),
                    _ => (FieldValue?)null,
                },
                ObjectInstance choice when hint is { Type: FieldType.Choice } => ReadChoice(choice, ref length),
                _ => null,
            };
            if (field is null || length > maxLength)
            {
                return null;
            }

            fields[name] = field;
        }

        return fields;
    }

    /// <summary>Finite whole numbers only: other numbers print in forms (1e+21, 0.1) the JSON path parses its own way.</summary>
    private static FieldValue? ReadNumber(double number, FieldHint? hint)
    {
        if (!double.IsFinite(number))
        {
            return NullValue.Instance; // JSON.stringify writes null
        }

        if (Math.Floor(number) != number || Math.Abs(number) > MaxExactInteger)
        {
            return null;
        }

        var integer = (long)number; // -0 prints as 0, as in JSON
        return hint switch
        {
            null or { Type: FieldType.Integer } => new IntegerValue(integer),
            { Type: FieldType.Decimal } => new DecimalValue(integer),
            { Type: FieldType.Text } => new TextValue(integer.ToString(CultureInfo.InvariantCulture)),
            _ => null,
        };
    }

    /// <summary>A flat <c>{key, label}</c> with a string key: every own property a primitive, so nothing runs while it is serialised.</summary>
    private static ChoiceValue? ReadChoice(ObjectInstance choice, ref long length)
    {
        if (choice is not JsObject || !IsPlainPrototype(choice) || HasToJson(choice))
        {
            return null;
        }

        string? key = null, label = null;
        foreach (var property in choice.GetOwnPropertyKeys(Types.String))
        {
            if (!TryGetData(choice, property, out var value))
            {
                return null;
            }

            if (value is null || value.IsUndefined())
            {
                continue;
            }

            if (value is not (JsString or JsNumber or JsBoolean) && !value.IsNull())
            {
                return null;
            }

            var name = property.AsString();
            length += Bound(name) + 2 + (value is JsString s ? Bound(s.Length) : 24);
            if (name == "key")
            {
                key = value is JsString k ? k.ToString() : null;
            }
            else if (name == "label" && value is JsString l)
            {
                label = l.ToString();
            }
        }

        return key is null ? null : new ChoiceValue(key, label);
    }

    /// <summary>An own data property's value (null when it is not enumerable); false for a getter, which JSON.stringify would run.</summary>
    private static bool TryGetData(ObjectInstance obj, JsValue key, out JsValue? value)
    {
        var descriptor = obj.GetOwnProperty(key);
        value = null;
        if (descriptor.IsAccessorDescriptor())
        {
            return false;
        }

        if (descriptor.Enumerable)
        {
            value = descriptor.Value;
        }

        return true;
    }

    /// <summary>An own <c>toJSON</c>, even a non-enumerable one, would run; the caller already checked the prototype.</summary>
    private static bool HasToJson(ObjectInstance obj) => obj.GetOwnProperty("toJSON") != PropertyDescriptor.Undefined;

    private static bool IsPlainPrototype(ObjectInstance obj) =>
        obj.Prototype is null || ReferenceEquals(obj.Prototype, obj.Engine.Intrinsics.Object.PrototypeObject);

    private static long Bound(string text) => Bound(text.Length);

    private static long Bound(int length) => 6L * length + 2;
}
