using System.Text.Json.Nodes;
using PluginHub.Testing;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>
/// Validates JSON against the component schemas of Atlassian's Cloud OpenAPI document (3.0 dialect): <c>$ref</c>,
/// <c>allOf/oneOf/anyOf</c>, <c>type</c>, <c>properties</c>, <c>required</c>, <c>additionalProperties</c>, <c>items</c>,
/// <c>enum</c>. The document marks few properties <c>nullable</c> although Jira returns <c>null</c> for unset values
/// everywhere, so a null is accepted for any property that is not required.
/// </summary>
public static class OpenApiValidator
{
    private static readonly Lazy<JsonObject> Schemas = new(() =>
        JsonNode.Parse(File.ReadAllText(SpecPath()))!["components"]!["schemas"]!.AsObject());

    public static string SpecPath()
    {
        var repository = new DirectoryInfo(RepositoryRoot.Find());
        foreach (var candidate in new[] { Path.Combine(repository.Parent?.FullName ?? "/", "shared", "reference"), "/work/shared/reference" })
        {
            var file = Path.Combine(candidate, "jira-cloud-platform-openapi-v3.json");
            if (File.Exists(file))
            {
                return file;
            }
        }

        throw new FileNotFoundException("jira-cloud-platform-openapi-v3.json not found next to the repository (../shared/reference).");
    }

    /// <summary>Asserts that <paramref name="json"/> matches <c>#/components/schemas/{schema}</c>.</summary>
    public static void AssertValid(JsonNode? json, string schema)
    {
        var errors = new List<string>();
        Validate(json, Schemas.Value[schema]!.AsObject(), "$", errors);
        Assert.True(errors.Count == 0, $"{schema}: " + string.Join("\n", errors.Take(20)));
    }

    private static JsonObject Resolve(JsonObject schema)
    {
        while (schema["$ref"] is JsonValue r)
        {
            schema = Schemas.Value[((string)r!).Split('/')[^1]]!.AsObject();
        }

        return schema;
    }

    private static void Validate(JsonNode? node, JsonObject schema, string path, List<string> errors)
    {
        schema = Resolve(schema);
        if (node is null)
        {
            return; // see the class comment: optional properties may be null
        }

        foreach (var part in schema["allOf"]?.AsArray() ?? [])
        {
            Validate(node, part!.AsObject(), path, errors);
        }

        foreach (var key in new[] { "oneOf", "anyOf" })
        {
            if (schema[key] is JsonArray options && !options.Any(o =>
            {
                var inner = new List<string>();
                Validate(node, o!.AsObject(), path, inner);
                return inner.Count == 0;
            }))
            {
                errors.Add($"{path}: matches none of {key}");
            }
        }

        var type = (string?)schema["type"];
        switch (type)
        {
            case "object" when node is not JsonObject:
            case "array" when node is not JsonArray:
            case "string" when !(node is JsonValue s && s.TryGetValue<string>(out _)):
            case "boolean" when !(node is JsonValue b && b.TryGetValue<bool>(out _)):
            case "integer" when !(node is JsonValue i && i.TryGetValue<long>(out _)):
            case "number" when !(node is JsonValue n && n.TryGetValue<double>(out _)):
                errors.Add($"{path}: expected {type}, got {node.ToJsonString()[..Math.Min(60, node.ToJsonString().Length)]}");
                return;
        }

        if (schema["enum"] is JsonArray values && node is JsonValue v && v.TryGetValue<string>(out var text) && !values.Any(e => (string?)e == text))
        {
            errors.Add($"{path}: '{text}' not in enum");
        }

        if (node is JsonObject obj)
        {
            var properties = schema["properties"] as JsonObject;
            foreach (var required in schema["required"]?.AsArray() ?? [])
            {
                if (!obj.ContainsKey((string)required!) || obj[(string)required!] is null)
                {
                    errors.Add($"{path}: missing required '{required}'");
                }
            }

            foreach (var (name, value) in obj)
            {
                if (properties?[name] is JsonObject propertySchema)
                {
                    Validate(value, propertySchema, $"{path}.{name}", errors);
                }
                else if (schema["additionalProperties"] is JsonObject additional)
                {
                    Validate(value, additional, $"{path}.{name}", errors);
                }
                else if (schema["additionalProperties"] is JsonValue allowed && !(bool)allowed!)
                {
                    errors.Add($"{path}: property '{name}' is not allowed");
                }
            }
        }

        if (node is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, $"{path}[{i}]", errors);
            }
        }
    }
}
