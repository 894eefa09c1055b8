using System.Text.Json;
using System.Text.Json.Serialization;

namespace PluginHub.Core.Integrations.Definitions;

/// <summary>
/// What an integration syncs and how: the stored, validated form of an integration (its JSON Schema is
/// <c>rules/integration.schema.json</c>). Configuration only: entity and field names, value maps, policies — never record data.
/// </summary>
public sealed record IntegrationDefinition
{
    /// <summary>The side changes usually start on (Salesforce for the "Cases to Jira Tasks" template).</summary>
    public required EndpointDefinition Source { get; init; }

    public required EndpointDefinition Target { get; init; }

    /// <summary>One-way syncs source → target only; bi-directional also target → source, per field as the mappings say.</summary>
    public SyncDirection Direction { get; init; } = SyncDirection.OneWay;

    public IReadOnlyList<FieldMapping> Fields { get; init; } = [];

    public ActivityOptions Comments { get; init; } = new();

    public ActivityOptions Attachments { get; init; } = new();

    /// <summary>What wins when both sides changed the same field since the last sync; fields may override it.</summary>
    public ConflictPolicy Conflict { get; init; } = ConflictPolicy.LatestWins;

    public CorrelationDefinition Correlation { get; init; } = new();

    public ScheduleDefinition Schedule { get; init; } = new();

    public InitialSyncDefinition InitialSync { get; init; } = new();

    /// <summary>Also run on webhooks / outbound messages; polling continues as the floor.</summary>
    public bool Events { get; init; }

    /// <summary>JavaScript filter/transform rules, by file name (under <c>rules/</c>) or inline.</summary>
    public IReadOnlyList<RuleReference> Rules { get; init; } = [];

    /// <summary>The serializer settings of the stored and API form (camelCase, enums as camelCase strings).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };
}

/// <summary>One side of an integration.</summary>
public sealed record EndpointDefinition
{
    /// <summary>The connection's id.</summary>
    public required string Connection { get; init; }

    /// <summary>The entity: any Salesforce object (<c>Case</c>, <c>Invoice__c</c>), any Jira issue type (<c>Task</c>).</summary>
    public required string Entity { get; init; }

    /// <summary>Container scope, e.g. <c>{"project": "SUP"}</c> for Jira.</summary>
    public IReadOnlyDictionary<string, string>? Scope { get; init; }

    /// <summary>A native filter fragment: a SOQL WHERE fragment for Salesforce, a JQL fragment for Jira.</summary>
    public string? Filter { get; init; }
}

public enum SyncDirection
{
    OneWay,
    Bidirectional,
}

/// <summary>Which way a field (or comments, attachments) flows.</summary>
public enum FlowDirection
{
    ToTarget,
    ToSource,
    Both,
}

public enum ConflictPolicy
{
    SourceWins,
    TargetWins,
    LatestWins,
}

/// <summary>One field mapped between the sides.</summary>
public sealed record FieldMapping
{
    /// <summary>The source field; null when the target field only gets a default.</summary>
    public string? Source { get; init; }

    /// <summary>The target field; null when the source field only gets a default (to-source).</summary>
    public string? Target { get; init; }

    public FlowDirection Direction { get; init; } = FlowDirection.Both;

    /// <summary>Value maps per direction, e.g. Status New → To Do. Unmapped values pass through unchanged.</summary>
    public ValueMaps? ValueMap { get; init; }

    /// <summary>Values written when the source value is empty (or the field is not mapped from the other side).</summary>
    public DirectedValues? Default { get; init; }

    /// <summary>For user fields: how users are matched; default by e-mail.</summary>
    public UserMatch? User { get; init; }

    /// <summary>Overrides the integration's conflict policy for this field.</summary>
    public ConflictPolicy? Conflict { get; init; }
}

/// <summary>Value maps for each direction (keys and values are the API values: picklist values, status names).</summary>
public sealed record ValueMaps
{
    public IReadOnlyDictionary<string, string>? ToTarget { get; init; }

    public IReadOnlyDictionary<string, string>? ToSource { get; init; }
}

public sealed record DirectedValues
{
    public JsonElement? ToTarget { get; init; }

    public JsonElement? ToSource { get; init; }
}

/// <summary>How a user field is filled on the other side.</summary>
public sealed record UserMatch
{
    /// <summary><c>email</c> (default): the user with the same e-mail; <c>fixed</c>: always <see cref="Email"/>; <c>none</c>: left unset.</summary>
    public UserMatchMode Mode { get; init; } = UserMatchMode.Email;

    /// <summary>For <see cref="UserMatchMode.Fixed"/>, and the fallback of <see cref="UserMatchMode.Email"/> when nobody matches.</summary>
    public string? Email { get; init; }
}

public enum UserMatchMode
{
    Email,
    Fixed,
    None,
}

/// <summary>Comments or attachments: on or off, and which way.</summary>
public sealed record ActivityOptions
{
    public bool Enabled { get; init; }

    public FlowDirection Direction { get; init; } = FlowDirection.Both;
}

/// <summary>Where the correlation id lives on each side, so that a create interrupted by a crash is found instead of repeated.</summary>
public sealed record CorrelationDefinition
{
    public CorrelationSide Source { get; init; } = new();

    public CorrelationSide Target { get; init; } = new();
}

/// <summary>Where one side keeps the other side's key or PluginHub's correlation id.</summary>
public sealed record CorrelationSide
{
    /// <summary>A searchable field: a Salesforce external-id field such as <c>Jira_Key__c</c>, a Jira custom field, or <c>labels</c>; null for none.</summary>
    public string? Field { get; init; }

    /// <summary>A Jira issue property written at creation (e.g. <c>pluginhub.correlation</c>); null for none.</summary>
    public string? Property { get; init; }
}

/// <summary>When the integration polls: every <see cref="PollSeconds"/>, or on a Quartz cron expression (UTC).</summary>
public sealed record ScheduleDefinition
{
    public int? PollSeconds { get; init; }

    public string? Cron { get; init; }

    public IntegrationSchedule ToSchedule() => Cron is { Length: > 0 } cron
        ? new IntegrationSchedule(null, cron)
        : new IntegrationSchedule(PollSeconds ?? IntegrationSchedule.DefaultPollSeconds, null);
}

/// <summary>Whether records that existed before the integration was enabled are synced too.</summary>
public sealed record InitialSyncDefinition
{
    /// <summary>Off by default: enabling an integration never floods the target unless asked to.</summary>
    public bool Enabled { get; init; }

    /// <summary>Only records created at or after this instant.</summary>
    public DateTimeOffset? CreatedSince { get; init; }
}

/// <summary>A rule by file (relative to <c>rules/</c>) or inline script.</summary>
public sealed record RuleReference
{
    public required string Name { get; init; }

    public string? File { get; init; }

    public string? Script { get; init; }
}
