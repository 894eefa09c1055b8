using System.Globalization;
using System.Text.Json.Nodes;
using PluginHub.Sandbox.Jira.Endpoints;
using PluginHub.Sandbox.Jira.Jql;
using PluginHub.Sandbox.Jira.Model;
using PluginHub.Sandbox.Jira.Rendering;

namespace PluginHub.Sandbox.Jira.Issues;

/// <summary>
/// Validates and applies issue writes (create, edit, transition, comments, properties) the way Jira does: every field
/// error of one request is accumulated into one <c>errors</c> map, and every change is recorded in the changelog and bumps
/// <c>updated</c>. Callers hold <see cref="JiraStore.Gate"/>.
/// </summary>
internal sealed class IssueWriter(JiraStore store, JiraUser actor, bool v3)
{
    public const int MaxPropertyLength = 32768;

    /// <summary>Jira's limit on multi-line text fields and comments.</summary>
    public const int MaxTextLength = 32767;

    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private readonly List<ChangeItem> _items = [];

    public static string CannotBeSet(string field) => $"Field '{field}' cannot be set. It is not on the appropriate screen, or unknown.";

    /// <summary><c>POST /issue</c>: returns the new issue or throws the accumulated errors.</summary>
    public JiraIssue Create(JsonObject body)
    {
        var fields = body["fields"] as JsonObject ?? [];
        var now = store.NowMs();
        JiraProject? project = null;
        if (fields["project"] is JsonObject p)
        {
            project = store.FindProject((string?)p["key"] ?? (string?)p["id"] ?? "");
        }

        if (project is null)
        {
            _errors["project"] = "Specify a valid project ID or key";
        }

        JiraIssueType? type = null;
        if (fields["issuetype"] is JsonObject t)
        {
            type = (string?)t["id"] is { } typeId ? store.IssueTypes.Find(x => JiraJson.Id(x.Id) == typeId)
                : (string?)t["name"] is { } typeName ? store.IssueTypes.Find(x => string.Equals(x.Name, typeName, StringComparison.OrdinalIgnoreCase)) : null;
            if (type is null)
            {
                _errors["issuetype"] = "The issue type selected is invalid.";
            }
        }
        else
        {
            _errors["issuetype"] = "Specify an issue type";
        }

        if (fields["summary"] is null || (fields["summary"] is JsonValue sv && sv.TryGetValue<string>(out var s) && string.IsNullOrWhiteSpace(s)))
        {
            _errors["summary"] = "You must specify a summary of the issue.";
        }

        var issue = new JiraIssue
        {
            Id = 0,
            ProjectId = project?.Id ?? 0,
            Number = 0,
            Key = "",
            IssueTypeId = type?.Id ?? 0,
            StatusId = type?.Workflow.InitialStatus ?? 0,
            PriorityId = 3,
            ReporterIndex = actor.Index,
            CreatorIndex = actor.Index,
            Created = now,
            Updated = now,
            StatusCategoryChanged = now,
        };
        if (type is not null)
        {
            foreach (var (id, value) in fields)
            {
                if (id is "project" or "issuetype")
                {
                    continue;
                }

                SetField(issue, type, id, value);
            }

            ApplyUpdate(issue, type, body["update"] as JsonObject, fields, allowComment: false);
        }

        var properties = ParseProperties(body["properties"]);
        ThrowIfErrors();

        var number = store.ClaimNextIssueNumber(project!.Id);
        var created = new JiraIssue
        {
            Id = store.NextIssueId(),
            ProjectId = project.Id,
            Number = number,
            Key = $"{project.Key}-{number}",
            IssueTypeId = issue.IssueTypeId,
            StatusId = issue.StatusId,
            PriorityId = issue.PriorityId,
            Summary = issue.Summary,
            Description = issue.Description,
            Environment = issue.Environment,
            DueDate = issue.DueDate,
            Labels = issue.Labels,
            AssigneeIndex = issue.AssigneeIndex,
            ReporterIndex = issue.ReporterIndex,
            CreatorIndex = actor.Index,
            Created = now,
            Updated = now,
            StatusCategoryChanged = now,
            Custom = issue.Custom,
        };
        foreach (var (key, json) in properties)
        {
            (created.Properties ??= [])[key] = json;
        }

        store.AddIssue(created);
        return created;
    }

