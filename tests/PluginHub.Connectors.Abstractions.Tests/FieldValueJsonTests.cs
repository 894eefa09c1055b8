using System.Text.Json;
using System.Text.Json.Nodes;

namespace PluginHub.Connectors.Abstractions.Tests;

/// <summary>The one JSON shape of field values: a <c>"type"</c> discriminator first, then the kind's members.</summary>
public sealed class FieldValueJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static TheoryData<FieldValue, string> EveryKind => new()
    {
        { NullValue.Instance, "null" },
        { new TextValue("Printer on fire"), "text" },
        { new RichTextValue(RichTextFormat.Html, "<p>Hot</p>"), "richText" },
        { new IntegerValue(long.MaxValue), "integer" },
        { new DecimalValue(12345.6789m), "decimal" },
        { new BooleanValue(true), "boolean" },
        { new DateValue(new DateOnly(2024, 2, 29)), "date" },
        { new DateTimeValue(new DateTimeOffset(2024, 2, 29, 23, 59, 58, 123, TimeSpan.Zero)), "dateTime" },
        { new ChoiceValue("High", "High priority"), "choice" },
        { new MultiChoiceValue([new ChoiceValue("a", "A"), new ChoiceValue("b", null)]), "multiChoice" },
        { new UserValue(new UserRef("005xx", "ann@example.com", "Ann")), "user" },
        { new LinkValue(new RecordRef("Case", "500xx") { DisplayKey = "00001234" }), "link" },
        { new ListValue([new TextValue("x"), new IntegerValue(2), NullValue.Instance, new ListValue([new BooleanValue(false)])]), "list" },
        { new JsonFieldValue(JsonDocument.Parse("""{"street": "Main St 1", "geo": [1.5, 2]}""").RootElement.Clone()), "json" },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Every_kind_serialises_with_its_type_discriminator_first(FieldValue value, string discriminator)
    {
        var json = JsonSerializer.Serialize(value, Web);

        var node = JsonNode.Parse(json)!.AsObject();
        Assert.Equal("type", node.First().Key);
        Assert.Equal(discriminator, (string?)node["type"]);
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Every_kind_round_trips_to_an_equal_value_of_the_same_type(FieldValue value, string discriminator)
    {
        var json = JsonSerializer.Serialize(value, Web);

        var back = JsonSerializer.Deserialize<FieldValue>(json, Web);

        Assert.NotNull(back);
        Assert.IsType(value.GetType(), back);
        Assert.Equal(json, JsonSerializer.Serialize(back, Web));
        switch (value)
        {
            case MultiChoiceValue multi:
                Assert.Equal(multi.Values, ((MultiChoiceValue)back).Values);
                break;
            case ListValue list:
                Assert.Equal(list.Items.Count, ((ListValue)back).Items.Count);
                Assert.Equal(list.Items.Take(3), ((ListValue)back).Items.Take(3));
                Assert.Equal(((ListValue)list.Items[3]).Items, ((ListValue)((ListValue)back).Items[3]).Items);
                break;
            case JsonFieldValue raw:
                Assert.True(JsonElement.DeepEquals(raw.Value, ((JsonFieldValue)back).Value));
                break;
            default:
                // Records with scalar or record members compare by value.
                Assert.Equal(value, back);
                break;
        }

        Assert.StartsWith($"{{\"type\":\"{discriminator}\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_values_inside_a_record_keep_their_kinds()
    {
        var record = new Record
        {
            Ref = new RecordRef("Case", "500xx"),
            Version = "v1",
            ModifiedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Fields = new Dictionary<string, FieldValue>
            {
                ["Subject"] = new TextValue("Hi"),
                ["Count"] = new IntegerValue(3),
                ["Closed"] = NullValue.Instance,
            },
        };

        var json = JsonSerializer.Serialize(record, Web);
        var back = JsonSerializer.Deserialize<Record>(json, Web)!;

        Assert.Equal("integer", (string?)JsonNode.Parse(json)!["fields"]!["Count"]!["type"]);
        Assert.Equal(record.Ref, back.Ref);
        Assert.Equal(record.ModifiedAt, back.ModifiedAt);
        Assert.Equal(record.Fields.OrderBy(f => f.Key, StringComparer.Ordinal), back.Fields.OrderBy(f => f.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void The_members_use_web_names_and_values()
    {
        Assert.Equal("""{"type":"text","value":"a"}""", JsonSerializer.Serialize<FieldValue>(new TextValue("a"), Web));
        Assert.Equal("""{"type":"date","value":"2024-02-29"}""", JsonSerializer.Serialize<FieldValue>(new DateValue(new DateOnly(2024, 2, 29)), Web));
        Assert.Equal("""{"type":"choice","key":"k","label":null}""", JsonSerializer.Serialize<FieldValue>(new ChoiceValue("k", null), Web));
        Assert.Equal("""{"type":"null"}""", JsonSerializer.Serialize<FieldValue>(NullValue.Instance, Web));
    }

    [Fact]
    public void Deserialising_reads_the_discriminator_shape_written_by_hand()
    {
        var value = JsonSerializer.Deserialize<FieldValue>("""{"type": "link", "target": {"entity": "Issue", "id": "10001", "displayKey": "SUP-1"}}""", Web);

        Assert.Equal(new LinkValue(new RecordRef("Issue", "10001") { DisplayKey = "SUP-1" }), value);
    }

    [Fact]
    public void An_unknown_discriminator_is_rejected()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<FieldValue>("""{"type": "colour", "value": "red"}""", Web));
    }

    [Fact]
    public void The_discriminator_must_come_first_unless_out_of_order_metadata_is_allowed()
    {
        const string TypeLast = """{"value": "a", "type": "text"}""";

        // Plain web defaults only read "type" as the first member: JSON written by hand (rules, API clients) must put it first.
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Deserialize<FieldValue>(TypeLast, Web));
        var lenient = new JsonSerializerOptions(JsonSerializerDefaults.Web) { AllowOutOfOrderMetadataProperties = true };
        Assert.Equal(new TextValue("a"), JsonSerializer.Deserialize<FieldValue>(TypeLast, lenient));
    }
}
