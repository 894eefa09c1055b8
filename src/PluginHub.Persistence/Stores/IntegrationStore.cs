using Microsoft.EntityFrameworkCore;
using PluginHub.Core.Integrations;
using PluginHub.Persistence.Entities;

namespace PluginHub.Persistence.Stores;

internal sealed class IntegrationStore(IDbContextFactory<PluginHubDbContext> contexts, TimeProvider time) : IIntegrationStore
{
    public async Task<IReadOnlyList<Integration>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Integrations.AsNoTracking().OrderBy(i => i.Name).ToListAsync(cancellationToken);
        return [.. rows.Select(ToModel)];
    }

    public async Task<Integration?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Integrations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        return row is null ? null : ToModel(row);
    }

    public async Task<Integration> AddAsync(string name, string definition, IntegrationSchedule schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var now = time.GetUtcNow().UtcDateTime;
        var row = new IntegrationEntity
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Name = name,
            Definition = definition,
            Enabled = false,
            Revision = 1,
            PollSeconds = schedule.PollSeconds,
            Cron = schedule.Cron,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Integrations.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return ToModel(row);
    }

    public Task<Integration?> UpdateAsync(Guid id, string name, string definition, IntegrationSchedule schedule, CancellationToken cancellationToken) =>
        ChangeAsync(id, row =>
        {
            row.Name = name;
            row.Definition = definition;
            row.PollSeconds = schedule.PollSeconds;
            row.Cron = schedule.Cron;
        }, cancellationToken);

    public Task<Integration?> SetEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken) =>
        ChangeAsync(id, row => row.Enabled = enabled, cancellationToken);

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Integrations.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (row is null)
        {
            return false;
        }

        db.Integrations.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private async Task<Integration?> ChangeAsync(Guid id, Action<IntegrationEntity> change, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Integrations.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        change(row);
        row.Revision++;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return ToModel(row);
    }

    private static Integration ToModel(IntegrationEntity row) => new()
    {
        Id = row.Id,
        Name = row.Name,
        Definition = row.Definition,
        Enabled = row.Enabled,
        Revision = row.Revision,
        Schedule = new IntegrationSchedule(row.PollSeconds, row.Cron),
        CreatedAt = row.CreatedAt,
        UpdatedAt = row.UpdatedAt,
    };
}
