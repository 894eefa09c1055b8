using System.Globalization;
using System.Text.Json.Nodes;
using PluginHub.Sandbox.Jira.Model;
using PluginHub.Sandbox.Jira.Rendering;

namespace PluginHub.Sandbox.Jira.Jql;

/// <summary>A validated query: the filter, the ordering and what the planner may use (updated range, id set).</summary>
internal sealed class CompiledJql
{
    public required Func<JiraIssue, bool> Filter { get; init; }

    public required Comparison<JiraIssue> Order { get; init; }

    /// <summary>Inclusive bounds on <c>updated</c> every match satisfies (from top-level AND clauses).</summary>
    public long UpdatedFrom { get; set; } = long.MinValue;

    public long UpdatedTo { get; set; } = long.MaxValue;

    /// <summary>When set, every match is one of these issue ids (from a top-level key/id clause).</summary>
    public HashSet<int>? Ids { get; set; }

    public bool HasRestriction { get; init; }

    /// <summary>
    /// Numeric sort keys (descending ones negated) when every ORDER BY field has one: sorting copies of the keys is far
    /// faster than chasing 100,000 issue objects through a comparison delegate.
    /// </summary>
    public IReadOnlyList<Func<JiraIssue, long>>? NumericKeys { get; init; }

    public bool TieBreakDescending { get; init; }

    /// <summary>True/false when the order is exactly the updated index's order ascending/descending; null otherwise.</summary>
    public bool? IndexOrderAscending { get; init; }
}

/// <summary>
/// Turns a JQL AST into a predicate over issues, resolving names against the store first so that unknown fields and
/// values answer Jira's 400 messages. Callers hold the store's gate.
/// </summary>
internal sealed class JqlCompiler(JiraStore store, JiraUser? user, DateTimeOffset now)
{
    private TimeZoneInfo Zone => user?.TimeZone ?? TimeZoneInfo.Utc;

    public static readonly string[] SortableFields = ["updated", "created", "key", "issuekey", "id", "priority", "status", "summary", "resolutiondate", "resolved", "duedate", "issuetype", "type", "project", "assignee", "reporter"];

    public CompiledJql Compile(JqlQuery query)
    {
        var filter = query.Where is null ? (_ => true) : Compile(query.Where);
        if (user is null && !store.AnonymousRead)
        {
            // Anonymous callers browse no project: the query is valid but finds nothing.
            filter = _ => false;
        }

        var compiled = new CompiledJql
        {
            Filter = filter,
            Order = CompileOrder(query.OrderBy),
            HasRestriction = query.Where is not null,
            IndexOrderAscending = IndexOrder(query.OrderBy),
            NumericKeys = NumericKeys(query.OrderBy),
            TieBreakDescending = query.OrderBy.Count == 0 || query.OrderBy[0].Descending,
        };
        foreach (var clause in TopLevelClauses(query.Where))
        {
            Plan(compiled, clause);
        }

        return compiled;
    }

    private static IEnumerable<JqlClause> TopLevelClauses(JqlNode? node) => node switch
    {
        JqlClause c => [c],
        JqlAnd and => and.Terms.OfType<JqlClause>(),
        _ => [],
    };

    private void Plan(CompiledJql compiled, JqlClause clause)
    {
        var field = clause.Field.ToLowerInvariant();
        if (field == "updated" && clause.Operand is not (JqlList or JqlEmpty))
        {
            var ms = DateOperand(clause.Field, clause.Operand);
            switch (clause.Operator)
            {
                case ">=":
                    compiled.UpdatedFrom = Math.Max(compiled.UpdatedFrom, ms);
                    break;
                case ">":
                    compiled.UpdatedFrom = Math.Max(compiled.UpdatedFrom, ms + 1);
                    break;
                case "<=":
                    compiled.UpdatedTo = Math.Min(compiled.UpdatedTo, ms);
                    break;
                case "<":
                    compiled.UpdatedTo = Math.Min(compiled.UpdatedTo, ms - 1);
                    break;
            }
        }
        else if (field is "key" or "issuekey" or "id" or "issue" && clause.Operator is "=" or "IN")
        {
            var ids = Values(clause.Operand).Select(v => store.FindIssue(v.Text)?.Id ?? -1).ToHashSet();
            compiled.Ids = compiled.Ids is null ? ids : compiled.Ids.Intersect(ids).ToHashSet();
        }
    }