    /// <summary>The changelog of a creation, as <c>jira:issue_created</c> webhooks carry it (initial values).</summary>
    public ChangeHistory CreationChangelog(JiraIssue issue) =>
        new(store.NextHistoryId(), actor.Index, issue.Created, _items.ToList(), null);

    /// <summary><c>PUT /issue</c>: applies only the fields that change; returns the history entry (null when nothing changed).</summary>
    public ChangeHistory? Edit(JiraIssue issue, JsonObject body, out JiraComment? addedComment)
    {
        var type = store.IssueType(issue.IssueTypeId);
        var fields = body["fields"] as JsonObject ?? [];
        var update = body["update"] as JsonObject;
        var draft = Clone(issue);
        foreach (var (id, value) in fields)
        {
            if (update?.ContainsKey(id) == true)
            {
                _errors[id] = $"Field '{id}' cannot be set in both the fields and update sections.";
                continue;
            }

            SetField(draft, type, id, value);
        }

        addedComment = null;
        var comment = ApplyUpdate(draft, type, update, fields, allowComment: true);
        var properties = ParseProperties(body["properties"]);
        ThrowIfErrors();

        CopyFields(draft, issue);
        foreach (var (key, json) in properties)
        {
            (issue.Properties ??= [])[key] = json;
        }

        var now = store.NowMs();
        if (comment is not null)
        {
            addedComment = AddComment(issue, comment, null, now);
        }

        return Commit(issue, now, body["historyMetadata"]);
    }

    /// <summary>Records the accumulated change items as one history entry and bumps <c>updated</c>.</summary>
    public ChangeHistory? Commit(JiraIssue issue, long now, JsonNode? historyMetadata = null)
    {
        if (_items.Count == 0)
        {
            return null;
        }

        var history = new ChangeHistory(store.NextHistoryId(), actor.Index, now, _items.ToList(), historyMetadata?.ToJsonString(JiraJson.Options));
        (issue.History ??= []).Add(history);
        store.Touch(issue, now);
        _items.Clear();
        return history;
    }

    /// <summary><c>POST /transitions</c>: moves the issue, sets or clears the resolution, keeps statusCategory right.</summary>
    public (ChangeHistory History, JiraComment? Comment) Transition(JiraIssue issue, JsonObject body)
    {
        var id = (string?)body["transition"]?["id"] ?? "";
        var transition = AvailableTransitions(issue).FirstOrDefault(t => JiraJson.Id(t.Id) == id)
            ?? throw new JiraError(400, $"Transition id '{id}' is not valid for this issue.");
        var fields = body["fields"] as JsonObject ?? [];
        var resolutionId = 0;
        foreach (var (fieldId, value) in fields)
        {
            if (fieldId == "resolution" && transition.ResolutionOnScreen)
            {
                var r = value is JsonObject o ? store.Resolutions.Find(x => JiraJson.Id(x.Id) == (string?)o["id"] || x.Name == (string?)o["name"]) : null;
                if (r is null)
                {
                    _errors["resolution"] = "Resolution is invalid.";
                }
                else
                {
                    resolutionId = r.Id;
                }
            }
            else
            {
                _errors[fieldId] = CannotBeSet(fieldId);
            }
        }

        if (transition.ResolutionRequired && resolutionId == 0 && !_errors.ContainsKey("resolution"))
        {
            _errors["resolution"] = "Resolution is required.";
        }

        var comment = ApplyUpdate(Clone(issue), store.IssueType(issue.IssueTypeId), body["update"] as JsonObject, fields, allowComment: true, onlyComment: true);
        ThrowIfErrors();

        var now = store.NowMs();
        var from = store.Statuses[issue.StatusId];
        var to = store.Statuses[transition.To];
        _items.Add(new ChangeItem("status", "jira", "status", JiraJson.Id(from.Id), from.Name, JiraJson.Id(to.Id), to.Name));
        issue.StatusId = to.Id;
        if (from.Category != to.Category)
        {
            issue.StatusCategoryChanged = now;
        }

        var newResolution = to.Category == StatusCategory.Done ? (resolutionId != 0 ? resolutionId : issue.ResolutionId != 0 ? issue.ResolutionId : 10000) : 0;
        if (newResolution != issue.ResolutionId)
        {
            _items.Add(new ChangeItem("resolution", "jira", "resolution",
                issue.ResolutionId == 0 ? null : JiraJson.Id(issue.ResolutionId), ResolutionName(issue.ResolutionId),
                newResolution == 0 ? null : JiraJson.Id(newResolution), ResolutionName(newResolution)));
            issue.ResolutionId = newResolution;
            issue.ResolutionDate = newResolution == 0 ? 0 : now;
        }

        JiraComment? added = comment is null ? null : AddComment(issue, comment, null, now);
        return (Commit(issue, now, body["historyMetadata"])!, added);
    }

