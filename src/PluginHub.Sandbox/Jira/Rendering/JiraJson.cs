using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Sandbox.Jira.Model;

namespace PluginHub.Sandbox.Jira.Rendering;

/// <summary>
/// Renders the sandbox state in Jira's JSON shapes for one request: absolute <c>self</c> URLs from the externally
/// visible base URL, the request's API version (v3 = ADF rich text), and times in the viewer's time zone.
/// </summary>
internal sealed class JiraJson(JiraStore store, string baseUrl, string apiVersion, JiraUser? viewer)
{
    public static readonly string[] SystemFields =
    [
        "summary", "description", "issuetype", "project", "status", "priority", "resolution", "resolutiondate", "assignee",
        "reporter", "creator", "created", "updated", "statuscategorychangedate", "duedate", "labels", "components",
        "fixVersions", "versions", "issuelinks", "subtasks", "attachment", "comment", "watches", "votes", "worklog",
        "timetracking", "environment", "security", "lastViewed",
    ];

    /// <summary>Fields that <c>*navigable</c> leaves out.</summary>
    public static readonly HashSet<string> NotNavigable = ["comment", "worklog", "timetracking", "attachment"];

    /// <summary>Jira does not escape <c>+</c>, <c>&amp;</c> or quotes as \u sequences; neither do we.</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const int EmbeddedChangelogCap = 100;

    public JiraStore Store { get; } = store;

    public string BaseUrl { get; } = baseUrl;

    /// <summary>"2" or "3".</summary>
    public string Version { get; } = apiVersion;

    public bool IsV3 => Version == "3";

    public string Api => $"{BaseUrl}/rest/api/{Version}";

    private TimeZoneInfo Zone => viewer?.TimeZone ?? TimeZoneInfo.Utc;

    /// <summary><c>2026-11-26T17:42:00.000+0000</c>: RFC-822 offset without a colon, in the viewer's zone.</summary>
    public string Time(long epochMs) => FormatTime(epochMs, Zone);

