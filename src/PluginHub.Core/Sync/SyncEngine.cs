using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Integrations;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Core.Runs;
using PluginHub.Rules;

namespace PluginHub.Core.Sync;

/// <summary>What the engine needs from the installation.</summary>
public sealed record SyncOptions
{
    /// <summary>The key of the field hashes kept in links (per installation, secret).</summary>
    public required byte[] FingerprintKey { get; init; }

    /// <summary>Where rule files named by integrations live.</summary>
    public string? RulesDirectory { get; init; }
}

/// <summary>
/// Runs an integration: opens both connections, describes both entities, runs source → target (and back, when
/// bi-directional), then comments and files, and records the run with its counts and per-record errors.
/// </summary>
public sealed class SyncEngine(
    IIntegrationStore integrations,
    IRunStore runs,
    IConnectorProvider connectors,
    ISyncStateStore state,
    SyncOptions options,
    RuleRuntime rules,
    NoticeInbox notices,
    TimeProvider time,
    ILogger<SyncEngine> logger) : IIntegrationRunner
{
    private readonly FieldHasher _hasher = new(options.FingerprintKey);

    // Integrations between the same two connections run one at a time, so that one never reads a record another has
    // just created but not linked yet (which would make a twin). Per process; hosts of a cluster can still overlap.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _pairs = new(StringComparer.Ordinal);

    public async Task<Run?> RunAsync(Guid integrationId, RunTrigger trigger, Guid? queuedRunId, CancellationToken cancellationToken)
    {
        var integration = await integrations.GetAsync(integrationId, cancellationToken);
        if (integration is null || (!integration.Enabled && trigger != RunTrigger.Manual))
        {
            logger.LogDebug("Integration {IntegrationId} is missing or disabled; {Trigger} run skipped", integrationId, trigger);
            if (queuedRunId is { } skipped)
            {
                await runs.FinishAsync(skipped, RunStatus.Failed, RunCounts.Zero, "The integration was deleted or disabled before the run started.", [], cancellationToken);
            }

            return null;
        }

        var retries = await PendingRetriesAsync(integrationId, cancellationToken);
        retries.UnionWith(notices.Take(integrationId));
        var run = queuedRunId is { } queued
            ? await runs.MarkRunningAsync(queued, cancellationToken) ?? await runs.StartAsync(integrationId, trigger, cancellationToken)
            : await runs.StartAsync(integrationId, trigger, cancellationToken);
        logger.LogInformation("Run {RunId} of integration {IntegrationName} ({Trigger}) started", run.Id, integration.Name, trigger);
        var tally = new RunTally();
        var (status, message) = await ExecuteAsync(integration, retries, tally, cancellationToken);
        await runs.FinishAsync(run.Id, status, tally.Counts, message, tally.Errors, CancellationToken.None);
        var counts = tally.Counts;
        logger.Log(
            status == RunStatus.Succeeded ? LogLevel.Information : LogLevel.Warning,
            "Run {RunId} of integration {IntegrationName} {Status}: read {Read}, created {Created}, updated {Updated}, skipped {Skipped}, failed {Failed}{Message}",
            run.Id, integration.Name, status, counts.Read, counts.Created, counts.Updated, counts.Skipped, counts.Failed, message is null ? string.Empty : $" — {message}");
        return await runs.GetAsync(run.Id, CancellationToken.None);
    }

    private async Task<(RunStatus Status, string? Message)> ExecuteAsync(Integration integration, IReadOnlySet<string> retries, RunTally tally, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        try
        {
            var definition = integration.ParseDefinition();
            var pair = _pairs.GetOrAdd(string.Join('|', new[] { definition.Source.Connection, definition.Target.Connection }.Order(StringComparer.Ordinal)), _ => new SemaphoreSlim(1, 1));
            await pair.WaitAsync(cancellationToken);
            try
            {
                return await RunDirectionsAsync(integration, definition, retries, tally, started, cancellationToken);
            }
            finally
            {
                pair.Release();
            }
        }
        catch (ConnectorException ex)
        {
            return (RunStatus.Failed, $"{ex.Kind}: {ex.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (RunStatus.Failed, "The run was stopped; it resumes from its last checkpoint.");
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or RuleFailedException)
        {
            return (RunStatus.Failed, ex.Message);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Run of integration {IntegrationName} failed unexpectedly", integration.Name);
            return (RunStatus.Failed, $"Internal error: {ex.GetType().Name}. The host log has the details.");
        }
    }

    /// <summary>
    /// A dry run: reads up to <paramref name="maxRecords"/> changes per direction as the next run would, and says what it would
    /// create, update, link or skip and why, with the API calls per side. Nothing is written, linked or checkpointed.
    /// </summary>
    /// <returns>The plan; null when the integration does not exist.</returns>
    /// <exception cref="ConnectorException">A connection cannot be used.</exception>
    public async Task<PreviewResult?> PreviewAsync(Guid integrationId, int maxRecords, CancellationToken cancellationToken)
    {
        if (await integrations.GetAsync(integrationId, cancellationToken) is not { } integration)
        {
            return null;
        }

        var definition = integration.ParseDefinition();
        await using var source = await LeaseAsync(definition.Source.Connection, cancellationToken);
        await using var target = await LeaseAsync(definition.Target.Connection, cancellationToken);
        var preview = new PreviewCollector(maxRecords);
        var context = await ContextAsync(integration, definition, source.Connector, target.Connector, new RunTally(), await PendingRetriesAsync(integrationId, cancellationToken), preview, cancellationToken);

        await new DirectionSync(context, context.Source).RunAsync(null, cancellationToken);
        if (definition.Direction == SyncDirection.Bidirectional && !preview.Full)
        {
            await new DirectionSync(context, context.Target).RunAsync(null, cancellationToken);
        }

        return preview.Result();
    }

    private async Task<(RunStatus Status, string? Message)> RunDirectionsAsync(
        Integration integration, IntegrationDefinition definition, IReadOnlySet<string> retries, RunTally tally, DateTimeOffset started, CancellationToken cancellationToken)
    {
        await using var source = await LeaseAsync(definition.Source.Connection, cancellationToken);
        await using var target = await LeaseAsync(definition.Target.Connection, cancellationToken);
        var context = await ContextAsync(integration, definition, source.Connector, target.Connector, tally, retries, null, cancellationToken);

        var forth = new ActivitySync(context, context.Source);
        await new DirectionSync(context, context.Source).RunAsync(forth.CopyAllOfAsync, cancellationToken);
        await forth.CopyRecentAsync(started, cancellationToken);
        if (definition.Direction == SyncDirection.Bidirectional)
        {
            var back = new ActivitySync(context, context.Target);
            await new DirectionSync(context, context.Target).RunAsync(back.CopyAllOfAsync, cancellationToken);
            await back.CopyRecentAsync(started, cancellationToken);
        }

        return tally.Counts.Failed > 0 || tally.Errors.Count > 0 ? (RunStatus.PartiallyFailed, null) : (RunStatus.Succeeded, null);
    }

    private async Task<Lease> LeaseAsync(string connection, CancellationToken cancellationToken) =>
        new(connectors, await connectors.OpenAsync(connection, cancellationToken));

    /// <summary>
    /// The records that failed and are not known to be fixed: the errors of every run since the last one that went through
    /// (a run that failed as a whole, or was cut short, may not have retried them).
    /// </summary>
    private async Task<HashSet<string>> PendingRetriesAsync(Guid integrationId, CancellationToken cancellationToken)
    {
        var pending = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recent in await runs.ListAsync(integrationId, 20, cancellationToken))
        {
            if (recent.FinishedAt is null)
            {
                continue;
            }

            if ((await runs.GetAsync(recent.Id, cancellationToken))?.Errors is { } errors)
            {
                pending.UnionWith(errors.Select(e => e.RecordId));
            }

            if (recent.Status is RunStatus.Succeeded or RunStatus.PartiallyFailed)
            {
                break;
            }
        }

        return pending;
    }

    /// <summary>What one run (or preview) of the integration shares: both sides described, the rules compiled.</summary>
    private async Task<SyncContext> ContextAsync(Integration integration, IntegrationDefinition definition, IConnector source, IConnector target,
        RunTally tally, IReadOnlySet<string> retries, PreviewCollector? preview, CancellationToken cancellationToken) => new()
    {
        IntegrationId = integration.Id,
        IntegrationName = integration.Name,
        Definition = definition,
        Source = await SideAsync(Side.Source, source, definition.Source, definition.Correlation.Source, cancellationToken),
        Target = await SideAsync(Side.Target, target, definition.Target, definition.Correlation.Target, cancellationToken),
        State = state,
        Hasher = _hasher,
        Tally = tally,
        Logger = logger,
        Time = time,
        Rules = await CompileRulesAsync(definition, cancellationToken),
        RuleRuntime = rules,
        Retries = retries,
        Preview = preview,
    };

    private static async Task<SyncSide> SideAsync(Side side, IConnector connector, EndpointDefinition endpoint, CorrelationSide correlation, CancellationToken cancellationToken)
    {
        var schema = await connector.DescribeEntityAsync(endpoint.Entity, endpoint.Scope, cancellationToken);
        return new SyncSide(side, connector, endpoint, schema, correlation);
    }

    private async Task<IReadOnlyList<CompiledRule>> CompileRulesAsync(IntegrationDefinition definition, CancellationToken cancellationToken)
    {
        var compiled = new List<CompiledRule>();
        foreach (var rule in definition.Rules)
        {
            var script = rule.Script ?? (rule.File is { } file && options.RulesDirectory is { } folder
                ? await RuleFiles.ReadAsync(folder, file, cancellationToken)
                : throw new InvalidDataException($"Rule '{rule.Name}' has neither a script nor a file in the rules folder."));
            compiled.Add(rules.Compile(rule.Name, script));
        }

        return compiled;
    }

    /// <summary>A connector for one run, handed back to its provider at the end.</summary>
    private sealed class Lease(IConnectorProvider provider, IConnector connector) : IAsyncDisposable
    {
        public IConnector Connector { get; } = connector;

        public ValueTask DisposeAsync() => provider.ReleaseAsync(Connector);
    }
}
