namespace PluginHub.Core.Integrations;

/// <summary>A stored integration: its definition (JSON, validated by the API) plus what the scheduler needs without parsing it.</summary>
public sealed record Integration
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The integration definition as JSON text. Configuration only: field names and value maps, never record data.</summary>
    public required string Definition { get; init; }

    public required bool Enabled { get; init; }

    /// <summary>Grows by one on every change; the scheduler and rule caches key on it.</summary>
    public required int Revision { get; init; }

    public required IntegrationSchedule Schedule { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    /// <summary>Parses <see cref="Definition"/>.</summary>
    /// <exception cref="InvalidDataException">The stored definition is empty.</exception>
    /// <exception cref="System.Text.Json.JsonException">The stored definition is not valid JSON of a definition.</exception>
    public Definitions.IntegrationDefinition ParseDefinition() =>
        System.Text.Json.JsonSerializer.Deserialize<Definitions.IntegrationDefinition>(Definition, Definitions.IntegrationDefinition.JsonOptions)
        ?? throw new InvalidDataException("The integration definition is empty.");
}

/// <summary>When an integration polls: every <see cref="PollSeconds"/> seconds, or on a Quartz <see cref="Cron"/> expression (UTC).</summary>
public sealed record IntegrationSchedule(int? PollSeconds, string? Cron)
{
    public const int DefaultPollSeconds = 60;

    public static IntegrationSchedule Default { get; } = new(DefaultPollSeconds, null);

    /// <summary>A readable form for logs: "every 30 s" or "cron 0 0/5 * * * ?".</summary>
    public override string ToString() => Cron is { } cron ? $"cron {cron}" : $"every {PollSeconds ?? DefaultPollSeconds} s";
}
