using Microsoft.AspNetCore.Http.HttpResults;
using PluginHub.Plugins;

namespace PluginHub.Host.Endpoints;

/// <summary>A loaded or refused connector plugin as the API shows it.</summary>
public sealed record ConnectorDto(
    string Id,
    string Name,
    string? Version,
    string? Contract,
    PluginStatus Status,
    string? Error,
    IReadOnlyList<string> Capabilities);

internal static class ConnectorEndpoints
{
    public static RouteGroupBuilder MapConnectorEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/connectors").WithTags("Connectors");
        group.MapGet("/", List)
            .WithName("ListConnectors")
            .WithSummary("Lists the connector plugins found in the plugin folder, with their status (Active, Faulted, Incompatible, Disabled).");
        return api;
    }

    private static Ok<ConnectorDto[]> List(PluginCatalog catalog) =>
        TypedResults.Ok(catalog.Plugins
            .Select(p => new ConnectorDto(p.Id, p.Name, p.Version, p.Contract, p.Status, p.Error, p.Capabilities))
            .ToArray());
}
