using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Host.Connections;

/// <summary>A connection to create or replace. Secrets left out of an update keep their stored value; a secret sent as null is cleared.</summary>
public sealed record ConnectionRequest(string? Name, string? Connector, JsonObject? Settings);

/// <summary>A connection as the API shows it: settings without secrets, and the names of the secrets that are set.</summary>
public sealed record ConnectionDto(
    Guid Id,
    string Name,
    string Connector,
    JsonObject Settings,
    IReadOnlyList<string> SecretsSet,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>The outcome of testing a connection.</summary>
public sealed record ConnectionTestResult(bool Ok, FailureKind? FailureKind, string? Message);