    public static string FormatTime(long epochMs, TimeZoneInfo zone)
    {
        var instant = DateTimeOffset.FromUnixTimeMilliseconds(epochMs);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)
            + string.Create(CultureInfo.InvariantCulture, $"{sign}{offset.Hours:00}{offset.Minutes:00}");
    }

    public static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    public JsonNode? Rich(RichText? text) => text is null ? null : IsV3 ? text.ToAdf() : JsonValue.Create(text.ToWiki());

    public JsonObject AvatarUrls(string owner) => new()
    {
        ["48x48"] = $"{BaseUrl}/secure/useravatar?ownerId={owner}&size=large",
        ["24x24"] = $"{BaseUrl}/secure/useravatar?ownerId={owner}&size=small",
        ["16x16"] = $"{BaseUrl}/secure/useravatar?ownerId={owner}&size=xsmall",
        ["32x32"] = $"{BaseUrl}/secure/useravatar?ownerId={owner}&size=medium",
    };

    public JsonObject User(JiraUser user)
    {
        if (Store.IsCloud)
        {
            var cloud = new JsonObject
            {
                ["self"] = $"{Api}/user?accountId={user.AccountId}",
                ["accountId"] = user.AccountId,
                ["emailAddress"] = user.Email,
                ["avatarUrls"] = AvatarUrls(user.AccountId),
                ["displayName"] = user.DisplayName,
                ["active"] = user.Active,
                ["timeZone"] = user.TimeZoneId,
                ["accountType"] = user.AccountType,
            };
            if (user.HideEmail && user.Index != viewer?.Index)
            {
                // Users who hide their e-mail show it only to themselves.
                cloud.Remove("emailAddress");
            }

            return cloud;
        }

        return new JsonObject
        {
            ["self"] = $"{Api}/user?username={user.Name}",
            ["name"] = user.Name,
            ["key"] = user.Key,
            ["emailAddress"] = user.Email,
            ["avatarUrls"] = AvatarUrls(user.Key),
            ["displayName"] = user.DisplayName,
            ["active"] = user.Active,
            ["timeZone"] = user.TimeZoneId,
        };
    }

    public JsonNode? User(int index) => index < 0 ? null : User(Store.Users[index]);

    public JsonObject Myself(JiraUser user)
    {
        var me = User(user);
        me["locale"] = "en_US";
        me["groups"] = new JsonObject { ["size"] = user.IsAdmin ? 2 : 1, ["items"] = new JsonArray() };
        me["applicationRoles"] = new JsonObject { ["size"] = 1, ["items"] = new JsonArray() };
        me["expand"] = "groups,applicationRoles";
        return me;
    }

    public JsonObject StatusCategory(StatusCategory c) => new()
    {
        ["self"] = $"{Api}/statuscategory/{c.Id}",
        ["id"] = c.Id,
        ["key"] = c.Key,
        ["colorName"] = c.ColorName,
        ["name"] = c.Name,
    };

    public JsonObject Status(JiraStatus s) => new()
    {
        ["self"] = $"{Api}/status/{s.Id}",
        ["description"] = s.Description,
        ["iconUrl"] = $"{BaseUrl}/images/icons/statuses/generic.png",
        ["name"] = s.Name,
        ["untranslatedName"] = s.Name,
        ["id"] = Id(s.Id),
        ["statusCategory"] = StatusCategory(s.Category),
    };

    public JsonObject Priority(JiraPriority p) => new()
    {
        ["self"] = $"{Api}/priority/{p.Id}",
        ["statusColor"] = p.StatusColor,
        ["description"] = p.Description,
        ["iconUrl"] = $"{BaseUrl}/images/icons/priorities/{p.Name.ToLowerInvariant()}.svg",
        ["name"] = p.Name,
        ["id"] = Id(p.Id),
    };

    public JsonObject Resolution(JiraResolution r) => new()
    {
        ["self"] = $"{Api}/resolution/{r.Id}",
        ["id"] = Id(r.Id),
        ["description"] = r.Description,
        ["name"] = r.Name,
    };

    public JsonObject IssueType(JiraIssueType t) => new()
    {
        ["self"] = $"{Api}/issuetype/{t.Id}",
        ["id"] = Id(t.Id),
        ["description"] = t.Description,
        ["iconUrl"] = $"{BaseUrl}/secure/viewavatar?size=medium&avatarId={t.AvatarId}&avatarType=issuetype",
        ["name"] = t.Name,
        ["subtask"] = false,
        ["avatarId"] = t.AvatarId,
        ["hierarchyLevel"] = 0,
    };

    public JsonObject ProjectRef(JiraProject p) => new()
    {
        ["self"] = $"{Api}/project/{p.Id}",
        ["id"] = Id(p.Id),
        ["key"] = p.Key,
        ["name"] = p.Name,
        ["projectTypeKey"] = "software",
        ["simplified"] = false,
        ["avatarUrls"] = AvatarUrls("project" + Id(p.Id)),
    };

    public JsonObject Project(JiraProject p)
    {
        var o = ProjectRef(p);
        o["expand"] = "description,lead,issueTypes,url,projectKeys,permissions,insight";
        o["description"] = p.Description;
        o["lead"] = User(p.LeadIndex);
        o["components"] = new JsonArray();
        o["issueTypes"] = new JsonArray(Store.IssueTypes.Select(t => (JsonNode)IssueType(t)).ToArray());
        o["assigneeType"] = "UNASSIGNED";
        o["versions"] = new JsonArray();
        o["roles"] = new JsonObject { ["Administrators"] = $"{Api}/project/{p.Id}/role/10002" };
        o["style"] = "classic";
        o["isPrivate"] = false;
        o["properties"] = new JsonObject();
        return o;
    }

    public JsonObject Attachment(JiraAttachment a)
    {
        var o = new JsonObject
        {
            ["self"] = $"{Api}/attachment/{a.Id}",
            ["id"] = Id(a.Id),
            ["filename"] = a.Filename,
            ["author"] = User(a.AuthorIndex),
            ["created"] = Time(a.Created),
            ["size"] = a.Content.Length,
            ["mimeType"] = a.MimeType,
            ["content"] = Store.IsCloud
                ? $"{Api}/attachment/content/{a.Id}"
                : $"{BaseUrl}/secure/attachment/{a.Id}/{Uri.EscapeDataString(a.Filename)}",
        };
        if (a.MimeType.StartsWith("image/", StringComparison.Ordinal))
        {
            o["thumbnail"] = Store.IsCloud ? $"{Api}/attachment/thumbnail/{a.Id}" : $"{BaseUrl}/secure/thumbnail/{a.Id}/_thumb_{a.Id}.png";
        }

        return o;
    }

    public JsonObject Comment(JiraIssue issue, JiraComment c, bool renderedBody = false)
    {
        var o = new JsonObject
        {
            ["self"] = $"{Api}/issue/{issue.Id}/comment/{c.Id}",
            ["id"] = Id(c.Id),
            ["author"] = User(c.AuthorIndex),
            ["body"] = Rich(c.Body),
            ["updateAuthor"] = User(c.UpdateAuthorIndex),
            ["created"] = Time(c.Created),
            ["updated"] = Time(c.Updated),
        };
        if (renderedBody)
        {
            o["renderedBody"] = Adf.WikiToHtml(c.Body.ToWiki());
        }

        if (c.VisibilityJson is not null)
        {
            o["visibility"] = JsonNode.Parse(c.VisibilityJson);
        }

        if (Store.IsCloud)
        {
            o["jsdPublic"] = true;
        }

        return o;
    }

    public JsonObject CommentPage(JiraIssue issue, IReadOnlyList<JiraComment> comments, int startAt, int maxResults, int total, bool renderedBody = false) => new()
    {
        ["comments"] = new JsonArray(comments.Select(c => (JsonNode)Comment(issue, c, renderedBody)).ToArray()),
        ["self"] = $"{Api}/issue/{issue.Id}/comment",
        ["maxResults"] = maxResults,
        ["total"] = total,
        ["startAt"] = startAt,
    };

    /// <summary>The embedded <c>comment</c> field: the first page of comments, the whole of them unless a limit is set.</summary>
    private JsonObject EmbeddedComments(JiraIssue issue)
    {
        var comments = issue.Comments ?? [];
        var shown = Store.EmbeddedCommentLimit > 0 && comments.Count > Store.EmbeddedCommentLimit ? comments.GetRange(0, Store.EmbeddedCommentLimit) : comments;
        return CommentPage(issue, shown, 0, shown.Count, comments.Count);
    }

    public JsonObject ChangeHistory(ChangeHistory h)
    {
        var o = new JsonObject
        {
            ["id"] = Id(h.Id),
            ["author"] = User(h.AuthorIndex),
            ["created"] = Time(h.Created),
            ["items"] = new JsonArray(h.Items.Select(i => (JsonNode)ChangeItem(i)).ToArray()),
        };
        if (h.HistoryMetadataJson is not null)
        {
            o["historyMetadata"] = JsonNode.Parse(h.HistoryMetadataJson);
        }

        return o;
    }

    public static JsonObject ChangeItem(ChangeItem i)
    {
        var o = new JsonObject { ["field"] = i.Field, ["fieldtype"] = i.FieldType };
        if (i.FieldId is not null)
        {
            o["fieldId"] = i.FieldId;
        }

        o["from"] = i.From;
        o["fromString"] = i.FromText;
        o["to"] = i.To;
        o["toString"] = i.ToText;
        return o;
    }

    public JsonObject Transition(JiraTransition t, bool withFields)
    {
        var o = new JsonObject
        {
            ["id"] = Id(t.Id),
            ["name"] = t.Name,
            ["to"] = Status(Store.Statuses[t.To]),
            ["hasScreen"] = t.ResolutionOnScreen,
            ["isGlobal"] = t.From.Count == 0,
            ["isInitial"] = false,
            ["isAvailable"] = true,
            ["isConditional"] = false,
            ["looped"] = false,
        };
        if (withFields)
        {
            var fields = new JsonObject();
            if (t.ResolutionOnScreen)
            {
                fields["resolution"] = new JsonObject
                {
                    ["required"] = t.ResolutionRequired,
                    ["schema"] = new JsonObject { ["type"] = "resolution", ["system"] = "resolution" },
                    ["name"] = "Resolution",
                    ["key"] = "resolution",
                    ["hasDefaultValue"] = false,
                    ["operations"] = new JsonArray("set"),
                    ["allowedValues"] = new JsonArray(Store.Resolutions.Select(r => (JsonNode)Resolution(r)).ToArray()),
                };
            }

            o["fields"] = fields;
        }

        return o;
    }

    public JsonObject CustomFieldOption(CustomOption option) => new()
    {
        ["self"] = $"{Api}/customFieldOption/{option.Id}",
        ["value"] = option.Value,
        ["id"] = Id(option.Id),
    };

    public JsonNode? CustomValue(JiraCustomField field, object? value) => value switch
    {
        null => null,
        RichText rich => Rich(rich),
        string s => JsonValue.Create(s),
        double d => JsonValue.Create(d),
        long ms => JsonValue.Create(Time(ms)),
        int i when field.Type == CustomFieldType.UserPicker => User(i),
        int i => field.Options.FirstOrDefault(o => o.Id == i) is { } option ? CustomFieldOption(option) : null,
        int[] ids => new JsonArray(ids.Select(i => field.Options.First(o => o.Id == i)).Select(o => (JsonNode)CustomFieldOption(o)).ToArray()),
        string[] labels => new JsonArray(labels.Select(l => (JsonNode)JsonValue.Create(l)).ToArray()),
        _ => null,
    };

    /// <summary>The field ids an issue of this type has: system fields plus the custom fields on its screen.</summary>
    public IEnumerable<string> FieldIds(JiraIssueType type) =>
        SystemFields.Concat(Store.CustomFields.Where(f => type.ScreenCustomFields.Contains(f.Id)).Select(f => f.FieldId));

    public JsonObject Issue(JiraIssue issue, FieldSelection fields, IReadOnlySet<string> expand, IReadOnlyList<string> properties, int changelogCap = EmbeddedChangelogCap)
    {
        var o = new JsonObject
        {
            ["expand"] = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
            ["id"] = Id(issue.Id),
            ["self"] = $"{Api}/issue/{issue.Id}",
            ["key"] = issue.Key,
        };
        var type = Store.IssueType(issue.IssueTypeId);
        if (!fields.IdOnly)
        {
            var f = new JsonObject();
            foreach (var id in FieldIds(type))
            {
                if (fields.Includes(id))
                {
                    f[id] = FieldValue(issue, id);
                }
            }

            o["fields"] = f;
        }

        if (expand.Contains("renderedFields"))
        {
            o["renderedFields"] = RenderedFields(issue, fields);
        }

        if (expand.Contains("names"))
        {
            var names = new JsonObject();
            foreach (var id in FieldIds(type).Where(fields.Includes))
            {
                names[id] = FieldName(id);
            }

            o["names"] = names;
        }

        if (expand.Contains("schema"))
        {
            var schema = new JsonObject();
            foreach (var id in FieldIds(type).Where(fields.Includes))
            {
                schema[id] = FieldSchema(id);
            }

            o["schema"] = schema;
        }

        if (expand.Contains("transitions"))
        {
            o["transitions"] = new JsonArray(AvailableTransitions(issue).Select(t => (JsonNode)Transition(t, false)).ToArray());
        }

        if (expand.Contains("editmeta"))
        {
            o["editmeta"] = new JsonObject
            {
                ["fields"] = new JsonObject(FieldMeta(Store.Project(issue.ProjectId), type, create: false).Select(f => KeyValuePair.Create((string)f["key"]!, (JsonNode?)f))),
            };
        }

        if (expand.Contains("changelog"))
        {
            var histories = issue.History ?? [];
            // Cloud embeds only the most recent 100 histories (GET …/changelog pages through all); Server embeds all.
            var shown = Store.IsCloud && histories.Count > changelogCap ? histories.GetRange(histories.Count - changelogCap, changelogCap) : histories;
            o["changelog"] = new JsonObject
            {
                ["startAt"] = 0,
                ["maxResults"] = shown.Count,
                ["total"] = histories.Count,
                ["histories"] = new JsonArray(shown.Select(h => (JsonNode)ChangeHistory(h)).ToArray()),
            };
        }

        if (properties.Count > 0)
        {
            var props = new JsonObject();
            foreach (var key in properties)
            {
                if (issue.Properties?.GetValueOrDefault(key) is { } json)
                {
                    props[key] = JsonNode.Parse(json);
                }
            }

            o["properties"] = props;
        }

        return o;
    }

    /// <summary>The field metadata of create/edit screens.</summary>
    public IEnumerable<JsonObject> FieldMeta(JiraProject project, JiraIssueType type, bool create)
    {
        var json = this;
        JsonObject Meta(string id, bool required, JsonArray? allowed = null, string[]? operations = null, JsonNode? defaultValue = null)
        {
            var o = new JsonObject
            {
                ["required"] = required,
                ["schema"] = json.FieldSchema(id),
                ["name"] = json.FieldName(id),
                ["key"] = id,
                ["hasDefaultValue"] = defaultValue is not null,
                ["operations"] = new JsonArray((operations ?? ["set"]).Select(op => (JsonNode)JsonValue.Create(op)).ToArray()),
            };
            if (create)
            {
                // Create metadata (FieldCreateMetadata) names the field id; edit and transition metadata do not.
                o["fieldId"] = id;
            }

            if (allowed is not null)
            {
                o["allowedValues"] = allowed;
            }

            if (defaultValue is not null)
            {
                o["defaultValue"] = defaultValue;
            }

            return o;
        }

        if (create)
        {
            yield return Meta("summary", true);
            yield return Meta("issuetype", true, Arr(Store.IssueTypes.Select(json.IssueType)));
            yield return Meta("project", true, Arr([json.ProjectRef(project)]));
        }
        else
        {
            yield return Meta("summary", true);
        }

        yield return Meta("description", false);
        yield return Meta("priority", false, Arr(Store.Priorities.Select(json.Priority)), defaultValue: json.Priority(Store.Priority(3)));
        yield return Meta("labels", false, operations: ["add", "set", "remove"]);
        yield return Meta("assignee", false);
        yield return Meta("reporter", true);
        yield return Meta("duedate", false);
        yield return Meta("environment", false);
        foreach (var field in Store.CustomFields.Where(f => type.ScreenCustomFields.Contains(f.Id)))
        {
            var allowed = field.Options.Count > 0 ? Arr(field.Options.Select(json.CustomFieldOption)) : null;
            yield return Meta(field.FieldId, false, allowed, field.Type is CustomFieldType.Labels or CustomFieldType.MultiSelect ? ["add", "set", "remove"] : ["set"]);
        }

        if (!create)
        {
            yield return Meta("comment", false, operations: ["add", "edit", "remove"]);
        }
    }

    private static JsonArray Arr(IEnumerable<JsonObject> items) => new(items.Select(i => (JsonNode)i).ToArray());

    public IEnumerable<JiraTransition> AvailableTransitions(JiraIssue issue) =>
        Store.IssueType(issue.IssueTypeId).Workflow.Transitions.Where(t => t.From.Count == 0 ? t.To != issue.StatusId : t.From.Contains(issue.StatusId));

    private JsonObject RenderedFields(JiraIssue issue, FieldSelection fields)
    {
        var r = new JsonObject();
        foreach (var id in FieldIds(Store.IssueType(issue.IssueTypeId)).Where(fields.Includes))
        {
            r[id] = id switch
            {
                "description" => issue.Description is null ? null : Adf.WikiToHtml(issue.Description.ToWiki()),
                "environment" => issue.Environment is null ? null : Adf.WikiToHtml(issue.Environment.ToWiki()),
                "created" => RenderedDate(issue.Created),
                "updated" => RenderedDate(issue.Updated),
                "resolutiondate" => issue.ResolutionDate == 0 ? null : RenderedDate(issue.ResolutionDate),
                "statuscategorychangedate" => RenderedDate(issue.StatusCategoryChanged),
                "comment" => new JsonObject
                {
                    ["comments"] = new JsonArray((issue.Comments ?? []).Select(c =>
                    {
                        var rc = Comment(issue, c);
                        rc["body"] = Adf.WikiToHtml(c.Body.ToWiki());
                        return (JsonNode)rc;
                    }).ToArray()),
                    ["maxResults"] = issue.Comments?.Count ?? 0,
                    ["total"] = issue.Comments?.Count ?? 0,
                    ["startAt"] = 0,
                },
                _ when id.StartsWith("customfield_", StringComparison.Ordinal)
                    && issue.Custom?.GetValueOrDefault(CustomId(id)) is RichText rich => Adf.WikiToHtml(rich.ToWiki()),
                _ => null,
            };
        }

        return r;
    }

    /// <summary>The relative, human date of rendered fields (<c>26/Nov/26 5:42 PM</c>).</summary>
    private string RenderedDate(long epochMs) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs), Zone).ToString("dd/MMM/yy h:mm tt", CultureInfo.InvariantCulture);

    public static int CustomId(string fieldId) => int.Parse(fieldId.AsSpan("customfield_".Length), CultureInfo.InvariantCulture);

    public JsonNode? FieldValue(JiraIssue issue, string id) => id switch
    {
        "summary" => issue.Summary,
        "description" => Rich(issue.Description),
        "environment" => Rich(issue.Environment),
        "issuetype" => IssueType(Store.IssueType(issue.IssueTypeId)),
        "project" => ProjectRef(Store.Project(issue.ProjectId)),
        "status" => Status(Store.Statuses[issue.StatusId]),
        "priority" => Priority(Store.Priority(issue.PriorityId)),
        "resolution" => issue.ResolutionId == 0 ? null : Resolution(Store.Resolutions.First(r => r.Id == issue.ResolutionId)),
        "resolutiondate" => issue.ResolutionDate == 0 ? null : Time(issue.ResolutionDate),
        "assignee" => User(issue.AssigneeIndex),
        "reporter" => User(issue.ReporterIndex),
        "creator" => User(issue.CreatorIndex),
        "created" => Time(issue.Created),
        "updated" => Time(issue.Updated),
        "statuscategorychangedate" => Time(issue.StatusCategoryChanged),
        "lastViewed" => null,
        "duedate" => issue.DueDate,
        "labels" => new JsonArray(issue.Labels.Select(l => (JsonNode)JsonValue.Create(l)).ToArray()),
        "components" or "fixVersions" or "versions" or "issuelinks" or "subtasks" => new JsonArray(),
        "attachment" => new JsonArray((issue.AttachmentIds ?? []).Select(a => (JsonNode)Attachment(Store.Attachments[a])).ToArray()),
        "comment" => EmbeddedComments(issue),
        "watches" => new JsonObject { ["self"] = $"{Api}/issue/{issue.Key}/watchers", ["watchCount"] = 1, ["isWatching"] = false },
        "votes" => new JsonObject { ["self"] = $"{Api}/issue/{issue.Key}/votes", ["votes"] = 0, ["hasVoted"] = false },
        "worklog" => new JsonObject { ["startAt"] = 0, ["maxResults"] = 20, ["total"] = 0, ["worklogs"] = new JsonArray() },
        "timetracking" => new JsonObject(),
        "security" => null,
        _ when id.StartsWith("customfield_", StringComparison.Ordinal) && Store.CustomField(CustomId(id)) is { } field
            => CustomValue(field, issue.Custom?.GetValueOrDefault(field.Id)),
        _ => null,
    };

    public string FieldName(string id) => id switch
    {
        "issuetype" => "Issue Type",
        "statuscategorychangedate" => "Status Category Changed",
        "resolutiondate" => "Resolved",
        "duedate" => "Due date",
        "fixVersions" => "Fix versions",
        "versions" => "Affects versions",
        "issuelinks" => "Linked Issues",
        "subtasks" => "Sub-tasks",
        "timetracking" => "Time tracking",
        "lastViewed" => "Last Viewed",
        "worklog" => "Log Work",
        "security" => "Security Level",
        "attachment" => "Attachment",
        _ when id.StartsWith("customfield_", StringComparison.Ordinal) => Store.CustomField(CustomId(id))?.Name ?? id,
        _ => char.ToUpperInvariant(id[0]) + id[1..],
    };

    public JsonObject FieldSchema(string id)
    {
        if (id.StartsWith("customfield_", StringComparison.Ordinal) && Store.CustomField(CustomId(id)) is { } cf)
        {
            var s = new JsonObject { ["type"] = cf.SchemaType };
            if (cf.SchemaItems is { } items)
            {
                s["items"] = items;
            }

            s["custom"] = cf.CustomKey;
            s["customId"] = cf.Id;
            return s;
        }

        var (type, itemType) = id switch
        {
            "issuetype" => ("issuetype", null),
            "project" => ("project", null),
            "status" => ("status", null),
            "priority" => ("priority", null),
            "resolution" => ("resolution", null),
            "assignee" or "reporter" or "creator" => ("user", null),
            "created" or "updated" or "resolutiondate" or "statuscategorychangedate" or "lastViewed" => ("datetime", null),
            "duedate" => ("date", null),
            "labels" => ("array", "string"),
            "components" => ("array", "component"),
            "fixVersions" or "versions" => ("array", "version"),
            "issuelinks" => ("array", "issuelinks"),
            "subtasks" => ("array", "issuelinks"),
            "attachment" => ("array", "attachment"),
            "comment" => ("comments-page", null),
            "watches" => ("watches", null),
            "votes" => ("votes", null),
            "worklog" => ("array", "worklog"),
            "timetracking" => ("timetracking", null),
            "security" => ("securitylevel", null),
            _ => ("string", (string?)null),
        };
        var schema = new JsonObject { ["type"] = type };
        if (itemType is not null)
        {
            schema["items"] = itemType;
        }

        schema["system"] = id;
        return schema;
    }

    /// <summary>The <c>GET /field</c> entry of one field.</summary>
    public JsonObject FieldDefinition(string id)
    {
        var custom = id.StartsWith("customfield_", StringComparison.Ordinal);
        var name = FieldName(id);
        var o = new JsonObject
        {
            ["id"] = id,
            ["key"] = id,
            ["name"] = name,
            ["custom"] = custom,
            // Fields the server maintains cannot be put on a screen.
            ["orderable"] = custom || id is not ("created" or "updated" or "creator" or "status" or "resolutiondate" or "statuscategorychangedate" or "lastViewed" or "votes" or "watches" or "subtasks"),
            ["navigable"] = !NotNavigable.Contains(id) || id == "attachment",
            ["searchable"] = true,
            ["clauseNames"] = custom
                ? new JsonArray($"cf[{CustomId(id)}]", name)
                : new JsonArray(id == "issuetype" ? ["issuetype", "type"] : id == "key" ? ["id", "issue", "issuekey", "key"] : new JsonNode[] { id }),
            ["schema"] = FieldSchema(id),
        };
        return o;
    }
}

