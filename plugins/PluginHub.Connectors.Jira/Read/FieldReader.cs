using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Describe;

namespace PluginHub.Connectors.Jira.Read;

/// <summary>Turns Jira's JSON field values into the contract's typed values.</summary>
/// <remarks>Statuses, priorities and options are read as <see cref="ChoiceValue"/> keyed by their name (value for options),
/// the same key the writer accepts, so that value maps can be written with what people see in Jira.</remarks>
internal static class FieldReader
{
    public static FieldValue Read(JiraField field, JsonNode? node)
    {
        if (node is null)
        {
            return NullValue.Instance;
        }

        if (field.IsRichText)
        {
            return node is JsonObject adf
                ? new RichTextValue(RichTextFormat.Adf, adf.ToJsonString())
                : new RichTextValue(RichTextFormat.JiraWiki, node.ToString());
        }

        switch (field.Type)
        {
            case "string" when node is JsonValue:
                return new TextValue(node.ToString());
            case "number" when node is JsonValue number:
                return new DecimalValue(number.GetValue<decimal>());
            case "date" when node is JsonValue date:
                return new DateValue(DateOnly.ParseExact(date.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture));
            case "datetime" when node is JsonValue:
                return new DateTimeValue(JiraTime.Parse(node.ToString()));
            case "user" when node is JsonObject user:
                return new UserValue(User(user));
            case "project" when node is JsonObject project:
                return new ChoiceValue((string?)project["key"] ?? "", (string?)project["name"]);
            case "status" or "priority" or "resolution" or "option" or "issuetype" or "securitylevel" when node is JsonObject choice:
                return Choice(choice);
            case "array" when node is JsonArray items && field.Items is "string" or "option" or "component" or "version":
                return new MultiChoiceValue([.. items.Select(i => i is JsonObject o ? Choice(o) : new ChoiceValue(i?.ToString() ?? "", i?.ToString()))]);
            case "array" when node is JsonArray users && field.Items == "user":
                return new ListValue([.. users.OfType<JsonObject>().Select(u => (FieldValue)new UserValue(User(u)))]);
            default:
                return new JsonFieldValue(JsonSerializer.SerializeToElement(node));
        }
    }

    /// <summary>A user: accountId on Cloud, name on Server; the e-mail may be hidden (Cloud privacy settings).</summary>
    public static UserRef User(JsonObject user) => new(
        (string?)user["accountId"] ?? (string?)user["name"] ?? (string?)user["key"],
        (string?)user["emailAddress"] is { Length: > 0 } email ? email : null,
        (string?)user["displayName"]);

    private static ChoiceValue Choice(JsonObject o)
    {
        var key = (string?)o["name"] ?? (string?)o["value"] ?? (string?)o["id"] ?? "";
        return new ChoiceValue(key, key);
    }
}
