using System.Text.Json.Nodes;

namespace PluginHub.Connectors.Jira.Api;

/// <summary>A Jira answer: its status and its JSON body (null when empty or not JSON).</summary>
internal sealed record JiraResponse(int Status, JsonNode? Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>Jira's error collection (<c>{"errorMessages":[…],"errors":{field: message}}</c>), empty when there is none.</summary>
    public JiraErrors Errors => JiraErrors.From(Body);
}

/// <summary>Jira's error collection, read defensively: older servers send <c>"errors":[]</c>, 401s may be plain text.</summary>
internal sealed record JiraErrors(IReadOnlyList<string> Messages, IReadOnlyDictionary<string, string> Fields)
{
    public static JiraErrors From(JsonNode? body)
    {
        var messages = new List<string>();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body is JsonObject o)
        {
            if (o["errorMessages"] is JsonArray list)
            {
                messages.AddRange(list.Select(m => m?.ToString() ?? "").Where(m => m.Length > 0));
            }

            if (o["errors"] is JsonObject errors)
            {
                foreach (var (field, message) in errors)
                {
                    fields[field] = message?.ToString() ?? "";
                }
            }

            if (messages.Count == 0 && fields.Count == 0 && o["message"] is JsonValue single)
            {
                messages.Add(single.ToString());
            }
        }

        return new JiraErrors(messages, fields);
    }

    /// <summary>One readable line: the messages, then each field with its message.</summary>
    public string Describe() =>
        string.Join("; ", Messages.Concat(Fields.Select(f => $"{f.Key}: {f.Value}")));
}
