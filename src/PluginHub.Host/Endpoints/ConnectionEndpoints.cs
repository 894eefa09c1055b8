using Microsoft.AspNetCore.Http.HttpResults;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Connections;
using PluginHub.Host.Connections;

namespace PluginHub.Host.Endpoints;

internal static class ConnectionEndpoints
{
    private static readonly TimeSpan RemoteTimeout = TimeSpan.FromSeconds(60);

    public static RouteGroupBuilder MapConnectionEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/connections").WithTags("Connections");
        group.MapGet("/", List).WithName("ListConnections").WithSummary("Lists the connections; secrets are never returned.");
        group.MapPost("/", Create).WithName("CreateConnection")
            .WithSummary("Creates a connection; its settings are validated against the plugin's schema and encrypted at rest.");
        group.MapGet("/{id:guid}", Get).WithName("GetConnection").WithSummary("Reads a connection; secrets are listed by name only.");
        group.MapPut("/{id:guid}", Update).WithName("UpdateConnection")
            .WithSummary("Replaces name and settings; secrets left out keep their stored value, a secret sent as null is cleared.");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteConnection").WithSummary("Deletes a connection.");
        group.MapPost("/{id:guid}/test", Test).WithName("TestConnection")
            .WithSummary("Checks that the connection's settings work against the remote system.");
        group.MapGet("/{id:guid}/entities", ListEntities).WithName("ListEntities")
            .WithSummary("Lists the entities (objects, issue types) of the connection; query parameters narrow the scope, e.g. ?project=SUP.");
        group.MapGet("/{id:guid}/entities/{entity}", DescribeEntity).WithName("DescribeEntity")
            .WithSummary("Describes one entity with its fields.");
        return api;
    }

    private static async Task<Ok<ConnectionDto[]>> List(IConnectionStore store, ConnectionService connections, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(connections.ToDto).ToArray());

    private static async Task<Results<Ok<ConnectionDto>, ProblemHttpResult>> Get(Guid id, IConnectionStore store, ConnectionService connections, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } connection ? TypedResults.Ok(connections.ToDto(connection)) : NotFound(id);

    private static async Task<Results<Created<ConnectionDto>, ValidationProblem, ProblemHttpResult>> Create(
        ConnectionRequest request, IConnectionStore store, ConnectionService connections, CancellationToken ct)
    {
        var problems = Validate(request, connections, out var schema);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems, title: "The connection is not valid.");
        }

        var created = await store.AddAsync(request.Name!.Trim(), request.Connector!, connections.Protect(request.Settings!), ct);
        return created is null
            ? NameTaken(request.Name)
            : TypedResults.Created($"/api/connections/{created.Id}", connections.ToDto(created));
    }

    private static async Task<Results<Ok<ConnectionDto>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, ConnectionRequest request, IConnectionStore store, ConnectionService connections, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } existing)
        {
            return NotFound(id);
        }

        if (request.Connector is not null && request.Connector != existing.Connector)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["connector"] = [$"The connector of a connection cannot change (it is '{existing.Connector}'); create a new connection."] },
                title: "The connection is not valid.");
        }

        var merged = request with { Connector = existing.Connector };
        if (connections.SchemaOf(existing.Connector).Schema is { } schema && request.Settings is { } incoming)
        {
            merged = merged with { Settings = schema.Merge(connections.SettingsOf(existing), incoming) };
        }

        var problems = Validate(merged, connections, out _);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems, title: "The connection is not valid.");
        }

        var (outcome, updated) = await store.UpdateAsync(id, merged.Name!.Trim(), connections.Protect(merged.Settings!), ct);
        return outcome switch
        {
            StoreUpdate.Updated => TypedResults.Ok(connections.ToDto(updated!)),
            StoreUpdate.NameTaken => NameTaken(request.Name),
            _ => NotFound(id),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, IConnectionStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<ConnectionTestResult>, ProblemHttpResult>> Test(
        Guid id, IConnectionStore store, ConnectionService connections, ILoggerFactory loggers, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } connection)
        {
            return NotFound(id);
        }

        try
        {
            await using var connector = connections.Open(connection);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(RemoteTimeout);
            var check = await connector.CheckAsync(timeout.Token);
            return TypedResults.Ok(new ConnectionTestResult(check.Healthy, check.FailureKind, check.Message));
        }
        catch (ConnectorException ex)
        {
            return TypedResults.Ok(new ConnectionTestResult(false, ex.Kind, ex.Message));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return TypedResults.Ok(new ConnectionTestResult(false, FailureKind.Transient, $"The remote system did not answer within {RemoteTimeout.TotalSeconds:0} s."));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A plugin bug must not become a 500: report it as the connector's internal failure.
            loggers.CreateLogger(typeof(ConnectionEndpoints)).LogError(ex, "Connector {Connector} failed while testing connection {ConnectionId}", connection.Connector, id);
            return TypedResults.Ok(new ConnectionTestResult(false, FailureKind.Internal, $"The connector failed: {ex.GetType().Name}."));
        }
    }

    private static Task<IResult> ListEntities(Guid id, HttpRequest request, IConnectionStore store, ConnectionService connections, CancellationToken ct) =>
        CallConnectorAsync(id, store, connections, async c => TypedResults.Ok(await c.ListEntitiesAsync(Scope(request), ct)), ct);

    private static Task<IResult> DescribeEntity(Guid id, string entity, HttpRequest request, IConnectionStore store, ConnectionService connections, CancellationToken ct) =>
        CallConnectorAsync(id, store, connections, async c => TypedResults.Ok(await c.DescribeEntityAsync(entity, Scope(request), ct)), ct);

    /// <summary>Runs a call on the connection's connector and maps its failure kinds onto HTTP: Configuration 422, NotFound 404, Transient 503, Internal 502.</summary>
    private static async Task<IResult> CallConnectorAsync(Guid id, IConnectionStore store, ConnectionService connections, Func<IConnector, Task<IResult>> call, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } connection)
        {
            return NotFound(id);
        }

        try
        {
            await using var connector = connections.Open(connection);
            return await call(connector);
        }
        catch (ConnectorException ex)
        {
            var status = ex.Kind switch
            {
                FailureKind.Configuration => StatusCodes.Status422UnprocessableEntity,
                FailureKind.NotFound => StatusCodes.Status404NotFound,
                FailureKind.Transient => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status502BadGateway,
            };
            return TypedResults.Problem(ex.Message, statusCode: status, title: $"The connector reported a {ex.Kind} failure.",
                extensions: new Dictionary<string, object?> { ["failureKind"] = ex.Kind.ToString(), ["remoteCode"] = ex.RemoteCode });
        }
    }

    private static Dictionary<string, string> Scope(HttpRequest request) =>
        request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);

    private static Dictionary<string, string[]> Validate(ConnectionRequest request, ConnectionService connections, out SettingsSchema? schema)
    {
        schema = null;
        var problems = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
        {
            problems["name"] = ["A name of 1 to 200 characters is required."];
        }

        if (string.IsNullOrWhiteSpace(request.Connector))
        {
            problems["connector"] = ["The connector (plugin id) is required, e.g. 'salesforce' or 'jira'."];
        }
        else
        {
            (schema, var problem) = connections.SchemaOf(request.Connector);
            if (problem is not null)
            {
                problems["connector"] = [problem];
            }
        }

        if (request.Settings is null)
        {
            problems["settings"] = ["The settings object is required."];
        }
        else if (schema is not null)
        {
            foreach (var (path, messages) in schema.Validate(request.Settings))
            {
                problems[path] = messages;
            }
        }

        return problems;
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem($"There is no connection with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Connection not found.");

    private static ProblemHttpResult NameTaken(string? name) =>
        TypedResults.Problem($"Choose another name than '{name}'.", statusCode: StatusCodes.Status409Conflict, title: "A connection with this name exists.");
}
