using System.Globalization;
using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Text;
using PluginHub.Rules.Marshalling;

namespace PluginHub.Rules.Tests;

public sealed class MarshallingTests
{
    private static readonly Dictionary<string, FieldValue> EveryKind = new()
    {
        ["null"] = NullValue.Instance,
        ["text"] = new TextValue("héllo \"quoted\""),
        ["html"] = new RichTextValue(RichTextFormat.Html, "<p>Hi</p>"),
        ["adf"] = new RichTextValue(RichTextFormat.Adf, AdfText.FromText("Hi")),
        ["integer"] = new IntegerValue(42),
        ["decimal"] = new DecimalValue(12.5m),
        ["boolean"] = new BooleanValue(true),
        ["date"] = new DateValue(new DateOnly(2026, 1, 31)),
        ["dateTime"] = new DateTimeValue(new DateTimeOffset(2026, 1, 31, 12, 30, 0, TimeSpan.Zero)),
        ["choice"] = new ChoiceValue("High", "High priority"),
        ["multiChoice"] = new MultiChoiceValue([new ChoiceValue("a", "A"), new ChoiceValue("b", null)]),
        ["user"] = new UserValue(new UserRef("005A", "agent@pluginhub.test", "Agent")),
        ["link"] = new LinkValue(new RecordRef("Account", "001A") { DisplayKey = "ACME" }),
        ["list"] = new ListValue([new TextValue("x"), new IntegerValue(1)]),
        ["json"] = new JsonFieldValue(JsonDocument.Parse("""{"street":"Main St","n":[1,2]}""").RootElement),
    };

    private readonly RuleRuntime _runtime = RuleFixture.Runtime();

    [Fact]
    public async Task Scripts_see_plain_values()
    {
        using var batch = _runtime.Batch("function transform(record, target, ctx) { return { seen: JSON.stringify(record.fields), meta: JSON.stringify([record.id, record.entity, record.key, record.modifiedAt, record.modifiedBy, record.deleted]) }; }");
        var record = RuleFixture.Case() with { Fields = EveryKind };

        var fields = (await RuleFixture.Guarded(() => batch.Transform(record, new Dictionary<string, FieldValue>()))).GetValueOrThrow();

        Assert.Equal(
            """{"null":null,"text":"héllo \"quoted\"","html":{"format":"html","content":"<p>Hi</p>"},"adf":{"format":"adf","content":"{\"type\":\"doc\",\"version\":1,\"content\":[{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]}"},"integer":42,"decimal":12.5,"boolean":true,"date":"2026-01-31","dateTime":"2026-01-31T12:30:00.000Z","choice":{"key":"High","label":"High priority"},"multiChoice":[{"key":"a","label":"A"},{"key":"b","label":null}],"user":{"id":"005A","email":"agent@pluginhub.test","name":"Agent"},"link":{"entity":"Account","id":"001A","key":"ACME"},"list":["x",1],"json":{"street":"Main St","n":[1,2]}}""",
            ((TextValue)fields["seen"]).Value);
        Assert.Equal("""["500000000000001AAA","Case","00001001","2026-11-26T17:59:00.000Z",{"id":"005A","email":"agent@pluginhub.test","name":"Agent Smith"},false]""", ((TextValue)fields["meta"]).Value);
    }