    private string? ResolutionName(int id) => id == 0 ? null : store.Resolutions.Find(r => r.Id == id)?.Name;

    public IEnumerable<JiraTransition> AvailableTransitions(JiraIssue issue) =>
        store.IssueType(issue.IssueTypeId).Workflow.Transitions.Where(t => t.From.Count == 0 ? t.To != issue.StatusId : t.From.Contains(issue.StatusId));

    /// <summary>Parses a comment body of the request's version (v2 string, v3 ADF) or throws the Jira error.</summary>
    public RichText ParseCommentBody(JsonNode? body)
    {
        if (ParseRich(body, "comment") is { } rich)
        {
            return rich;
        }

        ThrowIfErrors();
        throw JiraError.Fields(new Dictionary<string, string> { ["comment"] = "Comment body can not be empty!" });
    }

    public JiraComment AddComment(JiraIssue issue, RichText body, JsonNode? visibility, long now)
    {
        var comment = new JiraComment
        {
            Id = store.NextCommentId(),
            AuthorIndex = actor.Index,
            UpdateAuthorIndex = actor.Index,
            Body = body,
            Created = now,
            Updated = now,
            VisibilityJson = visibility?.ToJsonString(JiraJson.Options),
        };
        (issue.Comments ??= []).Add(comment);
        store.CommentIssue[comment.Id] = issue.Id;
        store.Touch(issue, now);
        return comment;
    }

    public void UpdateComment(JiraIssue issue, JiraComment comment, RichText body, JsonNode? visibility, long now)
    {
        comment.Body = body;
        comment.UpdateAuthorIndex = actor.Index;
        comment.Updated = now;
        if (visibility is not null)
        {
            comment.VisibilityJson = visibility.ToJsonString(JiraJson.Options);
        }

        store.Touch(issue, now);
    }

    /// <summary>Entity property value: any non-empty JSON up to 32,768 characters.</summary>
    public static string PropertyJson(string key, JsonNode? value)
    {
        if (key.Length is 0 or > 255)
        {
            throw new JiraError(400, "The property key cannot be longer than 255 characters.");
        }

        var json = value?.ToJsonString(JiraJson.Options) ?? "null";
        if (json.Length > MaxPropertyLength)
        {
            throw new JiraError(400, $"The property value cannot be longer than {MaxPropertyLength} characters.");
        }

        return json;
    }

    private List<(string Key, string Json)> ParseProperties(JsonNode? node)
    {
        var list = new List<(string, string)>();
        foreach (var p in node as JsonArray ?? [])
        {
            var key = (string?)p?["key"];
            if (string.IsNullOrEmpty(key))
            {
                _errors["properties"] = "The property key must be specified.";
                continue;
            }

            try
            {
                list.Add((key, PropertyJson(key, p!["value"])));
            }
            catch (JiraError e)
            {
                _errors["properties"] = e.Message;
            }
        }

        return list;
    }

    private void ThrowIfErrors()
    {
        if (_errors.Count > 0)
        {
            throw JiraError.Fields(new Dictionary<string, string>(_errors));
        }
    }

