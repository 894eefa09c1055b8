using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Core.Connections;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Host.Validation;
using PluginHub.Plugins;
using PluginHub.Scheduling;

namespace PluginHub.Host.Integrations;

/// <summary>The outcome of turning an API request into a definition: a name and definition, or every problem found.</summary>
public sealed record BuiltDefinition(string? Name, IntegrationDefinition? Definition, Dictionary<string, string[]> Problems);

/// <summary>
/// Turns an integration request into a validated definition: the template (if named) with the request's properties laid over
/// it, checked against <c>rules/integration.schema.json</c>, then against what exists: connections, their plugins, the schedule.
/// </summary>
internal sealed class DefinitionBuilder(TemplateCatalog templates, RulesFolder rules, IConnectionStore connections, PluginCatalog plugins, DefinitionChecker checker)
{
    private readonly Lazy<JsonSchemaValidator> _schema = new(() => new JsonSchemaValidator(
        File.ReadAllText(Path.Combine(rules.Path, "integration.schema.json")), "definition", "The definition does not match rules/integration.schema.json."));

    public async Task<BuiltDefinition> BuildAsync(JsonObject request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = (request["name"] as JsonValue)?.TryGetValue<string>(out var n) == true ? n.Trim() : null;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            problems["name"] = ["A name of 1 to 200 characters is required."];
        }

        var merged = new JsonObject();
        if (request["template"] is JsonValue templateValue && templateValue.TryGetValue<string>(out var templateId))
        {
            if (templates.Find(templateId) is { } template)
            {
                merged = (JsonObject)template.Definition.DeepClone();
            }
            else
            {
                problems["template"] = [$"There is no template '{templateId}'. Templates: {string.Join(", ", templates.All.Select(t => t.Id))}."];
            }
        }

        foreach (var (key, value) in request)
        {
            if (key is not ("name" or "template" or "$schema"))
            {
                // A schedule is either pollSeconds or cron: the request's replaces the template's instead of mixing with it.
                merged[key] = key == "schedule" ? value?.DeepClone() : Overlay(merged[key], value);
            }
        }

        var schemaProblems = _schema.Value.Validate(merged);
        if (schemaProblems.Count > 0)
        {
            foreach (var (path, messages) in schemaProblems)
            {
                problems[path] = messages;
            }

            return new BuiltDefinition(name, null, problems);
        }

        var definition = merged.Deserialize<IntegrationDefinition>(IntegrationDefinition.JsonOptions)!;
        var all = await connections.ListAsync(cancellationToken);
        definition = definition with
        {
            Source = ResolveConnection(all, definition.Source, "source", problems),
            Target = ResolveConnection(all, definition.Target, "target", problems),
        };

        if (ScheduleValidation.Problem(definition.Schedule.ToSchedule()) is { } scheduleProblem)
        {
            problems["definition/schedule"] = [scheduleProblem];
        }

        if (definition.Direction == SyncDirection.OneWay && definition.Fields.Count > 0 && definition.Fields.All(f => f.Direction == FlowDirection.ToSource))
        {
            problems["definition/fields"] = ["A one-way integration syncs source to target only, but every field flows to the source."];
        }

        if (problems.Count == 0)
        {
            await checker.CheckAsync(definition, problems, cancellationToken);
        }

        return new BuiltDefinition(name, problems.Count == 0 ? definition : null, problems);
    }

    /// <summary>Accepts a connection by id or by name and stores its id; checks that its plugin is usable.</summary>
    private EndpointDefinition ResolveConnection(IReadOnlyList<Connection> all, EndpointDefinition side, string label, Dictionary<string, string[]> problems)
    {
        var connection = all.FirstOrDefault(c => c.Id.ToString() == side.Connection || string.Equals(c.Name, side.Connection, StringComparison.Ordinal));
        if (connection is null)
        {
            problems[$"definition/{label}/connection"] = [$"There is no connection '{side.Connection}' (give its id or name)."];
            return side;
        }

        if (plugins.Find(connection.Connector) is not { Status: PluginStatus.Active })
        {
            problems[$"definition/{label}/connection"] = [$"The connection '{connection.Name}' uses connector '{connection.Connector}', which is not active."];
        }

        return side with { Connection = connection.Id.ToString() };
    }

    /// <summary>Objects merge property by property; anything else (arrays, values, null) replaces what the template had.</summary>
    private static JsonNode? Overlay(JsonNode? template, JsonNode? value) =>
        template is JsonObject baseObject && value is JsonObject overlay
            ? overlay.Aggregate((JsonObject)baseObject.DeepClone(), (result, property) =>
            {
                result[property.Key] = Overlay(result[property.Key], property.Value);
                return result;
            })
            : value?.DeepClone();
}
