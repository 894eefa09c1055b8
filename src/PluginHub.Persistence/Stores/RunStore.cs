using Microsoft.EntityFrameworkCore;
using PluginHub.Core.Runs;
using PluginHub.Persistence.Entities;

namespace PluginHub.Persistence.Stores;

internal sealed class RunStore(IDbContextFactory<PluginHubDbContext> contexts, TimeProvider time) : IRunStore
{
    public Task<Run> StartAsync(Guid integrationId, RunTrigger trigger, CancellationToken cancellationToken) =>
        AddAsync(integrationId, trigger, RunStatus.Running, cancellationToken);

    public Task<Run> QueueAsync(Guid integrationId, RunTrigger trigger, CancellationToken cancellationToken) =>
        AddAsync(integrationId, trigger, RunStatus.Queued, cancellationToken);

    public async Task<Run?> MarkRunningAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId && r.Status == nameof(RunStatus.Queued), cancellationToken);
        if (row is null)
        {
            return null;
        }

        row.Status = nameof(RunStatus.Running);
        row.StartedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return ToModel(row, []);
    }

    private async Task<Run> AddAsync(Guid integrationId, RunTrigger trigger, RunStatus status, CancellationToken cancellationToken)
    {
        var row = new RunEntity
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            IntegrationId = integrationId,
            Trigger = trigger.ToString(),
            Status = status.ToString(),
            StartedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Runs.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return ToModel(row, []);
    }

    public async Task FinishAsync(Guid runId, RunStatus status, RunCounts counts, string? message, IReadOnlyList<RecordError> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(errors);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Runs.SingleAsync(r => r.Id == runId, cancellationToken);
        row.Status = status.ToString();
        row.FinishedAt = time.GetUtcNow().UtcDateTime;
        (row.ReadCount, row.CreatedCount, row.UpdatedCount, row.SkippedCount, row.FailedCount) =
            (counts.Read, counts.Created, counts.Updated, counts.Skipped, counts.Failed);
        row.Message = Truncate(message);
        db.RecordErrors.AddRange(errors.Select(e => new RecordErrorEntity
        {
            IntegrationId = row.IntegrationId,
            RunId = runId,
            RecordId = e.RecordId,
            Message = Truncate(e.Message)!,
        }));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<int> CloseUnfinishedAsync(string message, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var open = await db.Runs.Where(r => r.Status == nameof(RunStatus.Queued) || r.Status == nameof(RunStatus.Running)).ToListAsync(cancellationToken);
        foreach (var row in open)
        {
            row.Status = nameof(RunStatus.Failed);
            row.FinishedAt = time.GetUtcNow().UtcDateTime;
            row.Message = Truncate(message);
        }

        await db.SaveChangesAsync(cancellationToken);
        return open.Count;
    }

    public async Task<IReadOnlyList<Run>> ListAsync(Guid integrationId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Runs.AsNoTracking().Where(r => r.IntegrationId == integrationId)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(r => ToModel(r, []))];
    }

    public async Task<Run?> GetAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var errors = await db.RecordErrors.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id)
            .Select(e => new RecordError(e.RecordId, e.Message)).ToListAsync(cancellationToken);
        return ToModel(row, errors);
    }

    /// <summary>Fits a message into its 2,000-character column without splitting a surrogate pair (PostgreSQL refuses half an emoji).</summary>
    private static string? Truncate(string? message)
    {
        if (message is not { Length: > 2000 })
        {
            return message;
        }

        var cut = char.IsHighSurrogate(message[1996]) ? 1996 : 1997;
        return message[..cut] + "...";
    }

    private static Run ToModel(RunEntity row, IReadOnlyList<RecordError> errors) => new()
    {
        Id = row.Id,
        IntegrationId = row.IntegrationId,
        Trigger = Enum.Parse<RunTrigger>(row.Trigger),
        Status = Enum.Parse<RunStatus>(row.Status),
        StartedAt = row.StartedAt,
        FinishedAt = row.FinishedAt,
        Counts = new RunCounts(row.ReadCount, row.CreatedCount, row.UpdatedCount, row.SkippedCount, row.FailedCount),
        Message = row.Message,
        Errors = errors,
    };
}