    /// <summary>The <c>update</c> verbs: <c>set/add/remove</c> on labels, <c>set</c> on any settable field, <c>add</c> on comment.</summary>
    private RichText? ApplyUpdate(JiraIssue draft, JiraIssueType type, JsonObject? update, JsonObject fields, bool allowComment, bool onlyComment = false)
    {
        RichText? comment = null;
        foreach (var (id, ops) in update ?? [])
        {
            if (ops is not JsonArray list)
            {
                _errors[id] = $"Field '{id}': the update section needs a list of operations.";
                continue;
            }

            if (id == "comment" && allowComment)
            {
                foreach (var op in list)
                {
                    if (op?["add"] is JsonObject add)
                    {
                        comment = ParseRich(add["body"], "comment");
                    }
                }

                continue;
            }

            if (onlyComment)
            {
                _errors[id] = CannotBeSet(id);
                continue;
            }

            if (fields.ContainsKey(id))
            {
                continue;
            }

            foreach (var op in list.OfType<JsonObject>())
            {
                foreach (var (verb, value) in op)
                {
                    if (id == "labels" && verb is "add" or "remove")
                    {
                        var label = (string?)value ?? "";
                        if (verb == "add" && ValidLabel(label) && !draft.Labels.Contains(label, StringComparer.Ordinal))
                        {
                            SetLabels(draft, [.. draft.Labels, label]);
                        }
                        else if (verb == "remove")
                        {
                            SetLabels(draft, draft.Labels.Where(l => l != label).ToArray());
                        }
                    }
                    else if (verb == "set")
                    {
                        SetField(draft, type, id, value);
                    }
                    else
                    {
                        _errors[id] = $"Field '{id}' does not support operation '{verb}' Supported operation(s) are: 'set'";
                    }
                }
            }
        }

        return comment;
    }

    private bool ValidLabel(string label)
    {
        if (label.Length == 0 || label.Any(char.IsWhiteSpace))
        {
            _errors["labels"] = $"The label '{label}' contains spaces which is invalid.";
            return false;
        }

        if (label.Length > 255)
        {
            _errors["labels"] = "The label must not exceed 255 characters.";
            return false;
        }

        return true;
    }

    private void SetLabels(JiraIssue draft, string[] labels)
    {
        if (!draft.Labels.SequenceEqual(labels, StringComparer.Ordinal))
        {
            Change("labels", "jira", "labels", null, string.Join(' ', draft.Labels), null, string.Join(' ', labels));
            draft.Labels = labels;
        }
    }

    private void Change(string field, string fieldType, string? fieldId, string? from, string? fromText, string? to, string? toText)
    {
        // Several operations on one field (labels add + remove) make one item from the original value.
        var earlier = _items.FindIndex(i => i.FieldId == fieldId && i.Field == field);
        if (earlier >= 0)
        {
            (from, fromText) = (_items[earlier].From, _items[earlier].FromText);
            _items.RemoveAt(earlier);
        }

        if (from != to || fromText != toText)
        {
            _items.Add(new ChangeItem(field, fieldType, fieldId, from, fromText, to, toText));
        }
    }

    private RichText? ParseRich(JsonNode? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        RichText? parsed;
        if (v3)
        {
            if (Adf.Validate(value) is { } error)
            {
                _errors[field] = error;
                return null;
            }

            parsed = RichText.FromAdf(value);
        }
        else if (value is JsonValue s && s.TryGetValue<string>(out var text))
        {
            parsed = text.Length == 0 ? null : RichText.FromWiki(text);
        }
        else
        {
            _errors[field] = "Operation value must be a string";
            return null;
        }

        if (parsed is not null && parsed.ToWiki().Length > MaxTextLength)
        {
            _errors[field] = "The entered text is too long. It exceeds the allowed limit of 32,767 characters.";
            return null;
        }

        return parsed;
    }

    private string UserRef(int index) => index < 0 ? "" : store.IsCloud ? store.Users[index].AccountId : store.Users[index].Name;

    private string? UserName(int index) => index < 0 ? null : store.Users[index].DisplayName;

    /// <summary>Null for "no user"; -2 when the reference does not resolve.</summary>
    private int ParseUser(JsonNode? value)
    {
        if (value is null)
        {
            return -1;
        }

        var id = store.IsCloud ? (string?)value["accountId"] ?? (string?)value["id"] : (string?)value["name"] ?? (string?)value["key"];
        if (id == "-1")
        {
            return -1; // "automatic": the project's default assignee is "unassigned"
        }

        return store.Users.Find(u => store.IsCloud ? u.AccountId == id : u.Name == id || u.Key == id) is { } user ? user.Index : -2;
    }

