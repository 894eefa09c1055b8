using System.Text.Json.Nodes;

namespace PluginHub.Host.Integrations;

/// <summary>A ready-made integration definition that requests fill in (connections, scope) and override.</summary>
public sealed record IntegrationTemplate(string Id, string Title, JsonObject Definition);

/// <summary>The templates in <c>rules/templates/*.json</c>, read once.</summary>
public sealed class TemplateCatalog
{
    private readonly Lazy<IReadOnlyDictionary<string, IntegrationTemplate>> _templates;

    public TemplateCatalog(RulesFolder rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _templates = new(() => Load(Path.Combine(rules.Path, "templates")));
    }

    public IReadOnlyCollection<IntegrationTemplate> All => [.. _templates.Value.Values.OrderBy(t => t.Id, StringComparer.Ordinal)];

    public IntegrationTemplate? Find(string id) => _templates.Value.GetValueOrDefault(id);

    private static Dictionary<string, IntegrationTemplate> Load(string folder)
    {
        var templates = new Dictionary<string, IntegrationTemplate>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return templates;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            var definition = JsonNode.Parse(File.ReadAllText(file)) as JsonObject
                ?? throw new InvalidDataException($"Template {file} is not a JSON object.");
            definition.Remove("$schema");
            templates[id] = new IntegrationTemplate(id, Title(id), definition);
        }

        return templates;
    }

    /// <summary>"salesforce-cases-to-jira-tasks" → "Salesforce Cases to Jira Tasks".</summary>
    private static string Title(string id) =>
        string.Join(' ', id.Split('-').Select(w => w is "to" ? w : char.ToUpperInvariant(w[0]) + w[1..]));
}

/// <summary>The folder of templates, the integration schema and rule files.</summary>
public sealed record RulesFolder(string Path);
