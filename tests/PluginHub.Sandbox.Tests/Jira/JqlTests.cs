using System.Text.Json.Nodes;
using PluginHub.Sandbox.Jira;
using PluginHub.Sandbox.Jira.Issues;
using PluginHub.Sandbox.Jira.Jql;
using PluginHub.Sandbox.Jira.Model;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>A clock the test sets.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Reference §10 "JQL subset": clauses, operators, functions, date literals, ORDER BY and the error messages.</summary>
public sealed class JqlTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private readonly JiraStore _store;

    public JqlTests()
    {
        _store = new JiraStore(JiraFlavor.Cloud, _clock);
        _store.Reset();
        _store.IndexedPropertyKeys.Add("pluginhub");
        // SUP-1 .. SUP-4, one hour apart.
        Create(Json.Obj("""{"summary":"Printer on fire","labels":["sf-case","hardware"],"priority":{"name":"High"},"customfield_10042":"500XX000001","customfield_10043":{"value":"Gold"},"customfield_10044":3}"""),
            """[{"key":"pluginhub","value":{"externalId":"500XX000001"}}]""");
        Create(Json.Obj("""{"summary":"Login broken","issuetype":{"name":"Bug"},"description":"Users cannot log in after the update","assignee":{"accountId":"5b10a2844c20165700ede22h"}}"""));
        Create(Json.Obj("""{"summary":"Billing question","labels":["billing"],"priority":{"name":"Low"},"customfield_10044":8}"""));
        var done = Create(Json.Obj("""{"summary":"Old request","assignee":{"accountId":"5b10a2844c20165700ede21g"}}"""));
        done.StatusId = 10002;
        done.ResolutionId = 10000;
    }

    private JiraIssue Create(JsonObject fields, string? properties = null)
    {
        fields["project"] = new JsonObject { ["key"] = "SUP" };
        fields["issuetype"] ??= new JsonObject { ["name"] = "Task" };
        var body = new JsonObject { ["fields"] = fields };
        if (properties is not null)
        {
            body["properties"] = JsonNode.Parse(properties);
        }

        var issue = new IssueWriter(_store, _store.Integration, v3: false).Create(body);
        _clock.Now = _clock.Now.AddHours(1);
        return issue;
    }

    private string[] Keys(string jql, JiraUser? user = null)
    {
        var compiled = new JqlCompiler(_store, user ?? _store.Integration, _clock.GetUtcNow()).Compile(JqlParser.Parse(jql));
        return JqlSearch.Run(_store, compiled).Select(i => i.Key).ToArray();
    }

    private string Error(string jql)
    {
        var e = Assert.Throws<JqlException>(() => Keys(jql));
        return e.Message;
    }

    [Fact]
    public void Checklist_clauses_project_type_status_category_key_id_labels_users_priority_resolution_text_custom_fields_property()
    {
        Assert.Equal(["SUP-1", "SUP-2", "SUP-3", "SUP-4"], Keys("project = sup ORDER BY key ASC"));
        Assert.Equal(["SUP-2"], Keys("issuetype = Bug"));
        Assert.Equal(["SUP-2"], Keys("type in (bug)"));
        Assert.Equal(["SUP-4"], Keys("status = done"));
        Assert.Equal(["SUP-4"], Keys("statusCategory = Done"));
        Assert.Equal(["SUP-1", "SUP-2", "SUP-3"], Keys("statusCategory = new ORDER BY key"));
        Assert.Equal(["SUP-1", "SUP-3"], Keys("key in (SUP-1, sup-3) ORDER BY key"));
        Assert.Equal(["SUP-1"], Keys($"id = {_store.FindIssue("SUP-1")!.Id}"));
        Assert.Equal(["SUP-1"], Keys("issuekey = SUP-1"));
        Assert.Equal(["SUP-1"], Keys("labels = sf-case"));
        Assert.Equal(["SUP-1", "SUP-3"], Keys("labels in (hardware, billing) ORDER BY key"));
        Assert.Equal(["SUP-2", "SUP-4"], Keys("labels is EMPTY ORDER BY key"));
        Assert.Equal(["SUP-2"], Keys("assignee = 5b10a2844c20165700ede22h"));
        Assert.Equal(["SUP-4"], Keys("assignee = currentUser()"));
        Assert.Equal(["SUP-2"], Keys("assignee = currentUser()", _store.Developer));
        Assert.Equal(["SUP-1", "SUP-3"], Keys("assignee is EMPTY ORDER BY key"));
        Assert.Equal(["SUP-1", "SUP-2", "SUP-3", "SUP-4"], Keys("reporter = currentUser() ORDER BY key"));
        Assert.Equal(["SUP-1"], Keys("priority = High"));
        Assert.Equal(["SUP-1"], Keys("priority > Medium"));
        Assert.Equal(["SUP-4"], Keys("resolution = Done"));
        Assert.Equal(["SUP-1", "SUP-2", "SUP-3"], Keys("resolution = Unresolved ORDER BY key"));
        Assert.Equal(["SUP-1"], Keys("summary ~ printer"));
        Assert.Equal(["SUP-2"], Keys("text ~ \"cannot log\""));
        Assert.Equal(["SUP-1"], Keys("cf[10042] = \"500XX000001\""));
        Assert.Equal(["SUP-1"], Keys("customfield_10042 ~ 500XX"));
        Assert.Equal(["SUP-1"], Keys("\"Salesforce Case Id\" = 500XX000001"));
        Assert.Equal(["SUP-1"], Keys("\"Customer Tier\" = Gold"));
        Assert.Equal(["SUP-3"], Keys("cf[10044] > 5"));
        Assert.Equal(["SUP-1"], Keys("issue.property[pluginhub].externalId = \"500XX000001\""));
    }

    [Fact]
    public void Checklist_issue_property_clauses_answer_only_for_indexed_keys()
    {
        _store.IndexedPropertyKeys.Clear();
        Assert.Empty(Keys("issue.property[pluginhub].externalId = \"500XX000001\""));
    }

    [Fact]
    public void Checklist_operators_and_or_not_parentheses_quotes_functions_and_case_insensitive_names()
    {
        Assert.Equal(["SUP-3"], Keys("project = SUP and (labels = billing OR labels = nothing) ORDER BY key"));
        Assert.Equal(["SUP-2", "SUP-3", "SUP-4"], Keys("PROJECT = 'SUP' AND NOT labels = sf-case ORDER BY key"));
        Assert.Equal(["SUP-2", "SUP-3", "SUP-4"], Keys("project = SUP AND labels != sf-case ORDER BY key"));
        Assert.Equal(["SUP-1", "SUP-3"], Keys("status != Done AND issuetype not in (Bug) ORDER BY key"));
        Assert.Equal(["SUP-2", "SUP-4"], Keys("assignee is not EMPTY ORDER BY key"));
        Assert.Equal(["SUP-1", "SUP-2"], Keys("project = SUP AND created < \"2026/11/26 13:30\" ORDER BY key"));
        Assert.Equal(["SUP-4"], Keys("created >= startOfDay() AND created > \"2026-11-26 14:30\""));
        Assert.Equal(["SUP-1", "SUP-2", "SUP-3", "SUP-4"], Keys("created <= now() ORDER BY key"));
        Assert.Equal(["SUP-1", "SUP-2"], Keys("summary !~ billing AND summary !~ request ORDER BY key"));
        Assert.Equal(["SUP-1"], Keys("project = SUP && labels = hardware"));
    }

    [Fact]
    public void Checklist_date_literals_all_forms_with_quoted_ones_in_the_callers_zone()
    {
        // Created: 12:00, 13:00, 14:00, 15:00 UTC; now is 16:00 UTC.
        Assert.Equal(["SUP-3", "SUP-4"], Keys("created >= \"2026/11/26 14:00\" ORDER BY key"));
        Assert.Equal(["SUP-3", "SUP-4"], Keys("created >= \"2026-11-26 14:00\" ORDER BY key"));
        Assert.Equal(["SUP-1", "SUP-2", "SUP-3", "SUP-4"], Keys("created >= \"2026/11/26\" ORDER BY key"));
        Assert.Empty(Keys("created < \"2026-11-26\""));
        Assert.Equal(["SUP-4"], Keys("created >= -90m"));
        Assert.Equal(["SUP-3", "SUP-4"], Keys("created >= -2h ORDER BY key"));
        Assert.Equal(["SUP-4"], Keys("created > -2h ORDER BY key"));
        Assert.Equal(["SUP-1", "SUP-2", "SUP-3", "SUP-4"], Keys("created >= -1d AND created >= -1w ORDER BY key"));
        Assert.Equal(["SUP-3", "SUP-4"], Keys($"created >= {Start.AddHours(2).ToUnixTimeMilliseconds()} ORDER BY key"));
        // The developer lives in Europe/Berlin (UTC+1 in November): "15:00" there is 14:00 UTC.
        Assert.Equal(["SUP-3", "SUP-4"], Keys("created >= \"2026/11/26 15:00\" ORDER BY key", _store.Developer));
        Assert.Equal(["SUP-4"], Keys("created >= \"2026/11/26 15:00\" ORDER BY key"));
        Assert.StartsWith("Date value 'yesterday' for field 'created' is invalid.", Error("created > yesterday"), StringComparison.Ordinal);
    }

    [Fact]
    public void Checklist_order_by_several_fields_with_id_tie_break()
    {
        Assert.Equal(["SUP-4", "SUP-3", "SUP-2", "SUP-1"], Keys("project = SUP ORDER BY created DESC"));
        Assert.Equal(["SUP-1", "SUP-2", "SUP-4", "SUP-3"], Keys("project = SUP ORDER BY priority DESC, key ASC"));
        Assert.Equal(["SUP-3", "SUP-4", "SUP-2", "SUP-1"], Keys("project = SUP ORDER BY priority ASC, updated DESC"));
        Assert.Equal(["SUP-1", "SUP-2", "SUP-3", "SUP-4"], Keys("project = SUP ORDER BY id"));
        Assert.Equal(["SUP-4", "SUP-3", "SUP-2", "SUP-1"], Keys("project = SUP"));
        Assert.Equal("Not able to sort using field 'nonsense'.", Error("project = SUP ORDER BY nonsense"));
    }

    [Fact]
    public void Checklist_unknown_values_and_syntax_errors_give_jiras_messages()
    {
        Assert.Equal("The value 'NOPE' does not exist for the field 'project'.", Error("project = NOPE"));
        Assert.Equal("The value 'Sleeping' does not exist for the field 'status'.", Error("status = Sleeping"));
        Assert.Equal("Field 'foo' does not exist or you do not have permission to view it.", Error("foo = bar"));
        Assert.Equal("An issue with key 'SUP-999' does not exist for field 'key'.", Error("key = SUP-999"));
        Assert.Equal("Error in the JQL Query: The quoted string 'unterminated' has not been completed. (line 1, character 11)", Error("project = \"unterminated"));
        Assert.StartsWith("Error in the JQL Query: Expecting operator but got 'SUP'.", Error("project SUP"), StringComparison.Ordinal);
        Assert.StartsWith("Error in the JQL Query: Expecting either a value, list or function but got 'EOF'.", Error("project ="), StringComparison.Ordinal);
        Assert.StartsWith("Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'extra'.", Error("project = SUP extra"), StringComparison.Ordinal);
        Assert.Equal("The operator '~' is not supported by the 'project' field.", Error("project ~ SUP"));
    }

    [Fact]
    public void The_updated_index_answers_range_queries_and_stays_in_step_with_edits()
    {
        var sup1 = _store.FindIssue("SUP-1")!;
        Assert.Equal(["SUP-3", "SUP-4"], Keys($"updated >= {Start.AddHours(2).ToUnixTimeMilliseconds()} ORDER BY updated ASC"));
        new IssueWriter(_store, _store.Developer, v3: false).Edit(sup1, Json.Obj("""{"fields":{"summary":"Printer still on fire"}}"""), out _);
        Assert.Equal(["SUP-3", "SUP-4", "SUP-1"], Keys($"updated >= {Start.AddHours(2).ToUnixTimeMilliseconds()} ORDER BY updated ASC"));
        Assert.Equal(["SUP-2"], Keys($"updated < {Start.AddHours(2).ToUnixTimeMilliseconds()}"));
    }
}
