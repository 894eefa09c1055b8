using System.Text.Json;

namespace PluginHub.Host.Integrations;

/// <summary>An integration as the API shows it.</summary>
public sealed record IntegrationDto(Guid Id, string Name, bool Enabled, int Revision, JsonElement Definition, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A template as the API shows it.</summary>
public sealed record TemplateDto(string Id, string Title, JsonElement Definition);

/// <summary>A run that was asked for.</summary>
public sealed record RunAccepted(Guid Id);
