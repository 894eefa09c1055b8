using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Jira.Model;

/// <summary>A Jira user. Cloud exposes only <see cref="AccountId"/>; Server exposes <see cref="Name"/> and <see cref="Key"/>.</summary>
internal sealed class JiraUser
{
    public required int Index { get; init; }

    public required string AccountId { get; init; }

    public required string Name { get; init; }

    public required string Key { get; init; }

    public required string Email { get; init; }

    public required string DisplayName { get; init; }

    public required string TimeZoneId { get; init; }

    /// <summary>API token (Cloud Basic password), Server password and Server personal access token, all the same value here.</summary>
    public required string Token { get; init; }

    public string AccountType { get; init; } = "atlassian";

    public bool Active { get; init; } = true;

    public bool IsAdmin { get; init; }

    /// <summary>Privacy setting: other users do not see the e-mail address (Cloud).</summary>
    public bool HideEmail { get; init; }

    /// <summary>Consecutive failed Basic logins (Server's CAPTCHA trigger).</summary>
    public int FailedLogins { get; set; }

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
}

/// <summary>Status categories are fixed in Jira: ids 1–4 with stable keys.</summary>
internal sealed record StatusCategory(int Id, string Key, string ColorName, string Name)
{
    public static readonly StatusCategory Undefined = new(1, "undefined", "medium-gray", "No Category");
    public static readonly StatusCategory New = new(2, "new", "blue-gray", "To Do");
    public static readonly StatusCategory Done = new(3, "done", "green", "Done");
    public static readonly StatusCategory InProgress = new(4, "indeterminate", "yellow", "In Progress");

    public static IReadOnlyList<StatusCategory> All { get; } = [Undefined, New, Done, InProgress];
}

internal sealed record JiraStatus(int Id, string Name, string Description, StatusCategory Category);

internal sealed record JiraPriority(int Id, string Name, string Description, string StatusColor);

internal sealed record JiraResolution(int Id, string Name, string Description);

/// <summary>A workflow transition; <see cref="From"/> empty means global (available from every other status).</summary>
internal sealed record JiraTransition(int Id, string Name, IReadOnlyList<int> From, int To, bool ResolutionOnScreen, bool ResolutionRequired);

internal sealed record JiraWorkflow(string Name, int InitialStatus, IReadOnlyList<JiraTransition> Transitions)
{
    public IEnumerable<int> StatusIds => Transitions.SelectMany(t => t.From.Append(t.To)).Prepend(InitialStatus).Distinct();
}

internal sealed record JiraIssueType(int Id, string Name, string Description, JiraWorkflow Workflow, IReadOnlySet<int> ScreenCustomFields, int AvatarId);

internal sealed record JiraProject(int Id, string Key, string Name, string Description, int LeadIndex);

/// <summary>The custom field types of reference §3.1 the sandbox supports.</summary>
internal enum CustomFieldType
{
    Text,
    TextArea,
    Float,
    Select,
    MultiSelect,
    DatePicker,
    DateTime,
    UserPicker,
    Labels,
    Url,
}

internal sealed record CustomOption(int Id, string Value);

internal sealed record JiraCustomField(int Id, string Name, CustomFieldType Type, IReadOnlyList<CustomOption> Options)
{
    public string FieldId => $"customfield_{Id}";

    public string SchemaType => Type switch
    {
        CustomFieldType.Float => "number",
        CustomFieldType.Select => "option",
        CustomFieldType.MultiSelect => "array",
        CustomFieldType.DatePicker => "date",
        CustomFieldType.DateTime => "datetime",
        CustomFieldType.UserPicker => "user",
        CustomFieldType.Labels => "array",
        _ => "string",
    };

    public string? SchemaItems => Type switch
    {
        CustomFieldType.MultiSelect => "option",
        CustomFieldType.Labels => "string",
        _ => null,
    };

    public string CustomKey => "com.atlassian.jira.plugin.system.customfieldtypes:" + Type switch
    {
        CustomFieldType.Text => "textfield",
        CustomFieldType.TextArea => "textarea",
        CustomFieldType.Float => "float",
        CustomFieldType.Select => "select",
        CustomFieldType.MultiSelect => "multiselect",
        CustomFieldType.DatePicker => "datepicker",
        CustomFieldType.DateTime => "datetime",
        CustomFieldType.UserPicker => "userpicker",
        CustomFieldType.Labels => "labels",
        _ => "url",
    };
}

/// <summary>
/// Rich text as it was written: wiki markup (v2) or an ADF document (v3, kept as compact JSON text).
/// The other representation is derived on read, like Cloud converting server-side.
/// </summary>
internal sealed record RichText(string? Wiki, string? AdfJson)
{
    public static RichText FromWiki(string wiki) => new(wiki, null);

    public static RichText FromAdf(JsonNode adf) => new(null, adf.ToJsonString(Rendering.JiraJson.Options));

    public string ToWiki() => Wiki ?? Rendering.Adf.ToWiki(JsonNode.Parse(AdfJson!)!);

    public JsonNode ToAdf() => AdfJson is not null ? JsonNode.Parse(AdfJson)! : Rendering.Adf.FromWiki(Wiki!);
}

internal sealed record ChangeItem(string Field, string FieldType, string? FieldId, string? From, string? FromText, string? To, string? ToText);

internal sealed record ChangeHistory(int Id, int AuthorIndex, long Created, IReadOnlyList<ChangeItem> Items, string? HistoryMetadataJson);

internal sealed class JiraComment
{
    public required int Id { get; init; }

    public required int AuthorIndex { get; init; }

    public int UpdateAuthorIndex { get; set; }

    public required RichText Body { get; set; }

    public required long Created { get; init; }

    public long Updated { get; set; }

    public string? VisibilityJson { get; set; }
}

internal sealed record JiraAttachment(int Id, int IssueId, string Filename, int AuthorIndex, long Created, string MimeType, byte[] Content);

/// <summary>
/// One issue, kept compact so that 100,000 fit comfortably: references are indexes/ids, times are epoch milliseconds,
/// and collections stay null until used.
/// </summary>
internal sealed class JiraIssue
{
    public required int Id { get; init; }

    public required int ProjectId { get; init; }

    public required int Number { get; init; }

    public required string Key { get; init; }

    public int IssueTypeId { get; set; }

    public int StatusId { get; set; }

    public int PriorityId { get; set; }

    /// <summary>0 when unresolved.</summary>
    public int ResolutionId { get; set; }

    public string Summary { get; set; } = "";

    public RichText? Description { get; set; }

    public RichText? Environment { get; set; }

    public string? DueDate { get; set; }

    public string[] Labels { get; set; } = [];

    /// <summary>User index, -1 when unassigned.</summary>
    public int AssigneeIndex { get; set; } = -1;

    public int ReporterIndex { get; set; } = -1;

    public int CreatorIndex { get; init; }

    public long Created { get; init; }

    public long Updated { get; set; }

    public long StatusCategoryChanged { get; set; }

    /// <summary>0 when unresolved.</summary>
    public long ResolutionDate { get; set; }

    /// <summary>Custom field values by numeric id: string, double, int (option id or user index), int[] (options), string[] (labels), RichText.</summary>
    public Dictionary<int, object>? Custom { get; set; }

    public List<JiraComment>? Comments { get; set; }

    public List<int>? AttachmentIds { get; set; }

    /// <summary>Entity properties: key → compact JSON text.</summary>
    public Dictionary<string, string>? Properties { get; set; }

    public List<ChangeHistory>? History { get; set; }
}