    private Func<JiraIssue, bool> Compile(JqlNode node)
    {
        switch (node)
        {
            case JqlAnd and:
                var all = and.Terms.Select(Compile).ToArray();
                return i => all.All(f => f(i));
            case JqlOr or:
                var any = or.Terms.Select(Compile).ToArray();
                return i => any.Any(f => f(i));
            case JqlNot not:
                var inner = Compile(not.Term);
                return i => !inner(i);
            case JqlClause clause:
                return CompileClause(clause);
            default:
                throw new JqlException("Error in the JQL Query: unsupported expression.");
        }
    }

    private static IEnumerable<JqlValue> Values(JqlOperand operand) => operand switch
    {
        JqlValue v => [v],
        JqlList l => l.Items.OfType<JqlValue>(),
        _ => [],
    };

    private static JqlException NoValue(string value, string field) => new($"The value '{value}' does not exist for the field '{field}'.");

    private static JqlException Unsupported(string op, string field) => new($"The operator '{op}' is not supported by the '{field}' field.");

    private Func<JiraIssue, bool> CompileClause(JqlClause c)
    {
        var field = c.Field.ToLowerInvariant();
        switch (field)
        {
            case "project":
                return Ids(c, i => i.ProjectId, v => store.Projects
                    .Where(p => (user is not null || store.AnonymousRead) && (string.Equals(p.Key, v, StringComparison.OrdinalIgnoreCase) || JiraJson.Id(p.Id) == v || string.Equals(p.Name, v, StringComparison.OrdinalIgnoreCase)))
                    .Select(p => p.Id), c.Field);
            case "issuetype" or "type":
                return Ids(c, i => i.IssueTypeId, v => store.IssueTypes
                    .Where(t => string.Equals(t.Name, v, StringComparison.OrdinalIgnoreCase) || JiraJson.Id(t.Id) == v).Select(t => t.Id), c.Field);
            case "status":
                return Ids(c, i => i.StatusId, v => store.Statuses.Values
                    .Where(s => string.Equals(s.Name, v, StringComparison.OrdinalIgnoreCase) || JiraJson.Id(s.Id) == v).Select(s => s.Id), c.Field);
            case "statuscategory":
                return Ids(c, i => store.Statuses[i.StatusId].Category.Id, v => StatusCategory.All
                    .Where(s => string.Equals(s.Name, v, StringComparison.OrdinalIgnoreCase) || string.Equals(s.Key, v, StringComparison.OrdinalIgnoreCase)
                        || s.Id.ToString(CultureInfo.InvariantCulture) == v).Select(s => s.Id), c.Field);
            case "priority":
                return Ranked(c, i => PriorityRank(i.PriorityId), v => store.Priorities
                    .Where(p => string.Equals(p.Name, v, StringComparison.OrdinalIgnoreCase) || JiraJson.Id(p.Id) == v).Select(p => PriorityRank(p.Id)), c.Field);
            case "resolution":
                return Ids(c, i => i.ResolutionId, v => string.Equals(v, "Unresolved", StringComparison.OrdinalIgnoreCase)
                    ? [0]
                    : store.Resolutions.Where(r => string.Equals(r.Name, v, StringComparison.OrdinalIgnoreCase) || JiraJson.Id(r.Id) == v).Select(r => r.Id), c.Field, emptyValue: 0);
            case "assignee" or "reporter" or "creator":
                Func<JiraIssue, int> get = field switch
                {
                    "assignee" => i => i.AssigneeIndex,
                    "reporter" => i => i.ReporterIndex,
                    _ => i => i.CreatorIndex,
                };
                return Ids(c, get, v => UserIndexes(v), c.Field, emptyValue: -1);
            case "key" or "issuekey" or "id" or "issue":
                return KeyClause(c);
            case "labels":
                return Labels(c);
            case "created" or "createddate":
                return Dates(c, i => i.Created);
            case "updated" or "updateddate":
                return Dates(c, i => i.Updated);
            case "resolved" or "resolutiondate":
                return Dates(c, i => i.ResolutionDate == 0 ? null : i.ResolutionDate);
            case "summary":
                return Text(c, i => [i.Summary]);
            case "description":
                return Text(c, i => [i.Description?.ToWiki()]);
            case "comment":
                return Text(c, i => (i.Comments ?? []).Select(x => (string?)x.Body.ToWiki()));
            case "text":
                return Text(c, i => AllText(i));
        }

        if (field.StartsWith("issue.property[", StringComparison.Ordinal))
        {
            return Property(c);
        }

        var custom = ResolveCustom(c.Field) ?? throw new JqlException($"Field '{c.Field}' does not exist or you do not have permission to view it.");
        return Custom(c, custom);
    }

