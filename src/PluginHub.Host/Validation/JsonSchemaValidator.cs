using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace PluginHub.Host.Validation;

/// <summary>A JSON Schema that reports every problem of a document, keyed by where it is (<c>settings/loginUrl</c>).</summary>
public sealed class JsonSchemaValidator
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
    private readonly JsonSchema _schema;
    private readonly string _prefix;
    private readonly string _mismatch;

    /// <param name="schemaJson">The schema text.</param>
    /// <param name="prefix">Put before every location: the name of the validated document in the request.</param>
    /// <param name="mismatch">The message when the schema fails without saying where (<c>not</c>, <c>oneOf</c>).</param>
    public JsonSchemaValidator(string schemaJson, string prefix, string mismatch)
    {
        // A registry of its own: the global one refuses a second schema with the same $id (several hosts in one process).
        _schema = JsonSchema.FromText(schemaJson, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        _prefix = prefix;
        _mismatch = mismatch;
    }

    /// <summary>Every problem of <paramref name="document"/>; empty when it is valid.</summary>
    public Dictionary<string, string[]> Validate(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var parsed = JsonDocument.Parse(document.ToJsonString());
        var result = _schema.Evaluate(parsed.RootElement, Evaluation);
        if (result.IsValid)
        {
            return [];
        }

        var problems = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .GroupBy(d => (_prefix + d.InstanceLocation).TrimEnd('/'))
            .ToDictionary(g => g.Key, g => g.SelectMany(d => d.Errors!.Values).Distinct().ToArray());
        return problems.Count > 0 ? problems : new() { [_prefix] = [_mismatch] };
    }
}
