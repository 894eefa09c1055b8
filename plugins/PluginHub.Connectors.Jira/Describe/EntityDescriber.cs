using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;

namespace PluginHub.Connectors.Jira.Describe;

/// <summary>Lists issue types and describes one with its fields, statuses and allowed values.</summary>
internal sealed class EntityDescriber(JiraApi api, JiraCatalog catalog)
{
    /// <summary>The issue types Jira ships; anything else was added by an admin.</summary>
    private static readonly HashSet<string> StandardIssueTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Task", "Bug", "Story", "Epic", "Sub-task", "Subtask", "Improvement", "New Feature",
    };

    /// <summary>Fields the connector sets itself (from the entity and the scope) or that hold no syncable value.</summary>
    private static readonly HashSet<string> Excluded = new(StringComparer.Ordinal)
    {
        "project", "issuetype", "attachment", "comment", "issuelinks", "subtasks", "watches", "votes", "worklog", "timetracking", "lastViewed",
    };

    public async Task<IReadOnlyList<EntitySummary>> ListAsync(IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken)
    {
        var types = await catalog.IssueTypesAsync(Scope.Project(scope), cancellationToken);
        return [.. types.Select(t => new EntitySummary(t.Name, t.Name) { IsCustom = !StandardIssueTypes.Contains(t.Name) })];
    }

    public async Task<EntitySchema> DescribeAsync(string entity, IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken)
    {
        var project = Scope.Project(scope);
        var type = await catalog.IssueTypeAsync(entity, project, cancellationToken);
        var all = await catalog.FieldsAsync(cancellationToken);
        var fields = new List<FieldSchema>
        {
            new() { Name = "id", Label = "Issue id", Type = FieldType.Text, ReadOnly = true },
            new() { Name = "key", Label = "Key", Type = FieldType.Text, ReadOnly = true },
        };

        if (project is null)
        {
            // Without a project Jira cannot say which fields an issue type has: offer every field it knows.
            fields.AddRange(all.Values.Where(f => !Excluded.Contains(f.Id)).Select(f => Schema(f, required: false, allowed: null, readOnly: IsSystemReadOnly(f.Id))));
        }
        else
        {
            foreach (var meta in await catalog.CreateMetaAsync(project, type.Id, cancellationToken))
            {
                var id = (string?)meta["fieldId"] ?? (string?)meta["key"] ?? "";
                if (id.Length == 0 || Excluded.Contains(id))
                {
                    continue;
                }

                var field = all.TryGetValue(id, out var known) ? known : JiraField.From(id, (string?)meta["name"] ?? id, meta["schema"]);
                // Jira makes the caller the reporter when a create names none, whatever the metadata says.
                var required = (bool?)meta["required"] == true && (bool?)meta["hasDefaultValue"] != true && id != "reporter";
                fields.Add(Schema(field, required, meta["allowedValues"] as JsonArray, readOnly: false));
            }

            var statuses = await catalog.StatusesAsync(project, type.Name, cancellationToken);
            fields.Add(new FieldSchema
            {
                Name = "status",
                Label = all.TryGetValue("status", out var status) ? status.Name : "Status",
                Type = FieldType.Choice,
                // Not read-only: the connector walks the workflow's transitions to reach the wanted status.
                AllowedValues = [.. statuses.Select(s => new AllowedValue(s.Name, s.Name) { Category = s.Category })],
            });
            foreach (var id in new[] { "created", "updated", "creator", "resolution", "resolutiondate" })
            {
                if (all.TryGetValue(id, out var f) && fields.TrueForAll(x => x.Name != id))
                {
                    fields.Add(Schema(f, required: false, allowed: null, readOnly: true));
                }
            }
        }

        return new EntitySchema
        {
            Name = type.Name,
            Label = type.Name,
            Fields = [.. fields.DistinctBy(f => f.Name)],
            KeyField = "id",
            CursorField = "updated",
            IsCustom = !StandardIssueTypes.Contains(type.Name),
        };
    }

    private FieldSchema Schema(JiraField field, bool required, JsonArray? allowed, bool readOnly) => new()
    {
        Name = field.Id,
        Label = field.Name,
        Type = field.FieldType,
        RichTextFormat = field.IsRichText ? (api.Settings.UsesAdf ? RichTextFormat.Adf : RichTextFormat.JiraWiki) : null,
        Required = required,
        ReadOnly = readOnly,
        IsCustom = field.IsCustom,
        CanHoldCorrelationId = field.CanHoldCorrelationId,
        MaxLength = field.Id == "summary" ? 255 : field.Type == "string" ? 32_767 : null,
        AllowedValues = [.. (allowed ?? []).OfType<JsonObject>().Select(Allowed).Where(v => v.Key.Length > 0)],
    };

    /// <summary>The key is what the connector reads and writes for the value: the name of priorities, the value of options.</summary>
    private static AllowedValue Allowed(JsonObject value)
    {
        var key = (string?)value["name"] ?? (string?)value["value"] ?? (string?)value["key"] ?? (string?)value["id"] ?? "";
        return new AllowedValue(key, key) { Active = (bool?)value["disabled"] != true };
    }

    private static bool IsSystemReadOnly(string id) =>
        id is "created" or "updated" or "creator" or "resolutiondate" or "statuscategorychangedate" or "resolution" or "id" or "key";
}