    private void SetField(JiraIssue draft, JiraIssueType type, string id, JsonNode? value)
    {
        switch (id)
        {
            case "summary":
                var summary = value is JsonValue sv && sv.TryGetValue<string>(out var s) ? s : null;
                if (string.IsNullOrWhiteSpace(summary))
                {
                    _errors["summary"] = "You must specify a summary of the issue.";
                }
                else if (summary.Length > 255)
                {
                    _errors["summary"] = "Summary must be less than 255 characters.";
                }
                else if (summary != draft.Summary)
                {
                    Change("summary", "jira", "summary", null, NullIfEmpty(draft.Summary), null, summary);
                    draft.Summary = summary;
                }

                break;
            case "description" or "environment":
                var rich = ParseRich(value, id);
                if (_errors.ContainsKey(id))
                {
                    break;
                }

                var old = id == "description" ? draft.Description : draft.Environment;
                if (old?.ToWiki() != rich?.ToWiki())
                {
                    Change(id, "jira", id, null, old?.ToWiki(), null, rich?.ToWiki());
                }

                if (id == "description")
                {
                    draft.Description = rich;
                }
                else
                {
                    draft.Environment = rich;
                }

                break;
            case "priority":
                var priority = value is JsonObject po
                    ? store.Priorities.Find(p => JiraJson.Id(p.Id) == (string?)po["id"] || string.Equals(p.Name, (string?)po["name"], StringComparison.OrdinalIgnoreCase))
                    : null;
                if (priority is null)
                {
                    _errors["priority"] = "Specify the Priority (id or name) in the string format";
                }
                else if (priority.Id != draft.PriorityId)
                {
                    Change("priority", "jira", "priority", JiraJson.Id(draft.PriorityId), store.Priority(draft.PriorityId).Name, JiraJson.Id(priority.Id), priority.Name);
                    draft.PriorityId = priority.Id;
                }

                break;
            case "labels":
                if (value is JsonArray labels && labels.All(l => l is JsonValue lv && lv.TryGetValue<string>(out _)))
                {
                    var list = labels.Select(l => (string)l!).ToArray();
                    if (list.All(ValidLabel))
                    {
                        SetLabels(draft, list.Distinct(StringComparer.Ordinal).ToArray());
                    }
                }
                else if (value is null)
                {
                    SetLabels(draft, []);
                }
                else
                {
                    _errors["labels"] = "Operation value must be an array of strings";
                }

                break;
            case "assignee" or "reporter":
                var user = ParseUser(value);
                if (user == -2)
                {
                    _errors[id] = store.IsCloud ? "Specified user does not exist or you do not have required permissions" : $"User '{(string?)value?["name"]}' does not exist.";
                    break;
                }

                var current = id == "assignee" ? draft.AssigneeIndex : draft.ReporterIndex;
                if (user != current)
                {
                    Change(id, "jira", id, current < 0 ? null : UserRef(current), UserName(current), user < 0 ? null : UserRef(user), UserName(user));
                    if (id == "assignee")
                    {
                        draft.AssigneeIndex = user;
                    }
                    else
                    {
                        draft.ReporterIndex = user;
                    }
                }

                break;
            case "duedate":
                var due = (string?)value;
                if (due is not null && !DateOnly.TryParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    _errors["duedate"] = "Error parsing date string: " + due;
                }
                else if (due != draft.DueDate)
                {
                    Change("duedate", "jira", "duedate", draft.DueDate, draft.DueDate, due, due);
                    draft.DueDate = due;
                }

                break;
            default:
                if (id.StartsWith("customfield_", StringComparison.Ordinal)
                    && int.TryParse(id.AsSpan("customfield_".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var cfId)
                    && store.CustomField(cfId) is { } field && type.ScreenCustomFields.Contains(cfId))
                {
                    SetCustom(draft, field, value);
                }
                else
                {
                    _errors[id] = CannotBeSet(id);
                }

                break;
        }
    }

    private void SetCustom(JiraIssue draft, JiraCustomField field, JsonNode? value)
    {
        object? parsed = null;
        string? error = null;
        if (value is not null)
        {
            switch (field.Type)
            {
                case CustomFieldType.Text or CustomFieldType.Url:
                    if (value is JsonValue tv && tv.TryGetValue<string>(out var text))
                    {
                        parsed = text.Length == 0 ? null : text;
                        if (text.Length > 255)
                        {
                            error = "The entered text is too long. It exceeds the allowed limit of 255 characters.";
                        }
                    }
                    else
                    {
                        error = "Operation value must be a string";
                    }

                    break;
                case CustomFieldType.TextArea:
                    parsed = ParseRich(value, field.FieldId);
                    break;
                case CustomFieldType.Float:
                    if (value is JsonValue nv && nv.TryGetValue<double>(out var number))
                    {
                        parsed = number;
                    }
                    else
                    {
                        error = "Operation value must be a number";
                    }

                    break;
                case CustomFieldType.Select:
                    var option = FindOption(field, value);
                    parsed = option?.Id;
                    error = option is null ? $"Option value '{(string?)value["value"] ?? (string?)value["id"]}' is not valid" : null;
                    break;
                case CustomFieldType.MultiSelect:
                    var options = (value as JsonArray ?? []).Select(v => FindOption(field, v)).ToList();
                    error = options.Any(o => o is null) ? "Option value is not valid" : null;
                    parsed = options.Count == 0 || error is not null ? null : options.Select(o => o!.Id).ToArray();
                    break;
                case CustomFieldType.Labels:
                    var labels = (value as JsonArray ?? []).Select(l => (string?)l ?? "").ToArray();
                    parsed = labels.Length == 0 ? null : labels;
                    break;
                case CustomFieldType.UserPicker:
                    var user = ParseUser(value);
                    error = user == -2 ? "Specified user does not exist or you do not have required permissions" : null;
                    parsed = user >= 0 ? user : null;
                    break;
                case CustomFieldType.DatePicker:
                    parsed = (string?)value;
                    error = DateOnly.TryParseExact((string?)parsed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : "Error parsing date string: " + parsed;
                    break;
                case CustomFieldType.DateTime:
                    parsed = JqlDates.TryParseJiraTimestamp((string?)value, out var ms) ? ms : null;
                    error = parsed is null ? "Error parsing date string: " + (string?)value : null;
                    break;
            }
        }

        if (error is not null)
        {
            _errors[field.FieldId] = error;
            return;
        }

        if (_errors.ContainsKey(field.FieldId))
        {
            return;
        }

        var old = draft.Custom?.GetValueOrDefault(field.Id);
        var oldString = CustomString(field, old);
        var newString = CustomString(field, parsed);
        if (oldString == newString)
        {
            return;
        }

        Change(field.Name, "custom", field.FieldId, CustomRaw(field, old), oldString, CustomRaw(field, parsed), newString);
        if (parsed is null)
        {
            draft.Custom?.Remove(field.Id);
        }
        else
        {
            draft.Custom = draft.Custom is null ? [] : new Dictionary<int, object>(draft.Custom);
            draft.Custom[field.Id] = parsed;
        }
    }

    private static CustomOption? FindOption(JiraCustomField field, JsonNode? value) =>
        value is JsonObject o ? field.Options.FirstOrDefault(x => x.Value == (string?)o["value"] || JiraJson.Id(x.Id) == (string?)o["id"]) : null;

    private string? CustomString(JiraCustomField field, object? value) => value switch
    {
        null => null,
        RichText r => r.ToWiki(),
        double d => d.ToString(CultureInfo.InvariantCulture),
        int i when field.Type == CustomFieldType.UserPicker => UserName(i),
        int i => field.Options.First(o => o.Id == i).Value,
        int[] ids => string.Join(",", ids.Select(i => field.Options.First(o => o.Id == i).Value)),
        string[] labels => string.Join(' ', labels),
        long ms => JiraJson.FormatTime(ms, TimeZoneInfo.Utc),
        _ => value.ToString(),
    };

    private string? CustomRaw(JiraCustomField field, object? value) => value switch
    {
        int i when field.Type == CustomFieldType.UserPicker => UserRef(i),
        int i => JiraJson.Id(i),
        int[] ids => "[" + string.Join(", ", ids) + "]",
        _ => null,
    };

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private static JiraIssue Clone(JiraIssue i)
    {
        var c = new JiraIssue { Id = i.Id, ProjectId = i.ProjectId, Number = i.Number, Key = i.Key, CreatorIndex = i.CreatorIndex, Created = i.Created };
        CopyFields(i, c);
        return c;
    }

    private static void CopyFields(JiraIssue from, JiraIssue to)
    {
        to.IssueTypeId = from.IssueTypeId;
        to.StatusId = from.StatusId;
        to.PriorityId = from.PriorityId;
        to.ResolutionId = from.ResolutionId;
        to.Summary = from.Summary;
        to.Description = from.Description;
        to.Environment = from.Environment;
        to.DueDate = from.DueDate;
        to.Labels = from.Labels;
        to.AssigneeIndex = from.AssigneeIndex;
        to.ReporterIndex = from.ReporterIndex;
        to.Custom = from.Custom is null ? null : new Dictionary<int, object>(from.Custom);
    }
}
