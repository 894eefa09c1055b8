using System.Text.Json;

namespace PluginHub.Connectors.Salesforce.Describe;

/// <summary>One picklist value of a describe.</summary>
internal sealed record SfPicklistValue(string Value, string Label, bool Active);

/// <summary>The parts of a describe <c>fields[]</c> entry the connector uses (reference §5.6).</summary>
internal sealed record SfField
{
    public required string Name { get; init; }

    public required string Label { get; init; }

    /// <summary>The Salesforce type: <c>string, textarea, picklist, reference, datetime, …</c>.</summary>
    public required string Type { get; init; }

    public int Length { get; init; }

    public bool Createable { get; init; }

    public bool Updateable { get; init; }

    public bool Nillable { get; init; }

    public bool DefaultedOnCreate { get; init; }

    public bool ExternalId { get; init; }

    public bool Unique { get; init; }

    public bool Custom { get; init; }

    public bool NameField { get; init; }

    public bool HtmlFormatted { get; init; }

    public string? ExtraTypeInfo { get; init; }

    public bool RestrictedPicklist { get; init; }

    public IReadOnlyList<string> ReferenceTo { get; init; } = [];

    public string? RelationshipName { get; init; }

    public IReadOnlyList<SfPicklistValue> Picklist { get; init; } = [];

    /// <summary>Rich text areas hold HTML; every other text is plain.</summary>
    public bool IsHtml => Type == "textarea" && (HtmlFormatted || ExtraTypeInfo == "richtextarea");

    /// <summary>A lookup to users (OwnerId is one even though it may also point at a queue).</summary>
    public bool IsUserReference => Type == "reference" && ReferenceTo.Contains("User", StringComparer.Ordinal) && RelationshipName is not null;

    public static SfField From(JsonElement f) => new()
    {
        Name = f.GetProperty("name").GetString()!,
        Label = Str(f, "label") ?? f.GetProperty("name").GetString()!,
        Type = Str(f, "type") ?? "string",
        Length = f.TryGetProperty("length", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt32() : 0,
        Createable = Bool(f, "createable"),
        Updateable = Bool(f, "updateable"),
        Nillable = Bool(f, "nillable"),
        DefaultedOnCreate = Bool(f, "defaultedOnCreate"),
        ExternalId = Bool(f, "externalId"),
        Unique = Bool(f, "unique"),
        Custom = Bool(f, "custom"),
        NameField = Bool(f, "nameField"),
        HtmlFormatted = Bool(f, "htmlFormatted"),
        ExtraTypeInfo = Str(f, "extraTypeInfo"),
        RestrictedPicklist = Bool(f, "restrictedPicklist"),
        ReferenceTo = f.TryGetProperty("referenceTo", out var r) && r.ValueKind == JsonValueKind.Array ? [.. r.EnumerateArray().Select(x => x.GetString()!)] : [],
        RelationshipName = Str(f, "relationshipName"),
        Picklist = f.TryGetProperty("picklistValues", out var p) && p.ValueKind == JsonValueKind.Array
            ? [.. p.EnumerateArray().Select(v => new SfPicklistValue(v.GetProperty("value").GetString()!, Str(v, "label") ?? v.GetProperty("value").GetString()!, !v.TryGetProperty("active", out var a) || a.ValueKind != JsonValueKind.False))]
            : [],
    };

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
