using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Connections;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Host.Connections;

namespace PluginHub.Host.Integrations;

/// <summary>
/// Checks a definition against what its connections describe: entities, fields, writable targets, value-map values and
/// correlation fields. A connection that cannot be reached right now is not a problem of the definition: those checks wait
/// for the first run, which reports them.
/// </summary>
internal sealed class DefinitionChecker(IConnectionStore connections, ConnectionService connectionService, ILogger<DefinitionChecker> logger)
{
    public async Task CheckAsync(IntegrationDefinition definition, Dictionary<string, string[]> problems, CancellationToken cancellationToken)
    {
        var source = await DescribeAsync(definition.Source, "source", problems, cancellationToken);
        var target = await DescribeAsync(definition.Target, "target", problems, cancellationToken);
        for (var i = 0; i < definition.Fields.Count; i++)
        {
            var mapping = definition.Fields[i];
            var from = source is null || mapping.Source is null ? null : Field(source, mapping.Source, $"definition/fields/{i}/source", problems);
            var to = target is null || mapping.Target is null ? null : Field(target, mapping.Target, $"definition/fields/{i}/target", problems);
            var toTarget = mapping.Direction != FlowDirection.ToSource;
            var toSource = definition.Direction == SyncDirection.Bidirectional && mapping.Direction != FlowDirection.ToTarget;
            if (toTarget && to is { ReadOnly: true })
            {
                problems[$"definition/fields/{i}/target"] = [$"{target!.Name}.{to.Name} cannot be written."];
            }

            if (toSource && from is { ReadOnly: true })
            {
                problems[$"definition/fields/{i}/source"] = [$"{source!.Name}.{from.Name} cannot be written, but the mapping flows to the source."];
            }

            if ((from?.Type == FieldType.User) != (to?.Type == FieldType.User) && from is not null && to is not null)
            {
                problems[$"definition/fields/{i}"] = [$"{from.Name} ({from.Type}) and {to.Name} ({to.Type}) cannot be mapped: users map only to users."];
            }

            CheckValues(mapping.ValueMap?.ToTarget, to, $"definition/fields/{i}/valueMap/toTarget", problems);
            CheckValues(mapping.ValueMap?.ToSource, from, $"definition/fields/{i}/valueMap/toSource", problems);
        }

        CheckCorrelation(definition.Correlation.Source.Field, source, "definition/correlation/source/field", problems);
        CheckCorrelation(definition.Correlation.Target.Field, target, "definition/correlation/target/field", problems);
    }

    private async Task<EntitySchema?> DescribeAsync(EndpointDefinition endpoint, string label, Dictionary<string, string[]> problems, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(endpoint.Connection, out var id) || await connections.GetAsync(id, cancellationToken) is not { } connection)
        {
            return null;
        }

        try
        {
            await using var connector = connectionService.Open(connection);
            return await connector.DescribeEntityAsync(endpoint.Entity, endpoint.Scope, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Kind == FailureKind.NotFound)
        {
            problems[$"definition/{label}/entity"] = [$"The connection '{connection.Name}' has no entity '{endpoint.Entity}'{ScopeText(endpoint)}."];
        }
        catch (ConnectorException ex)
        {
            logger.LogInformation("The definition's {Side} entity could not be checked now ({Kind}: {Message}); the first run will tell", label, ex.Kind, ex.Message);
        }

        return null;
    }

    private static FieldSchema? Field(EntitySchema entity, string name, string path, Dictionary<string, string[]> problems)
    {
        var field = entity.Fields.FirstOrDefault(f => f.Name == name);
        if (field is null)
        {
            var near = entity.Fields.Where(f => f.Name.Contains(name, StringComparison.OrdinalIgnoreCase) || f.Label.Contains(name, StringComparison.OrdinalIgnoreCase))
                .Select(f => f.Name).Take(5).ToList();
            problems[path] = [$"{entity.Name} has no field '{name}'.{(near.Count > 0 ? $" Did you mean {string.Join(", ", near)}?" : string.Empty)}"];
        }

        return field;
    }

    private static void CheckValues(IReadOnlyDictionary<string, string>? map, FieldSchema? field, string path, Dictionary<string, string[]> problems)
    {
        if (map is null || field is not { Type: FieldType.Choice or FieldType.MultiChoice, AllowedValues.Count: > 0 })
        {
            return;
        }

        var unknown = map.Values.Distinct(StringComparer.Ordinal)
            .Where(v => !field.AllowedValues.Any(a => a.Key == v || a.Label == v))
            .ToList();
        if (unknown.Count > 0)
        {
            problems[path] = [$"{string.Join(", ", unknown.Select(v => $"'{v}'"))} {(unknown.Count == 1 ? "is not a value" : "are not values")} of {field.Name} ({string.Join(", ", field.AllowedValues.Select(a => a.Label))})."];
        }
    }

    private static void CheckCorrelation(string? field, EntitySchema? entity, string path, Dictionary<string, string[]> problems)
    {
        if (field is null || field == "labels" || entity is null)
        {
            return;
        }

        var schema = entity.Fields.FirstOrDefault(f => f.Name == field);
        if (schema is null || !schema.CanHoldCorrelationId)
        {
            problems[path] = [schema is null
                ? $"{entity.Name} has no field '{field}' to keep correlation ids in."
                : $"{entity.Name}.{field} cannot hold a searchable correlation id (use an external-id field, a text custom field or labels)."];
        }
    }

    private static string ScopeText(EndpointDefinition endpoint) =>
        endpoint.Scope is { Count: > 0 } scope ? $" in {string.Join(", ", scope.Select(s => $"{s.Key} {s.Value}"))}" : string.Empty;
}
