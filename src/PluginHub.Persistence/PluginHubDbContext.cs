using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PluginHub.Persistence.Entities;

namespace PluginHub.Persistence;

/// <summary>The model shared by both providers. Each provider has a derived context with its own migrations.</summary>
public abstract class PluginHubDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<ConnectionEntity> Connections => Set<ConnectionEntity>();

    public DbSet<IntegrationEntity> Integrations => Set<IntegrationEntity>();

    public DbSet<LinkEntity> Links => Set<LinkEntity>();

    public DbSet<WatermarkEntity> Watermarks => Set<WatermarkEntity>();

    public DbSet<RunEntity> Runs => Set<RunEntity>();

    public DbSet<RecordErrorEntity> RecordErrors => Set<RecordErrorEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // Every timestamp is UTC in and out: SQLite hands DateTime back as Unspecified, Npgsql refuses non-UTC for timestamptz.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<ConnectionEntity>(e =>
        {
            e.ToTable("connections");
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Connector).HasMaxLength(64);
            e.HasIndex(x => x.Name).IsUnique();
        });

        modelBuilder.Entity<IntegrationEntity>(e =>
        {
            e.ToTable("integrations");
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Cron).HasMaxLength(120);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => x.Name).IsUnique();
        });

        modelBuilder.Entity<LinkEntity>(e =>
        {
            e.ToTable("links");
            e.Property(x => x.SourceId).HasMaxLength(128);
            e.Property(x => x.TargetId).HasMaxLength(128);
            e.Property(x => x.CorrelationId).HasMaxLength(255);
            e.Property(x => x.SourceFingerprint).HasMaxLength(4000);
            e.Property(x => x.TargetFingerprint).HasMaxLength(4000);
            e.HasIndex(x => new { x.IntegrationId, x.Kind, x.SourceId }).IsUnique();
            e.HasIndex(x => new { x.IntegrationId, x.Kind, x.TargetId }).IsUnique();
            e.HasOne<IntegrationEntity>().WithMany().HasForeignKey(x => x.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<WatermarkEntity>(e =>
        {
            e.ToTable("watermarks");
            e.HasKey(x => new { x.IntegrationId, x.Direction });
            e.Property(x => x.Direction).HasMaxLength(32);
            e.Property(x => x.Value).HasMaxLength(2000);
            e.HasOne<IntegrationEntity>().WithMany().HasForeignKey(x => x.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RunEntity>(e =>
        {
            e.ToTable("runs");
            e.Property(x => x.Trigger).HasMaxLength(16);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.Message).HasMaxLength(2000);
            e.HasIndex(x => new { x.IntegrationId, x.StartedAt });
            e.HasOne<IntegrationEntity>().WithMany().HasForeignKey(x => x.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RecordErrorEntity>(e =>
        {
            e.ToTable("record_errors");
            e.Property(x => x.RecordId).HasMaxLength(64);
            e.Property(x => x.Message).HasMaxLength(2000);
            e.HasIndex(x => x.RunId);
            e.HasOne<RunEntity>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>The SQLite flavour (embedded default).</summary>
public sealed class SqlitePluginHubDbContext(DbContextOptions<SqlitePluginHubDbContext> options) : PluginHubDbContext(options);

/// <summary>The PostgreSQL flavour (several hosts).</summary>
public sealed class PostgreSqlPluginHubDbContext(DbContextOptions<PostgreSqlPluginHubDbContext> options) : PluginHubDbContext(options);
