using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Jira.Describe;

/// <summary>A Jira field as <c>GET /field</c> or create metadata describe it: its id, name and value schema.</summary>
/// <param name="Id">The field id (<c>summary</c>, <c>customfield_10042</c>), the key of <see cref="Record.Fields"/>.</param>
/// <param name="Name">What people see.</param>
/// <param name="Type">The schema type (<c>string</c>, <c>number</c>, <c>user</c>, <c>array</c>, <c>option</c>…).</param>
/// <param name="Items">For arrays, the item type.</param>
/// <param name="Custom">For custom fields, the custom type's short name (<c>textfield</c>, <c>textarea</c>, <c>select</c>); null for system fields.</param>
internal sealed record JiraField(string Id, string Name, string Type, string? Items, string? Custom)
{
    public bool IsCustom => Custom is not null;

    /// <summary>Rich text: the description, the environment and multi-line custom fields (ADF on v3, wiki markup on v2).</summary>
    public bool IsRichText => Id is "description" or "environment" || Custom == "textarea";

    /// <summary>Single-line text that JQL can search exactly: labels and text custom fields.</summary>
    public bool CanHoldCorrelationId => Id == "labels" || Custom is "textfield" or "labels";

    public static JiraField From(string id, string name, JsonNode? schema)
    {
        var custom = (string?)schema?["custom"];
        return new JiraField(id, name, (string?)schema?["type"] ?? "any", (string?)schema?["items"], custom is null ? null : custom[(custom.LastIndexOf(':') + 1)..]);
    }

    /// <summary>The contract's type for this field.</summary>
    public FieldType FieldType => Type switch
    {
        _ when IsRichText => FieldType.RichText,
        "string" => FieldType.Text,
        "number" => FieldType.Decimal,
        "date" => FieldType.Date,
        "datetime" => FieldType.DateTime,
        "user" => FieldType.User,
        "status" or "priority" or "resolution" or "option" or "issuetype" or "project" or "securitylevel" => FieldType.Choice,
        "array" when Items is "string" or "option" or "component" or "version" => FieldType.MultiChoice,
        "array" when Items is "user" => FieldType.List,
        _ => FieldType.Json,
    };
}
