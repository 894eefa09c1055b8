using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using PluginHub.Core.Integrations;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Runs;
using PluginHub.Core.Sync;
using PluginHub.Host.Integrations;
using PluginHub.Host.Webhooks;
using PluginHub.Scheduling;

namespace PluginHub.Host.Endpoints;

internal static class IntegrationEndpoints
{
    private const int RunHistory = 50;

    public static RouteGroupBuilder MapIntegrationEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/templates", (TemplateCatalog templates) => TypedResults.Ok(templates.All
                .Select(t => new TemplateDto(t.Id, t.Title, JsonSerializer.SerializeToElement(t.Definition))).ToArray()))
            .WithTags("Templates").WithName("ListTemplates").WithSummary("Lists the ready-made integrations to start from.");

        var group = api.MapGroup("/integrations").WithTags("Integrations");
        group.MapGet("/", List).WithName("ListIntegrations").WithSummary("Lists the integrations.");
        group.MapPost("/", Create).WithName("CreateIntegration")
            .WithSummary("Creates an integration, from a template with overrides or in full; it starts disabled.");
        group.MapGet("/{id:guid}", Get).WithName("GetIntegration").WithSummary("Reads an integration with its definition.");
        group.MapPut("/{id:guid}", Update).WithName("UpdateIntegration")
            .WithSummary("Replaces name and definition (a template may be named again); schedules follow at once.");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteIntegration")
            .WithSummary("Deletes an integration with its links, watermarks and run history.");
        group.MapPost("/{id:guid}/enable", (Guid id, IIntegrationStore store, ScheduleReconciler reconciler, WebhookRegistrar hooks, CancellationToken ct) => SetEnabled(id, true, store, reconciler, hooks, ct))
            .WithName("EnableIntegration").WithSummary("Starts polling on the integration's schedule, and registers its webhooks when events are on.");
        group.MapPost("/{id:guid}/disable", (Guid id, IIntegrationStore store, ScheduleReconciler reconciler, WebhookRegistrar hooks, CancellationToken ct) => SetEnabled(id, false, store, reconciler, hooks, ct))
            .WithName("DisableIntegration").WithSummary("Stops polling and removes its webhooks; a run in progress finishes.");
        group.MapPost("/{id:guid}/preview", Preview).WithName("PreviewIntegration")
            .WithSummary("A dry run: what the next run would create, update, link or skip and why, with the API calls per side; nothing is written.");
        group.MapPost("/{id:guid}/events", Events).WithName("SetUpIntegrationEvents")
            .WithSummary("Registers the integration's webhooks again (idempotent) and says, per side, where deliveries go and what must be set up by hand.");
        group.MapPost("/{id:guid}/runs", RunNow).WithName("RunIntegration")
            .WithSummary("Runs the integration now (also when disabled); answers at once with the run's id.");
        group.MapGet("/{id:guid}/runs", Runs).WithName("ListRuns").WithSummary("The latest runs of the integration, newest first.");
        api.MapGet("/runs/{id:guid}", GetRun).WithTags("Integrations").WithName("GetRun")
            .WithSummary("A run with its status, counts and per-record errors.");
        return api;
    }

    private static async Task<Ok<IntegrationDto[]>> List(IIntegrationStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(ToDto).ToArray());

    private static async Task<Results<Ok<IntegrationDto>, ProblemHttpResult>> Get(Guid id, IIntegrationStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } integration ? TypedResults.Ok(ToDto(integration)) : NotFound(id);

    private static async Task<Results<Created<IntegrationDto>, ValidationProblem, ProblemHttpResult>> Create(
        JsonObject request, DefinitionBuilder builder, IIntegrationStore store, CancellationToken ct)
    {
        var built = await builder.BuildAsync(request, ct);
        if (built.Problems.Count > 0)
        {
            return TypedResults.ValidationProblem(built.Problems, title: "The integration is not valid.");
        }

        if ((await store.ListAsync(ct)).Any(i => string.Equals(i.Name, built.Name, StringComparison.Ordinal)))
        {
            return NameTaken(built.Name);
        }

        var created = await store.AddAsync(built.Name!, Serialize(built.Definition!), built.Definition!.Schedule.ToSchedule(), ct);
        return TypedResults.Created($"/api/integrations/{created.Id}", ToDto(created));
    }

    private static async Task<Results<Ok<IntegrationDto>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, JsonObject request, DefinitionBuilder builder, IIntegrationStore store, ScheduleReconciler reconciler, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is null)
        {
            return NotFound(id);
        }

        var built = await builder.BuildAsync(request, ct);
        if (built.Problems.Count > 0)
        {
            return TypedResults.ValidationProblem(built.Problems, title: "The integration is not valid.");
        }

        if ((await store.ListAsync(ct)).Any(i => i.Id != id && string.Equals(i.Name, built.Name, StringComparison.Ordinal)))
        {
            return NameTaken(built.Name);
        }

        var updated = await store.UpdateAsync(id, built.Name!, Serialize(built.Definition!), built.Definition!.Schedule.ToSchedule(), ct);
        reconciler.Signal();
        return updated is null ? NotFound(id) : TypedResults.Ok(ToDto(updated));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, IIntegrationStore store, ScheduleReconciler reconciler, WebhookRegistrar hooks, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is { } existing && HasEvents(existing))
        {
            await hooks.RemoveAsync(existing, ct);
        }

        if (!await store.DeleteAsync(id, ct))
        {
            return NotFound(id);
        }

        reconciler.Signal();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IntegrationDto>, ProblemHttpResult>> SetEnabled(
        Guid id, bool enabled, IIntegrationStore store, ScheduleReconciler reconciler, WebhookRegistrar hooks, CancellationToken ct)
    {
        var integration = await store.SetEnabledAsync(id, enabled, ct);
        if (integration is null)
        {
            return NotFound(id);
        }

        await reconciler.ReconcileAsync(ct);
        if (HasEvents(integration))
        {
            _ = enabled ? await hooks.EnsureAsync(integration, ct) : await hooks.RemoveAsync(integration, ct);
        }

        return TypedResults.Ok(ToDto(integration));
    }

    private static async Task<Results<Ok<EventSetup[]>, ProblemHttpResult>> Events(Guid id, IIntegrationStore store, WebhookRegistrar hooks, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } integration)
        {
            return NotFound(id);
        }

        if (!HasEvents(integration))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Events are off for this integration.", detail: "Set \"events\": true in its definition first.");
        }

        return TypedResults.Ok((await hooks.EnsureAsync(integration, ct)).ToArray());
    }

    private static async Task<Results<Ok<PreviewResult>, ProblemHttpResult>> Preview(Guid id, SyncEngine engine, CancellationToken ct, int limit = 200)
    {
        if (limit is < 1 or > 5000)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "limit must be between 1 and 5000.");
        }

        try
        {
            return await engine.PreviewAsync(id, limit, ct) is { } preview ? TypedResults.Ok(preview) : NotFound(id);
        }
        catch (ConnectorException ex)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status502BadGateway,
                title: "A connection could not be used for the preview.",
                detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["failureKind"] = ex.Kind.ToString() });
        }
    }

    private static bool HasEvents(Integration integration) =>
        integration.ParseDefinition() is { Events: true };

    private static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> RunNow(
        Guid id, IIntegrationStore store, IRunStore runs, RunStarter starter, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is null)
        {
            return NotFound(id);
        }

        var run = await runs.QueueAsync(id, RunTrigger.Manual, ct);
        await starter.StartNowAsync(id, RunTrigger.Manual, run.Id, ct);
        return TypedResults.Accepted($"/api/runs/{run.Id}", new RunAccepted(run.Id));
    }

    private static async Task<Results<Ok<Run[]>, ProblemHttpResult>> Runs(Guid id, IIntegrationStore store, IRunStore runs, CancellationToken ct) =>
        await store.GetAsync(id, ct) is null ? NotFound(id) : TypedResults.Ok((await runs.ListAsync(id, RunHistory, ct)).ToArray());

    private static async Task<Results<Ok<Run>, ProblemHttpResult>> GetRun(Guid id, IRunStore runs, CancellationToken ct) =>
        await runs.GetAsync(id, ct) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.Problem($"There is no run with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Run not found.");

    private static string Serialize(IntegrationDefinition definition) => JsonSerializer.Serialize(definition, IntegrationDefinition.JsonOptions);

    private static IntegrationDto ToDto(Integration integration)
    {
        using var definition = JsonDocument.Parse(integration.Definition);
        return new IntegrationDto(integration.Id, integration.Name, integration.Enabled, integration.Revision, definition.RootElement.Clone(),
            integration.CreatedAt, integration.UpdatedAt);
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem($"There is no integration with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Integration not found.");

    private static ProblemHttpResult NameTaken(string? name) =>
        TypedResults.Problem($"Choose another name than '{name}'.", statusCode: StatusCodes.Status409Conflict, title: "An integration with this name exists.");
}
