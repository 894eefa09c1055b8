namespace PluginHub.Sandbox.Jira.Model;

/// <summary>
/// The in-memory state of one Jira sandbox. Every read and write happens under <see cref="Gate"/>: the sandbox favours
/// simple, always-consistent state over concurrency (a real Jira serialises writes per issue anyway).
/// </summary>
internal sealed class JiraStore(JiraFlavor flavor, TimeProvider time)
{
    public const string IntegrationEmail = "integration@pluginhub.test";
    public const string DeveloperEmail = "developer@pluginhub.test";

    public Lock Gate { get; } = new();

    public JiraFlavor Flavor { get; } = flavor;

    public TimeProvider Time { get; } = time;

    public bool IsCloud => Flavor == JiraFlavor.Cloud;

    public List<JiraUser> Users { get; } = [];

    public List<JiraProject> Projects { get; } = [];

    public List<JiraIssueType> IssueTypes { get; } = [];

    public Dictionary<int, JiraStatus> Statuses { get; } = [];

    public List<JiraPriority> Priorities { get; } = [];

    public List<JiraResolution> Resolutions { get; } = [];

    public List<JiraCustomField> CustomFields { get; } = [];

    public Dictionary<int, JiraIssue> Issues { get; } = [];

    public Dictionary<string, int> IssueIdsByKey { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Issues ordered by (updated, id): answers the poller's <c>updated &gt;= X ORDER BY updated</c> without a scan.</summary>
    public SortedSet<(long Updated, int Id)> UpdatedIndex { get; } = [];

    public Dictionary<int, JiraAttachment> Attachments { get; } = [];

    public Dictionary<int, int> CommentIssue { get; } = [];

    /// <summary>Property keys an app has "declared for indexing": only these answer <c>issue.property[...]</c> JQL (reference §7).</summary>
    public HashSet<string> IndexedPropertyKeys { get; } = new(StringComparer.Ordinal);

    public List<Webhooks.WebhookRegistration> Webhooks { get; } = [];

    /// <summary>Cloud only: also serve the removed <c>/search</c> (the reference's "cloud-legacy" switch).</summary>
    public bool LegacySearch { get; set; }

    /// <summary>Anonymous callers may browse issues and projects (a public instance); off by default.</summary>
    public bool AnonymousRead { get; set; }

    /// <summary>Failed credentials make the request anonymous (with <c>X-Seraph-LoginReason: AUTHENTICATED_FAILED</c>) instead of a 401.</summary>
    public bool FailedLoginAsAnonymous { get; set; }

    /// <summary>Server: after this many failed logins a user meets the CAPTCHA (403 AUTHENTICATION_DENIED); 0 = never.</summary>
    public int CaptchaAfterFailures { get; set; }

    /// <summary>The Server/DC version reported by serverInfo; before 9.0 the old <c>/issue/createmeta</c> still answers.</summary>
    public Version ServerVersion { get; set; } = new(9, 12, 0);

    /// <summary>Cloud's per-issue write limiter (20 writes / 2 s, 100 / 30 s on one issue); off by default.</summary>
    public bool PerIssueWriteLimit { get; set; }

    private readonly Dictionary<int, Queue<long>> _issueWrites = [];

    /// <summary>Records a write to an issue, or returns false with the seconds to wait when a window is full.</summary>
    public bool TryRecordIssueWrite(int issueId, out int retryAfterSeconds)
    {
        var now = NowMs();
        var writes = _issueWrites.TryGetValue(issueId, out var q) ? q : _issueWrites[issueId] = new Queue<long>();
        while (writes.Count > 0 && writes.Peek() <= now - 30_000)
        {
            writes.Dequeue();
        }

        var recent = writes.Count(t => t > now - 2_000);
        retryAfterSeconds = recent >= 20 ? 2 : writes.Count >= 100 ? 30 : 0;
        if (retryAfterSeconds > 0)
        {
            return false;
        }

        writes.Enqueue(now);
        return true;
    }

    /// <summary>Upload limit of <c>GET /attachment/meta</c>; larger uploads answer 413.</summary>
    public long AttachmentUploadLimit { get; set; } = 10 * 1024 * 1024;

    /// <summary>Simulated index lag of <c>/search/jql</c>: issues updated within this window are invisible unless reconciled.</summary>
    public int SearchIndexLagMs { get; set; }

    /// <summary>
    /// How many comments an issue's embedded <c>comment</c> field (GET issue, searches, bulk fetch) carries; 0 for all.
    /// Cloud truncates it (reference §3.1) while <c>total</c> keeps the true count; the rest is read through <c>…/comment</c>.
    /// </summary>
    public int EmbeddedCommentLimit { get; set; }

    /// <summary>
    /// Cloud: a <c>transition</c> that fails on create fails the whole create (400, or its element in a bulk's <c>errors</c>)
    /// instead of being reported in the created issue's <c>transition</c> object (the default, as Atlassian's OpenAPI describes
    /// <c>CreatedIssue.transition</c>). For clients that must survive either behaviour.
    /// </summary>
    public bool CreateTransitionRejectsIssue { get; set; }

    private int _nextIssueId;
    private int _nextCommentId;
    private int _nextAttachmentId;
    private int _nextHistoryId;
    private int _nextWebhookId;
    private int _nextCustomFieldId;
    private int _nextIssueTypeId;

    /// <summary>Signs media URLs: Cloud redirects attachment downloads to a URL that needs no Authorization header.</summary>
    public byte[] MediaKey { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    public string MediaToken(int attachmentId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(MediaKey, BitConverter.GetBytes(attachmentId)));

    public long NowMs() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public int NextIssueId() => _nextIssueId++;

    public int NextCommentId() => _nextCommentId++;

    public int NextAttachmentId() => _nextAttachmentId++;

    public int NextHistoryId() => _nextHistoryId++;

    public int NextWebhookId() => ++_nextWebhookId;

    public JiraUser Integration => Users[0];

    public JiraUser Developer => Users[1];

    /// <summary>Back to the initial state: default users, project SUP, its issue types, workflows and fields, no issues.</summary>
    public void Reset()
    {
        Users.Clear();
        Projects.Clear();
        IssueTypes.Clear();
        Statuses.Clear();
        Priorities.Clear();
        Resolutions.Clear();
        CustomFields.Clear();
        Issues.Clear();
        IssueIdsByKey.Clear();
        UpdatedIndex.Clear();
        Attachments.Clear();
        CommentIssue.Clear();
        IndexedPropertyKeys.Clear();
        Webhooks.Clear();
        LegacySearch = false;
        AnonymousRead = false;
        FailedLoginAsAnonymous = false;
        PerIssueWriteLimit = false;
        ServerVersion = new Version(9, 12, 0);
        _issueWrites.Clear();
        CaptchaAfterFailures = 0;
        AttachmentUploadLimit = 10 * 1024 * 1024;
        SearchIndexLagMs = 0;
        EmbeddedCommentLimit = 0;
        CreateTransitionRejectsIssue = false;
        _nextIssueId = 10000;
        _nextCommentId = 10000;
        _nextAttachmentId = 10000;
        _nextHistoryId = 10000;
        _nextWebhookId = 0;
        _nextCustomFieldId = 10050;
        _nextIssueTypeId = 10003;
        _lastNumbers.Clear();

        AddUser("5b10a2844c20165700ede21g", "integration", IntegrationEmail, "PluginHub Integration", "UTC", "sandbox-token", admin: true);
        AddUser("5b10a2844c20165700ede22h", "developer", DeveloperEmail, "Dana Developer", "Europe/Berlin", "developer-token", admin: false);

        foreach (var s in new JiraStatus[]
        {
            new(10000, "To Do", "", StatusCategory.New),
            new(3, "In Progress", "This issue is being actively worked on at the moment by the assignee.", StatusCategory.InProgress),
            new(10001, "In Review", "Waiting for a reviewer.", StatusCategory.InProgress),
            new(10002, "Done", "", StatusCategory.Done),
        })
        {
            Statuses[s.Id] = s;
        }

        Priorities.AddRange([
            new(1, "Highest", "This problem will block progress.", "#d04437"),
            new(2, "High", "Serious problem that could block progress.", "#f15C75"),
            new(3, "Medium", "Has the potential to affect progress.", "#f79232"),
            new(4, "Low", "Minor problem or easily worked around.", "#707070"),
            new(5, "Lowest", "Trivial problem with little or no impact on progress.", "#999999"),
        ]);
        Resolutions.AddRange([
            new(10000, "Done", "Work has been completed on this issue."),
            new(10001, "Won't Do", "This issue won't be actioned."),
            new(10002, "Duplicate", "The problem is a duplicate of an existing issue."),
        ]);

        CustomFields.AddRange([
            new(10042, "Salesforce Case Id", CustomFieldType.Text, []),
            new(10043, "Customer Tier", CustomFieldType.Select, [new(10100, "Gold"), new(10101, "Silver"), new(10102, "Bronze")]),
            new(10044, "Story Points", CustomFieldType.Float, []),
            new(10045, "Steps to Reproduce", CustomFieldType.TextArea, []),
        ]);

        Projects.Add(new JiraProject(10000, "SUP", "Support", "Customer support requests synchronised with Salesforce.", 0));
        var all = CustomFields.Select(f => f.Id).ToHashSet();
        IssueTypes.Add(new JiraIssueType(10001, "Task", "A small, distinct piece of work.", TaskWorkflow, all, 10318));
        // Bugs have no story points: writing customfield_10044 on a bug is "not on the appropriate screen".
        IssueTypes.Add(new JiraIssueType(10002, "Bug", "A problem or error.", BugWorkflow, all.Where(id => id != 10044).ToHashSet(), 10303));
    }

    /// <summary>To Do → In Progress → Done and back; Done is reached only through In Progress.</summary>
    public static JiraWorkflow TaskWorkflow { get; } = new("Software Simplified Workflow for Project SUP", 10000,
    [
        new(11, "Start Progress", [10000], 3, false, false),
        new(21, "Done", [3], 10002, true, false),
        new(31, "Stop Progress", [3], 10000, false, false),
        new(41, "Reopen", [10002], 10000, false, false),
    ]);

    /// <summary>Bugs must pass In Review before Done, and closing one asks for a resolution on the transition screen.</summary>
    public static JiraWorkflow BugWorkflow { get; } = new("Bug Workflow for Project SUP", 10000,
    [
        new(11, "Start Progress", [10000], 3, false, false),
        new(51, "Submit for Review", [3], 10001, false, false),
        new(61, "Approve", [10001], 10002, true, true),
        new(71, "Request Changes", [10001], 3, false, false),
        new(31, "Stop Progress", [3], 10000, false, false),
        new(41, "Reopen", [10002], 10000, false, false),
    ]);

    public JiraUser AddUser(string accountId, string name, string email, string displayName, string timeZone, string token, bool admin, bool hideEmail = false)
    {
        var user = new JiraUser
        {
            Index = Users.Count,
            AccountId = accountId,
            Name = name,
            Key = $"JIRAUSER{10000 + Users.Count}",
            Email = email,
            DisplayName = displayName,
            TimeZoneId = timeZone,
            Token = token,
            IsAdmin = admin,
            HideEmail = hideEmail,
        };
        Users.Add(user);
        return user;
    }

    public JiraCustomField AddCustomField(string name, CustomFieldType type, IReadOnlyList<string> options)
    {
        var id = _nextCustomFieldId++;
        var field = new JiraCustomField(id, name, type, options.Select((o, i) => new CustomOption(id * 10 + i, o)).ToList());
        CustomFields.Add(field);
        for (var i = 0; i < IssueTypes.Count; i++)
        {
            IssueTypes[i] = IssueTypes[i] with { ScreenCustomFields = IssueTypes[i].ScreenCustomFields.Append(id).ToHashSet() };
        }

        return field;
    }

    public JiraIssueType AddIssueType(string name, string description)
    {
        var type = new JiraIssueType(_nextIssueTypeId++, name, description, TaskWorkflow, CustomFields.Select(f => f.Id).ToHashSet(), 10318);
        IssueTypes.Add(type);
        return type;
    }

    /// <summary>Gives an issue type another workflow (an admin editing it); issues keep their status.</summary>
    public JiraIssueType ReplaceWorkflow(JiraIssueType type, JiraWorkflow workflow)
    {
        var replaced = type with { Workflow = workflow };
        IssueTypes[IssueTypes.IndexOf(type)] = replaced;
        return replaced;
    }

    public JiraUser? FindUser(string? idOrNameOrEmail)
    {
        if (string.IsNullOrEmpty(idOrNameOrEmail))
        {
            return null;
        }

        return Users.Find(u => u.AccountId == idOrNameOrEmail)
            ?? Users.Find(u => string.Equals(u.Name, idOrNameOrEmail, StringComparison.OrdinalIgnoreCase))
            ?? Users.Find(u => string.Equals(u.Key, idOrNameOrEmail, StringComparison.OrdinalIgnoreCase))
            ?? Users.Find(u => string.Equals(u.Email, idOrNameOrEmail, StringComparison.OrdinalIgnoreCase));
    }

    public JiraIssue? FindIssue(string idOrKey)
    {
        if (int.TryParse(idOrKey, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return Issues.GetValueOrDefault(id);
        }

        return IssueIdsByKey.TryGetValue(idOrKey, out id) ? Issues[id] : null;
    }

    public JiraProject? FindProject(string idOrKey) =>
        Projects.Find(p => string.Equals(p.Key, idOrKey, StringComparison.OrdinalIgnoreCase) || p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == idOrKey);

    public JiraIssueType IssueType(int id) => IssueTypes.Find(t => t.Id == id)!;

    public JiraPriority Priority(int id) => Priorities.Find(p => p.Id == id)!;

    public JiraProject Project(int id) => Projects.Find(p => p.Id == id)!;

    public JiraCustomField? CustomField(int id) => CustomFields.Find(f => f.Id == id);

    public void AddIssue(JiraIssue issue)
    {
        Issues[issue.Id] = issue;
        IssueIdsByKey[issue.Key] = issue.Id;
        UpdatedIndex.Add((issue.Updated, issue.Id));
    }

    public void RemoveIssue(JiraIssue issue)
    {
        Issues.Remove(issue.Id);
        IssueIdsByKey.Remove(issue.Key);
        UpdatedIndex.Remove((issue.Updated, issue.Id));
        foreach (var a in issue.AttachmentIds ?? [])
        {
            Attachments.Remove(a);
        }

        foreach (var c in issue.Comments ?? [])
        {
            CommentIssue.Remove(c.Id);
        }
    }

    /// <summary>Moves <c>updated</c> forward, keeping the index in step.</summary>
    public void Touch(JiraIssue issue, long now)
    {
        UpdatedIndex.Remove((issue.Updated, issue.Id));
        issue.Updated = Math.Max(now, issue.Updated);
        UpdatedIndex.Add((issue.Updated, issue.Id));
    }

    /// <summary>Issue numbers are per project from 1 and never reused, even after a delete (as in Jira).</summary>
    public int ClaimNextIssueNumber(int projectId)
    {
        var next = _lastNumbers.GetValueOrDefault(projectId) + 1;
        _lastNumbers[projectId] = next;
        return next;
    }

    private readonly Dictionary<int, int> _lastNumbers = [];
}