    private IEnumerable<string?> AllText(JiraIssue i)
    {
        yield return i.Summary;
        yield return i.Description?.ToWiki();
        yield return i.Environment?.ToWiki();
        foreach (var comment in i.Comments ?? [])
        {
            yield return comment.Body.ToWiki();
        }

        foreach (var value in i.Custom?.Values ?? Enumerable.Empty<object>())
        {
            yield return value switch
            {
                string s => s,
                RichText r => r.ToWiki(),
                _ => null,
            };
        }
    }

    private int PriorityRank(int priorityId) => store.Priorities.Count - store.Priorities.FindIndex(p => p.Id == priorityId);

    private IEnumerable<int> UserIndexes(string v)
    {
        var found = store.Users.Where(u => u.AccountId == v || (!store.IsCloud && (string.Equals(u.Name, v, StringComparison.OrdinalIgnoreCase) || u.Key == v))
            || string.Equals(u.Email, v, StringComparison.OrdinalIgnoreCase) || string.Equals(u.DisplayName, v, StringComparison.OrdinalIgnoreCase)).Select(u => u.Index);
        return found;
    }

    private JiraCustomField? ResolveCustom(string field)
    {
        var lower = field.ToLowerInvariant();
        if (lower.StartsWith("cf[", StringComparison.Ordinal) && lower.EndsWith(']'))
        {
            return int.TryParse(lower.AsSpan(3, lower.Length - 4), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? store.CustomField(id) : null;
        }

        if (lower.StartsWith("customfield_", StringComparison.Ordinal))
        {
            return int.TryParse(lower.AsSpan(12), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? store.CustomField(id) : null;
        }

        return store.CustomFields.Find(f => string.Equals(f.Name, field, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Equality-style clause over an int attribute whose values are resolved by name (unknown name → 400).</summary>
    private Func<JiraIssue, bool> Ids(JqlClause c, Func<JiraIssue, int> get, Func<string, IEnumerable<int>> resolve, string field, int? emptyValue = null)
    {
        if (c.Operator is not ("=" or "!=" or "IN" or "NOT IN" or "IS" or "IS NOT"))
        {
            throw Unsupported(c.Operator, field);
        }

        if (c.Operand is JqlEmpty)
        {
            if (emptyValue is null)
            {
                return c.Operator is "IS" or "=" ? _ => false : _ => true;
            }

            var empty = emptyValue.Value;
            return c.Operator is "IS" or "=" ? i => get(i) == empty : i => get(i) != empty;
        }

        var set = new HashSet<int>();
        var items = c.Operand is JqlList list ? list.Items : [c.Operand];
        foreach (var item in items)
        {
            switch (item)
            {
                case JqlEmpty when emptyValue is not null:
                    set.Add(emptyValue.Value);
                    break;
                case JqlFunction f when string.Equals(f.Name, "currentUser", StringComparison.OrdinalIgnoreCase):
                    set.Add(user?.Index ?? -3);
                    break;
                case JqlFunction f:
                    throw new JqlException($"Unable to find JQL function '{f.Name}({string.Join(',', f.Args)})'.");
                case JqlValue v:
                    var ids = resolve(v.Text).ToList();
                    if (ids.Count == 0)
                    {
                        throw NoValue(v.Text, field);
                    }

                    set.UnionWith(ids);
                    break;
            }
        }

        return c.Operator is "=" or "IN" ? i => set.Contains(get(i)) : i => !set.Contains(get(i));
    }

    /// <summary>Like <see cref="Ids"/> but ordered (priority &gt; Medium).</summary>
    private Func<JiraIssue, bool> Ranked(JqlClause c, Func<JiraIssue, int> get, Func<string, IEnumerable<int>> resolve, string field)
    {
        if (c.Operator is not (">" or ">=" or "<" or "<="))
        {
            return Ids(c, get, resolve, field);
        }

        var value = c.Operand as JqlValue ?? throw Unsupported(c.Operator, field);
        var rank = resolve(value.Text).DefaultIfEmpty(int.MinValue).First();
        if (rank == int.MinValue)
        {
            throw NoValue(value.Text, field);
        }

        return Compare(c.Operator, get, rank);
    }

    private static Func<JiraIssue, bool> Compare(string op, Func<JiraIssue, int> get, int value) => op switch
    {
        ">" => i => get(i) > value,
        ">=" => i => get(i) >= value,
        "<" => i => get(i) < value,
        _ => i => get(i) <= value,
    };

    private Func<JiraIssue, bool> KeyClause(JqlClause c)
    {
        if (c.Operator is "~" or "!~" or "IS" or "IS NOT")
        {
            throw Unsupported(c.Operator, c.Field);
        }

        var ids = new List<JiraIssue>();
        foreach (var v in Values(c.Operand))
        {
            var issue = store.FindIssue(v.Text);
            if (issue is null)
            {
                if (int.TryParse(v.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    ids.Add(new JiraIssue { Id = n, ProjectId = -1, Number = -1, Key = "" });
                    continue;
                }

                throw new JqlException($"An issue with key '{v.Text}' does not exist for field '{c.Field}'.");
            }

            ids.Add(issue);
        }

        if (c.Operator is ">" or ">=" or "<" or "<=")
        {
            var target = ids.Single();
            var byId = c.Field.Equals("id", StringComparison.OrdinalIgnoreCase);
            return byId
                ? Compare(c.Operator, i => i.Id, target.Id)
                : i => i.ProjectId == target.ProjectId && Compare(c.Operator, x => x.Number, target.Number)(i);
        }

        var set = ids.Select(i => i.Id).ToHashSet();
        return c.Operator is "=" or "IN" ? i => set.Contains(i.Id) : i => !set.Contains(i.Id);
    }

    private static Func<JiraIssue, bool> Labels(JqlClause c)
    {
        switch (c.Operator)
        {
            case "IS":
                return i => i.Labels.Length == 0;
            case "IS NOT":
                return i => i.Labels.Length > 0;
            case "=" or "IN" or "!=" or "NOT IN":
                var set = Values(c.Operand).Select(v => v.Text).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var empty = c.Operand is JqlEmpty || (c.Operand is JqlList l && l.Items.Any(x => x is JqlEmpty));
                Func<JiraIssue, bool> match = i => i.Labels.Any(set.Contains) || (empty && i.Labels.Length == 0);
                return c.Operator is "=" or "IN" ? match : i => !match(i);
            default:
                throw Unsupported(c.Operator, c.Field);
        }
    }

    private long DateOperand(string field, JqlOperand operand)
    {
        switch (operand)
        {
            case JqlValue v when JqlDates.TryParse(v.Text, v.Quoted, Zone, now, out var ms):
                return ms;
            case JqlFunction f when JqlDates.TryFunction(f.Name, f.Args, Zone, now, out var ms):
                return ms;
            case JqlFunction f:
                throw new JqlException($"Unable to find JQL function '{f.Name}({string.Join(',', f.Args)})'.");
            case JqlValue v:
                throw new JqlException(JqlDates.InvalidMessage(v.Text, field));
            default:
                throw new JqlException($"Error in the JQL Query: a date value is expected for the field '{field}'.");
        }
    }

    private Func<JiraIssue, bool> Dates(JqlClause c, Func<JiraIssue, long?> get)
    {
        if (c.Operand is JqlEmpty)
        {
            return c.Operator is "IS" or "=" ? i => get(i) is null : i => get(i) is not null;
        }

        if (c.Operator is "IN" or "NOT IN")
        {
            var set = Values(c.Operand).Select(v => DateOperand(c.Field, v)).ToHashSet();
            return c.Operator == "IN" ? i => get(i) is { } x && set.Contains(x) : i => get(i) is not { } x || !set.Contains(x);
        }

        var ms = DateOperand(c.Field, c.Operand);
        return c.Operator switch
        {
            "=" => i => get(i) == ms,
            "!=" => i => get(i) != ms,
            ">" => i => get(i) > ms,
            ">=" => i => get(i) >= ms,
            "<" => i => get(i) < ms,
            "<=" => i => get(i) <= ms,
            _ => throw Unsupported(c.Operator, c.Field),
        };
    }

    /// <summary><c>~</c> is a word search: every term of the query must occur (case-insensitively) in one of the texts.</summary>
    private static Func<JiraIssue, bool> Text(JqlClause c, Func<JiraIssue, IEnumerable<string?>> texts)
    {
        if (c.Operator is "IS" or "IS NOT")
        {
            var empty = c.Operator == "IS";
            return i => texts(i).All(string.IsNullOrEmpty) == empty;
        }

        if (c.Operator is not ("~" or "!~") || c.Operand is not JqlValue v)
        {
            throw Unsupported(c.Operator, c.Field);
        }

        var terms = v.Text.Split([' ', '\t', ',', '.', ';', ':', '!', '?', '(', ')'], StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Trim('*')).Where(t => t.Length > 0).ToArray();
        Func<JiraIssue, bool> match = i =>
        {
            var all = texts(i).OfType<string>().ToList();
            return terms.Length > 0 && terms.All(t => all.Exists(x => x.Contains(t, StringComparison.OrdinalIgnoreCase)));
        };
        return c.Operator == "~" ? match : i => !match(i);
    }

    private Func<JiraIssue, bool> Custom(JqlClause c, JiraCustomField field)
    {
        object? Get(JiraIssue i) => i.Custom?.GetValueOrDefault(field.Id);
        if (c.Operand is JqlEmpty)
        {
            return c.Operator is "IS" or "=" ? i => Get(i) is null : i => Get(i) is not null;
        }

        if (c.Operator is "~" or "!~")
        {
            if (field.Type is not (CustomFieldType.Text or CustomFieldType.TextArea or CustomFieldType.Url))
            {
                throw Unsupported(c.Operator, field.Name);
            }

            return Text(c, i => [Get(i) switch { string s => s, RichText r => r.ToWiki(), _ => null }]);
        }

        var values = Values(c.Operand).Select(v => v.Text).ToList();
        Func<JiraIssue, bool> equals;
        switch (field.Type)
        {
            case CustomFieldType.Float:
                var numbers = values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
                    : throw new JqlException($"The value '{v}' does not exist for the field '{c.Field}'.")).ToList();
                if (c.Operator is ">" or ">=" or "<" or "<=")
                {
                    var n = numbers.Single();
                    return c.Operator switch
                    {
                        ">" => i => Get(i) is double d && d > n,
                        ">=" => i => Get(i) is double d && d >= n,
                        "<" => i => Get(i) is double d && d < n,
                        _ => i => Get(i) is double d && d <= n,
                    };
                }

                equals = i => Get(i) is double d && numbers.Contains(d);
                break;
            case CustomFieldType.Select or CustomFieldType.MultiSelect:
                var options = values.Select(v => field.Options.FirstOrDefault(o => string.Equals(o.Value, v, StringComparison.OrdinalIgnoreCase) || JiraJson.Id(o.Id) == v)?.Id
                    ?? throw NoValue(v, c.Field)).ToHashSet();
                equals = i => Get(i) switch { int id => options.Contains(id), int[] ids => ids.Any(options.Contains), _ => false };
                break;
            case CustomFieldType.Text or CustomFieldType.TextArea or CustomFieldType.Url:
                // Jira only offers ~ on free-text fields; an exact match is what integrations mean by "=" on a single-line id field.
                if (field.Type == CustomFieldType.TextArea)
                {
                    throw Unsupported(c.Operator, field.Name);
                }

                equals = i => Get(i) is string s && values.Contains(s, StringComparer.OrdinalIgnoreCase);
                break;
            case CustomFieldType.Labels:
                equals = i => Get(i) is string[] labels && labels.Any(l => values.Contains(l, StringComparer.OrdinalIgnoreCase));
                break;
            case CustomFieldType.UserPicker:
                var users = values.SelectMany(UserIndexes).ToHashSet();
                equals = i => Get(i) is int u && users.Contains(u);
                break;
            default:
                var dates = Values(c.Operand).Select(v => DateOperand(c.Field, v)).ToList();
                equals = i => Get(i) switch { long ms => dates.Contains(ms), string d => values.Contains(d), _ => false };
                break;
        }

        return c.Operator switch
        {
            "=" or "IN" => equals,
            "!=" or "NOT IN" => i => Get(i) is not null && !equals(i),
            _ => throw Unsupported(c.Operator, c.Field),
        };
    }

    /// <summary><c>issue.property[key].path = value</c>; only indexed keys answer (reference §7), others find nothing.</summary>
    private Func<JiraIssue, bool> Property(JqlClause c)
    {
        var text = c.Field;
        var close = text.IndexOf(']', StringComparison.Ordinal);
        var key = text[15..close];
        var path = text[(close + 1)..].TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (!store.IndexedPropertyKeys.Contains(key))
        {
            return _ => false;
        }

        string? Get(JiraIssue i)
        {
            if (i.Properties?.GetValueOrDefault(key) is not { } json)
            {
                return null;
            }

            var node = JsonNode.Parse(json);
            foreach (var segment in path)
            {
                node = node is JsonObject o ? o[segment] : null;
            }

            return node switch
            {
                null => null,
                JsonValue v => v.ToString(),
                _ => node.ToJsonString(JiraJson.Options),
            };
        }

        if (c.Operand is JqlEmpty)
        {
            return c.Operator is "IS" or "=" ? i => Get(i) is null : i => Get(i) is not null;
        }

        var values = Values(c.Operand).Select(v => v.Text).ToHashSet(StringComparer.Ordinal);
        return c.Operator switch
        {
            "=" or "IN" => i => Get(i) is { } v && values.Contains(v),
            "!=" or "NOT IN" => i => Get(i) is { } v && !values.Contains(v),
            "~" => i => Get(i) is { } v && values.Any(x => v.Contains(x, StringComparison.OrdinalIgnoreCase)),
            _ => throw Unsupported(c.Operator, c.Field),
        };
    }

    /// <summary>
    /// <c>ORDER BY updated [, key|id]</c> in one direction is the (updated, id) index order: within one project, keys and ids
    /// both grow with creation, so no sort is needed.
    /// </summary>
    private bool? IndexOrder(IReadOnlyList<JqlSort> sorts)
    {
        if (sorts.Count == 0 || sorts.Count > 2 || store.Projects.Count != 1 || !sorts[0].Field.Equals("updated", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (sorts.Count == 2 && (sorts[1].Descending != sorts[0].Descending || sorts[1].Field.ToLowerInvariant() is not ("key" or "issuekey" or "id")))
        {
            return null;
        }

        return !sorts[0].Descending;
    }

    private List<Func<JiraIssue, long>>? NumericKeys(IReadOnlyList<JqlSort> sorts)
    {
        if (store.Projects.Count != 1)
        {
            return null;
        }

        var keys = new List<Func<JiraIssue, long>>();
        foreach (var sort in sorts)
        {
            Func<JiraIssue, long>? key = sort.Field.ToLowerInvariant() switch
            {
                "updated" or "updateddate" => i => i.Updated,
                "created" or "createddate" => i => i.Created,
                "key" or "issuekey" => i => i.Number,
                "id" or "issue" => i => i.Id,
                "priority" => i => PriorityRank(i.PriorityId),
                "resolutiondate" or "resolved" => i => i.ResolutionDate,
                "issuetype" or "type" => i => i.IssueTypeId,
                "project" => i => i.ProjectId,
                _ => null,
            };
            if (key is null)
            {
                return null;
            }

            keys.Add(sort.Descending ? i => -key(i) : key);
        }

        return keys;
    }

    private Comparison<JiraIssue> CompileOrder(IReadOnlyList<JqlSort> sorts)
    {
        var comparisons = new List<Comparison<JiraIssue>>();
        foreach (var sort in sorts)
        {
            Comparison<JiraIssue> cmp = sort.Field.ToLowerInvariant() switch
            {
                "updated" or "updateddate" => (a, b) => a.Updated.CompareTo(b.Updated),
                "created" or "createddate" => (a, b) => a.Created.CompareTo(b.Created),
                "key" or "issuekey" => (a, b) => a.ProjectId != b.ProjectId
                    ? string.CompareOrdinal(store.Project(a.ProjectId).Key, store.Project(b.ProjectId).Key)
                    : a.Number.CompareTo(b.Number),
                "id" or "issue" => (a, b) => a.Id.CompareTo(b.Id),
                "priority" => (a, b) => PriorityRank(a.PriorityId).CompareTo(PriorityRank(b.PriorityId)),
                "status" => (a, b) => string.Compare(store.Statuses[a.StatusId].Name, store.Statuses[b.StatusId].Name, StringComparison.OrdinalIgnoreCase),
                "summary" => (a, b) => string.Compare(a.Summary, b.Summary, StringComparison.OrdinalIgnoreCase),
                "resolutiondate" or "resolved" => (a, b) => a.ResolutionDate.CompareTo(b.ResolutionDate),
                "duedate" => (a, b) => string.CompareOrdinal(a.DueDate, b.DueDate),
                "issuetype" or "type" => (a, b) => a.IssueTypeId.CompareTo(b.IssueTypeId),
                "project" => (a, b) => a.ProjectId.CompareTo(b.ProjectId),
                "assignee" => (a, b) => string.CompareOrdinal(UserSortKey(a.AssigneeIndex), UserSortKey(b.AssigneeIndex)),
                "reporter" => (a, b) => string.CompareOrdinal(UserSortKey(a.ReporterIndex), UserSortKey(b.ReporterIndex)),
                _ => ResolveCustom(sort.Field) is { } cf
                    ? (a, b) => string.CompareOrdinal(a.Custom?.GetValueOrDefault(cf.Id)?.ToString(), b.Custom?.GetValueOrDefault(cf.Id)?.ToString())
                    : throw new JqlException($"Not able to sort using field '{sort.Field}'."),
            };
            comparisons.Add(sort.Descending ? (a, b) => cmp(b, a) : cmp);
        }

        if (comparisons.Count == 0)
        {
            // Jira's default order: newest key first.
            return (a, b) => b.Id.CompareTo(a.Id);
        }

        // Ties break by id in the direction of the first sort key.
        var descending = sorts[0].Descending;
        return (a, b) =>
        {
            foreach (var cmp in comparisons)
            {
                var r = cmp(a, b);
                if (r != 0)
                {
                    return r;
                }
            }

            return descending ? b.Id.CompareTo(a.Id) : a.Id.CompareTo(b.Id);
        };
    }

    private string UserSortKey(int index) => index < 0 ? "\uffff" : store.Users[index].DisplayName;
}