    [Fact]
    public async Task An_identity_transform_gives_back_every_kind_unchanged()
    {
        using var batch = _runtime.Batch("function transform(record, target, ctx) { return target; }");

        var fields = (await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), EveryKind))).GetValueOrThrow();

        Assert.Equal(Json(EveryKind), Json(fields));
    }

    [Fact]
    public async Task Plain_values_take_the_kind_of_the_schema_then_of_the_mapped_value_then_of_their_shape()
    {
        var schema = new Dictionary<string, FieldSchema>
        {
            ["due"] = new() { Name = "due", Label = "Due", Type = FieldType.Date },
            ["description"] = new() { Name = "description", Label = "Description", Type = FieldType.RichText, RichTextFormat = RichTextFormat.Adf },
        };
        var target = new Dictionary<string, FieldValue>
        {
            ["priority"] = new ChoiceValue("Low", "Low"),
            ["assignee"] = NullValue.Instance,
            ["points"] = new DecimalValue(1m),
            ["notes"] = new RichTextValue(RichTextFormat.Html, "<p>x</p>"),
        };
        using var batch = _runtime.StartBatch(_runtime.Compile("kinds.js", """
            function transform(record, target, ctx) {
              return { due: '2026-02-01', description: 'Line 1\nLine 2', priority: 'High', points: 3, notes: 'a < b',
                       labels: ['x', 'y'], count: 2, ratio: 0.5, flag: false, who: { email: 'a@b.c' }, raw: { any: [1] } };
            }
            """), RuleFixture.Context(targetFields: schema));

        var fields = (await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), target))).GetValueOrThrow();

        Assert.Equal(new DateValue(new DateOnly(2026, 2, 1)), fields["due"]);
        Assert.Equal(new RichTextValue(RichTextFormat.Adf, AdfText.FromText("Line 1\nLine 2")), fields["description"]);
        Assert.Equal(new ChoiceValue("High", null), fields["priority"]);
        Assert.Equal(new DecimalValue(3m), fields["points"]);
        Assert.Equal(new RichTextValue(RichTextFormat.Html, "<p>a &lt; b</p>"), fields["notes"]);
        Assert.Equal(["x", "y"], ((MultiChoiceValue)fields["labels"]).Values.Select(v => v.Key));
        Assert.Equal(new IntegerValue(2), fields["count"]);
        Assert.Equal(new DecimalValue(0.5m), fields["ratio"]);
        Assert.Equal(new BooleanValue(false), fields["flag"]);
        Assert.Equal(new UserValue(new UserRef(null, "a@b.c", null)), fields["who"]);
        Assert.IsType<JsonFieldValue>(fields["raw"]);
    }

    [Fact]
    public async Task Results_go_through_JSON_stringify_dates_become_strings_and_undefined_is_not_written()
    {
        var target = new Dictionary<string, FieldValue>
        {
            ["due"] = new DateTimeValue(RuleFixture.Now),
            ["summary"] = new TextValue("kept"),
            ["points"] = new IntegerValue(1),
        };
        using var batch = _runtime.Batch("function transform(record, target, ctx) { return { due: new Date(Date.parse(ctx.now) + 86400000), summary: undefined, points: NaN }; }");

        var fields = (await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), target))).GetValueOrThrow();

        Assert.Equal(new DateTimeValue(RuleFixture.Now.AddDays(1)), fields["due"]);
        Assert.False(fields.ContainsKey("summary"));
        Assert.Equal(NullValue.Instance, fields["points"]);
    }

    [Theory]
    [InlineData("{ priority: [1] }", "field 'priority': expected a choice")]
    [InlineData("{ points: 1.5 }", "field 'points': expected a whole number")]
    [InlineData("{ due: 'soon' }", "field 'due': expected a date string")]
    [InlineData("[]", "transform must return an object")]
    [InlineData("null", "transform must return an object")]
    [InlineData("Promise.resolve({ points: 1 })", "transform must return an object")]
    [InlineData("new Map([['points', 1]])", "transform must return an object")]
    public async Task A_value_that_does_not_fit_its_field_fails_the_record_with_the_field_name(string returned, string message)
    {
        var target = new Dictionary<string, FieldValue>
        {
            ["priority"] = new ChoiceValue("Low", "Low"),
            ["points"] = new IntegerValue(1),
            ["due"] = new DateValue(new DateOnly(2026, 1, 1)),
        };
        using var batch = _runtime.Batch($"function transform(record, target, ctx) {{ return {returned}; }}");

        var result = await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), target));

        Assert.Equal(RuleErrorKind.InvalidResult, result.Error?.Kind);
        Assert.StartsWith(message, result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("target")]
    [InlineData("{ summary: 'x', priority: { key: 'High', label: 'High' }, flag: true, count: 2 }")]
    [InlineData("{ priority: { key: 'High' } }")]
    [InlineData("{ priority: { key: 'High', label: 5, extra: null, gone: undefined } }")]
    [InlineData("{ priority: { key: 5, label: 'Five' } }")]
    [InlineData("{ priority: { key: 'a', nested: { x: 1 } } }")]
    [InlineData("{ priority: 'Low', summary: 42, flag: false, points: -0 }")]
    [InlineData("{ summary: true, count: 9007199254740993, big: 1e21, ratio: 0.5, nan: NaN, inf: -Infinity }")]
    [InlineData("{ due: '2026-02-01', when: '2026-02-01T10:00:00Z', owner: 'a@b.c', body: 'Line 1\\nLine 2', raw: 'text' }")]
    [InlineData("{ count: 9007199254740993, points: 1e15, summary: -12, flag: null }")]
    [InlineData("{ '1': 'a', b: 'c', '0': 'z', u: undefined }")]
    [InlineData("{ get summary() { return 'getter'; } }")]
    [InlineData("{ summary: 's', toJSON() { return { summary: 'json' }; } }")]
    [InlineData("Object.defineProperty({ summary: 'x' }, 'toJSON', { value: () => ({ summary: 'hidden' }) })")]
    [InlineData("Object.defineProperty({ summary: 'x' }, 'hidden', { value: 'h', enumerable: false })")]
    [InlineData("Object.assign(Object.create(null), { summary: 's' })")]
    [InlineData("{ summary: 's', f() {}, sym: Symbol('x'), list: [1, 'a'], raw: { any: [1] } }")]
    [InlineData("{ priority: { key: 'a', get label() { return 'g'; } } }")]
    [InlineData("{ priority: new Date(0) }")]
    [InlineData("{ count: 1.5 }")]
    [InlineData("{ points: 1.5 }")]
    [InlineData("{ due: 'soon' }")]
    [InlineData("{ owner: 5 }")]
    public async Task Results_read_without_JSON_are_what_JSON_stringify_gives(string returned)
    {
        var schema = new Dictionary<string, FieldSchema>
        {
            ["due"] = new() { Name = "due", Label = "Due", Type = FieldType.Date },
            ["when"] = new() { Name = "when", Label = "When", Type = FieldType.DateTime },
            ["owner"] = new() { Name = "owner", Label = "Owner", Type = FieldType.User },
            ["body"] = new() { Name = "body", Label = "Body", Type = FieldType.RichText, RichTextFormat = RichTextFormat.Html },
            ["raw"] = new() { Name = "raw", Label = "Raw", Type = FieldType.Json },
        };
        var target = new Dictionary<string, FieldValue>(EveryKind)
        {
            ["summary"] = new TextValue("Printer on fire"),
            ["priority"] = new ChoiceValue("High", "High"),
            ["points"] = new DecimalValue(1m),
            ["count"] = new IntegerValue(1),
            ["flag"] = new BooleanValue(true),
        };
        using var batch = _runtime.Batch($"function transform(record, target, ctx) {{ return {returned}; }}", RuleFixture.Context(targetFields: schema));

        // Transform reads plain results directly; the tester's path always goes through JSON.stringify.
        var direct = await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), target));
        var viaJson = await RuleFixture.Guarded(() => batch.RunJson("transform", RuleFixture.Case(), target, null));

        Assert.Equal(viaJson.Error?.Message, direct.Error?.Message);
        Assert.Equal(viaJson.Value.Fields is { } fields ? Ordered(fields) : null, direct.Value is { } read ? Ordered(read) : null);
    }

    [Fact]
    public async Task Records_are_built_as_JSON_parse_builds_their_plain_JSON()
    {
        using var batch = _runtime.Batch("""
            function transform(record, target, ctx) {
              const shape = v => Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
              const flags = Object.values(Object.getOwnPropertyDescriptors(record.fields.choice)).map(d => [d.writable, d.enumerable, d.configurable]);
              return { json: JSON.stringify(record), shapes: JSON.stringify(Object.values(record.fields).map(shape)), flags: JSON.stringify(flags) };
            }
            """);
        var record = RuleFixture.Case() with { Fields = EveryKind };
        var expected = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(expected))
        {
            PlainJsonWriter.WriteRecord(writer, record);
        }

        var fields = (await RuleFixture.Guarded(() => batch.Transform(record, new Dictionary<string, FieldValue>()))).GetValueOrThrow();

        // Both re-written by one writer, so only content and order count, not how each side escapes.
        Assert.Equal(Canonical(System.Text.Encoding.UTF8.GetString(expected.WrittenSpan)), Canonical(((TextValue)fields["json"]).Value));
        Assert.Equal("""["null","string","object","object","number","number","boolean","string","string","object","array","object","object","array","object"]""", ((TextValue)fields["shapes"]).Value);
        Assert.Equal("[[true,true,true],[true,true,true]]", ((TextValue)fields["flags"]).Value);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00.0000000+00:00")]
    [InlineData("2026-01-31T12:30:05.1239999+00:00")]
    [InlineData("2026-03-01T01:02:03.0040000+05:30")]
    [InlineData("9999-12-31T23:59:59.9999999+00:00")]
    public void Date_times_are_written_as_toISOString_writes_them(string value)
    {
        var instant = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

        Assert.Equal(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), PlainJsonWriter.FormatDateTime(instant));
    }

    [Fact]
    public async Task Text_helpers_are_reachable_from_scripts()
    {
        using var batch = _runtime.Batch("""
            function transform(record, target, ctx) {
              return {
                html: ctx.text.htmlToText('<p>Hello <b>world</b></p><p>Bye</p>'),
                wiki: ctx.text.wikiToText('*bold* and [site|https://x.test]'),
                adf: ctx.text.adfToText(ctx.text.textToAdf('a\nb')),
                adfObject: ctx.text.adfToText(JSON.parse(ctx.text.textToAdf('obj'))),
                rich: ctx.text.toText(target.body),
                none: ctx.text.htmlToText(null),
              };
            }
            """);
        var target = new Dictionary<string, FieldValue> { ["body"] = new RichTextValue(RichTextFormat.JiraWiki, "h1. Title\n* one") };

        var fields = (await RuleFixture.Guarded(() => batch.Transform(RuleFixture.Case(), target))).GetValueOrThrow();

        Assert.Equal(new TextValue("Hello world\n\nBye"), fields["html"]);
        Assert.Equal(new TextValue("bold and site (https://x.test)"), fields["wiki"]);
        Assert.Equal(new TextValue("a\nb"), fields["adf"]);
        Assert.Equal(new TextValue("obj"), fields["adfObject"]);
        Assert.Equal(new TextValue("Title\n\n- one"), fields["rich"]);
        Assert.Equal(NullValue.Instance, fields["none"]);
    }

    [Fact]
    public async Task The_tester_reports_syntax_errors_rule_failures_and_results()
    {
        var tester = new RuleTester(_runtime);
        using var record = JsonDocument.Parse("""{"id":"1","entity":"Case","fields":{"Subject":"Hi","Due":{"type":"date","value":"2026-01-31"}}}""");

        var syntax = await tester.TestAsync(new RuleTestRequest { Script = "function transform(r, t) {\n  return {;\n}", Record = record.RootElement });
        var failure = await tester.TestAsync(new RuleTestRequest { Script = "function filter(r) {\n  return r.fields.Nope.x;\n}", Function = "filter", Record = record.RootElement });
        var ok = await tester.TestAsync(new RuleTestRequest { Script = "function transform(r, t, ctx) { ctx.log(r.fields.Due); return { summary: r.fields.Subject + '!' }; }", Record = record.RootElement });
        var badFunction = await tester.TestAsync(new RuleTestRequest { Script = "function filter(r) { return true; }", Function = "map", Record = record.RootElement });

        Assert.Equal((RuleTestStatus.InvalidScript, 2), (syntax.Status, syntax.SyntaxErrors.Single().Line));
        Assert.Equal((RuleTestStatus.RuleFailed, 2), (failure.Status, failure.Error?.Line));
        Assert.Equal(RuleTestStatus.Ok, ok.Status);
        Assert.Equal("""{"summary":"Hi!"}""", ok.Result!.Value.GetRawText());
        Assert.Equal(["2026-01-31"], ok.Logs);
        Assert.Equal(RuleTestStatus.InvalidInput, badFunction.Status);
    }

    private static string Canonical(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    /// <summary>The fields in their own order, so a different order shows too.</summary>
    private static string Ordered(IReadOnlyDictionary<string, FieldValue> fields) => JsonSerializer.Serialize(fields, RuleTester.JsonOptions);

    private static string Json(IReadOnlyDictionary<string, FieldValue> fields) =>
        JsonSerializer.Serialize(fields.OrderBy(f => f.Key, StringComparer.Ordinal).ToDictionary(), RuleTester.JsonOptions);

}