/// <summary>The <c>fields</c> query parameter: <c>*all</c>, <c>*navigable</c>, explicit ids and <c>-id</c> exclusions.</summary>
internal sealed class FieldSelection
{
    private readonly HashSet<string> _include = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exclude = new(StringComparer.Ordinal);
    private bool _all;
    private bool _navigable;

    /// <summary>No <c>fields</c> object at all (the <c>/search/jql</c> default).</summary>
    public bool IdOnly { get; private set; }

    public static FieldSelection Parse(IEnumerable<string> values, string fallback)
    {
        var list = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (list.Count == 0)
        {
            list.Add(fallback);
        }

        var s = new FieldSelection();
        foreach (var f in list)
        {
            switch (f)
            {
                case "*all":
                    s._all = true;
                    break;
                case "*navigable":
                    s._navigable = true;
                    break;
                case "id":
                    break;
                case "key":
                    break;
                default:
                    if (f.StartsWith('-'))
                    {
                        s._exclude.Add(f[1..]);
                    }
                    else
                    {
                        s._include.Add(f);
                    }

                    break;
            }
        }

        s.IdOnly = !s._all && !s._navigable && s._include.Count == 0;
        return s;
    }

    public bool Includes(string id) =>
        !_exclude.Contains(id) && (_all || _include.Contains(id) || (_navigable && !JiraJson.NotNavigable.Contains(id)));
}
