using System.Text.Json.Nodes;

namespace PluginHub.Connectors.Jira.Write.Transitions;

/// <summary>A workflow transition available from an issue's status, with the values its screen requires.</summary>
internal sealed record Transition(string Id, string Name, string To, string? ToCategory, JsonObject RequiredFields)
{
    public static Transition From(JsonObject t)
    {
        var required = new JsonObject();
        foreach (var (id, meta) in t["fields"] as JsonObject ?? [])
        {
            if ((bool?)meta?["required"] != true || (bool?)meta?["hasDefaultValue"] == true || meta?["allowedValues"] is not JsonArray { Count: > 0 } allowed)
            {
                continue;
            }

            // A required choice on the transition screen (typically the resolution): "Done" when offered, else the first value.
            var choice = allowed.OfType<JsonObject>().FirstOrDefault(v => string.Equals((string?)v["name"], "Done", StringComparison.OrdinalIgnoreCase))
                ?? allowed.OfType<JsonObject>().First();
            required[id] = (string?)choice["id"] is { } optionId ? new JsonObject { ["id"] = optionId } : new JsonObject { ["name"] = (string?)choice["name"] };
        }

        return new Transition((string?)t["id"] ?? "", (string?)t["name"] ?? "", (string?)t["to"]?["name"] ?? "", (string?)t["to"]?["statusCategory"]?["key"], required);
    }
}

/// <summary>A transition a new issue of <paramref name="Project"/>/<paramref name="IssueType"/> takes as part of its create, from the workflow's initial status <paramref name="From"/>.</summary>
internal sealed record CreateStep(string Project, string IssueType, string From, Transition Transition);
