using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Salesforce.Soql;

/// <summary>A field path resolved against the schema: the lookups to follow, then the final field.</summary>
internal sealed class BoundPath
{
    public required string Text { get; init; }

    public required SfField[] Hops { get; init; }

    /// <summary>The final field (for a polymorphic last hop, the field of the <c>Name</c> entity).</summary>
    public required SfField Final { get; init; }

    public bool Polymorphic { get; init; }
}

internal abstract record BoundSelect;

internal sealed record BoundField(BoundPath Path, string? Alias = null) : BoundSelect;

internal sealed record BoundChild(SfChildRelationship Relationship, BoundQuery Query) : BoundSelect;

internal sealed record BoundAggregate(string Function, BoundPath? Path, string Name) : BoundSelect;

internal sealed class BoundQuery
{
    public required string Text { get; init; }

    public required SfObject Type { get; init; }

    public List<BoundSelect> Select { get; } = [];

    public Func<SfRecord, bool> Where { get; set; } = static _ => true;

    public List<(BoundPath Path, bool Desc, bool NullsFirst)> Order { get; } = [];

    public List<BoundPath> GroupBy { get; } = [];

    public int? Limit { get; set; }

    public int Offset { get; set; }

    public bool CountOnly { get; set; }

    public bool IsAggregate => Select.Any(s => s is BoundAggregate);

    public bool QueryAll { get; set; }

    /// <summary>Index hints: ids named by <c>Id = / IN</c>, and the SystemModstamp range of the top-level AND.</summary>
    public HashSet<string>? IdSet { get; set; }

    public DateTime? StampLow { get; set; }

    public DateTime? StampHigh { get; set; }
}

/// <summary>Binds parsed SOQL to the schema (INVALID_FIELD / INVALID_TYPE with carets), then runs it against the org.</summary>
internal sealed class SoqlEngine
{
    /// <summary>Children per parent inlined in a query page; the rest follow through the nested nextRecordsUrl (jsforce autoFetch).</summary>
    public const int ChildBatch = 200;

    private static readonly SfObject NameEntity = BuildNameEntity();
    private readonly SfOrg _org;

    public SoqlEngine(SfOrg org)
    {
        _org = org;
    }

    public BoundQuery Prepare(string text, bool queryAll)
    {
        var parsed = SoqlParser.Parse(text);
        var type = _org.Object(parsed.From) ?? throw SoqlParser.Error(text, parsed.FromPos, "INVALID_TYPE",
            $"sObject type '{parsed.From}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");
        return Bind(text, parsed, type, queryAll, child: false);
    }

    private BoundQuery Bind(string text, SoqlQuery q, SfObject type, bool queryAll, bool child)
    {
        var bound = new BoundQuery { Text = text, Type = type, Limit = q.Limit, Offset = q.Offset ?? 0, QueryAll = queryAll };
        var exprIndex = 0;
        foreach (var item in q.Select)
        {
            switch (item)
            {
                case FieldItem f:
                    bound.Select.Add(new BoundField(Resolve(text, type, f.Path), f.Alias));
                    break;
                case FieldsItem fi:
                    if (fi.Kind != "STANDARD" && (q.Limit is null || q.Limit > 200))
                    {
                        throw SoqlParser.Error(text, fi.Pos, "MALFORMED_QUERY", "The SOQL FIELDS function must have a LIMIT of at most 200");
                    }

                    foreach (var field in type.Fields.Where(x => fi.Kind == "ALL" || (fi.Kind == "CUSTOM") == x.Custom))
                    {
                        bound.Select.Add(new BoundField(new BoundPath { Text = field.Name, Hops = [], Final = field }));
                    }

                    break;
                case AggregateItem a when a.Function == "COUNT" && a.Path is null:
                    bound.CountOnly = true;
                    break;
                case AggregateItem a:
                    bound.Select.Add(new BoundAggregate(a.Function, a.Path is null ? null : Resolve(text, type, a.Path), a.Alias ?? $"expr{exprIndex++}"));
                    break;
                case SubQueryItem s when !child:
                    var rel = _org.ChildRelationships(type).FirstOrDefault(r => r.RelationshipName.Equals(s.Query.From, StringComparison.OrdinalIgnoreCase))
                        ?? throw SoqlParser.Error(text, s.Query.FromPos, "INVALID_TYPE",
                            $"Didn't understand relationship '{s.Query.From}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
                    bound.Select.Add(new BoundChild(rel, Bind(text, s.Query, rel.Child, queryAll, child: true)));
                    break;
                default:
                    throw SoqlParser.Error(text, item.Pos, "MALFORMED_QUERY", "Nesting of semi join sub-selects is not supported");
            }
        }

        if (bound.CountOnly && bound.Select.Count > 0)
        {
            throw SoqlParser.Error(text, q.Select[0].Pos, "MALFORMED_QUERY", "COUNT() must be the only element in the SELECT list");
        }

        foreach (var g in q.GroupBy)
        {
            bound.GroupBy.Add(Resolve(text, type, g));
        }

        if (!bound.IsAggregate && q.Select.OfType<FieldItem>().FirstOrDefault(f => f.Alias is not null) is { } aliased)
        {
            throw SoqlParser.Error(text, aliased.Pos + aliased.Path.Text.Length + 1, "MALFORMED_QUERY", $"unexpected token: '{aliased.Alias}'");
        }

        if (bound.IsAggregate && bound.GroupBy.Count == 0 && bound.Select.OfType<BoundField>().FirstOrDefault() is { } loose)
        {
            throw SoqlParser.Error(text, 7, "MALFORMED_QUERY", $"Field must be grouped or aggregated: {loose.Path.Final.Name}");
        }

        if (q.Where is { } where)
        {
            bound.Where = Compile(text, type, where, bound, topLevel: true);
        }

        if (type.Name == "ContentDocumentLink" && !child && !HasLinkFilter(q.Where))
        {
            throw SfException.BadRequest("MALFORMED_QUERY",
                "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.");
        }

        // "You can't filter on the related object fields" (object reference): LinkedEntity.Type may be selected, not filtered on.
        if (type.Name == "ContentDocumentLink" && FilterPaths(q.Where).FirstOrDefault(p => p.Text.StartsWith("LinkedEntity.", StringComparison.OrdinalIgnoreCase)) is { } linked)
        {
            throw SoqlParser.Error(text, linked.Pos, "MALFORMED_QUERY",
                "Implementation restriction: ContentDocumentLink does not support filtering on fields of the linked record. Filter on LinkedEntityId instead.");
        }

        foreach (var o in q.OrderBy)
        {
            var path = Resolve(text, type, o.Path);
            bound.Order.Add((path, o.Desc, o.NullsFirst ?? true));
        }

        return bound;
    }

    private static bool HasLinkFilter(Cond? where) => where switch
    {
        CompareCond c => c.Op == "=" && IsLinkKey(c.Path.Text),
        InCond i => !i.Not && IsLinkKey(i.Path.Text),
        AndCond a => a.Items.Any(HasLinkFilter),
        _ => false,
    };

    private static IEnumerable<SoqlPath> FilterPaths(Cond? where) => where switch
    {
        CompareCond c => [c.Path],
        InCond i => [i.Path],
        IncludesCond inc => [inc.Path],
        AndCond a => a.Items.SelectMany(FilterPaths),
        OrCond o => o.Items.SelectMany(FilterPaths),
        NotCond n => FilterPaths(n.Inner),
        _ => [],
    };

    private static bool IsLinkKey(string path) => path.ToUpperInvariant() is "CONTENTDOCUMENTID" or "LINKEDENTITYID" or "ID";

    public BoundPath Resolve(string text, SfObject type, SoqlPath path)
    {
        var parts = path.Text.Split('.');

        // "Case.Subject" in a query on Case: the object name may lead the path.
        if (parts.Length > 1 && parts[0].Equals(type.Name, StringComparison.OrdinalIgnoreCase) && type.ByRelationship(parts[0]) is null)
        {
            parts = parts[1..];
        }

        var hops = new List<SfField>();
        var cur = type;
        var poly = false;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (poly)
            {
                throw InvalidField(text, path, parts[^1], cur.Name);
            }

            var hop = cur.ByRelationship(parts[i]) ?? throw SoqlParser.Error(text, path.Pos, "INVALID_FIELD",
                $"Didn't understand relationship '{parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
            hops.Add(hop);
            if (hop.IsPolymorphic)
            {
                poly = true;
                cur = NameEntity;
            }
            else
            {
                cur = _org.Object(hop.ReferenceTo[0])!;
            }
        }

        var final = cur.Field(parts[^1]) ?? throw InvalidField(text, path, parts[^1], cur.Name);
        return new BoundPath { Text = path.Text, Hops = [.. hops], Final = final, Polymorphic = poly };
    }

    private static SfException InvalidField(string text, SoqlPath path, string field, string entity) =>
        SoqlParser.Error(text, path.Pos, "INVALID_FIELD",
            $"No such column '{field}' on entity '{entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");

    /// <summary>Follows the lookups of a path; null when a lookup is empty or points nowhere.</summary>
    public object? Eval(BoundPath p, SfRecord r)
    {
        var cur = r;
        foreach (var hop in p.Hops)
        {
            if (cur[hop] is not string id || _org.Find(id) is not { } next)
            {
                return null;
            }

            cur = next;
        }

        if (p.Hops.Length == 0)
        {
            return p.Final.Name == "IsDeleted" ? r.IsDeleted : cur[p.Final];
        }

        return p.Polymorphic ? NameValue(cur, p.Final.Name) : cur[p.Final];
    }

    // ---- WHERE ----

    private Func<SfRecord, bool> Compile(string text, SfObject type, Cond cond, BoundQuery bound, bool topLevel)
    {
        switch (cond)
        {
            case AndCond and:
                var parts = and.Items.Select(c => Compile(text, type, c, bound, topLevel)).ToArray();
                return r =>
                {
                    foreach (var p in parts)
                    {
                        if (!p(r))
                        {
                            return false;
                        }
                    }

                    return true;
                };
            case OrCond or:
                var options = or.Items.Select(c => Compile(text, type, c, bound, false)).ToArray();
                return r => options.Any(o => o(r));
            case NotCond not:
                var inner = Compile(text, type, not.Inner, bound, false);
                return r => !inner(r);
            case CompareCond c:
                return CompileCompare(text, type, c, bound, topLevel);
            case InCond i:
                return CompileIn(text, type, i, bound, topLevel);
            case IncludesCond inc:
                var ip = Resolve(text, type, inc.Path);
                var wanted = inc.Values.Select(v => (v.Value as string ?? string.Empty).Split(';', StringSplitOptions.TrimEntries)).ToList();
                return r =>
                {
                    var have = (Eval(ip, r) as string ?? string.Empty).Split(';', StringSplitOptions.TrimEntries);
                    var any = wanted.Any(w => w.All(x => have.Contains(x, StringComparer.OrdinalIgnoreCase)));
                    return inc.Excludes ? !any : any;
                };
            default:
                throw new InvalidOperationException("Unknown condition");
        }
    }

    private Func<SfRecord, bool> CompileCompare(string text, SfObject type, CompareCond c, BoundQuery bound, bool topLevel)
    {
        var path = Resolve(text, type, c.Path);
        var ft = path.Final.Type;
        if (ft == SfType.Base64 || ft == SfType.TextArea && path.Final.Length > 255)
        {
            throw SoqlParser.Error(text, c.Path.Pos, "INVALID_FIELD", $"field '{path.Final.Name}' can not be filtered in a query call");
        }

        if (c.Op == "LIKE")
        {
            if (c.Value.Kind != LitKind.String)
            {
                throw TypeError(text, c.Value, path);
            }

            var regex = LikeRegex((string)c.Value.Value!);
            return r => Eval(path, r) is string s && regex.IsMatch(s);
        }

        // Salesforce stores empty text as null, so '' and null filter alike.
        var isNull = c.Value.Kind == LitKind.Null || (c.Value.Kind == LitKind.String && c.Value.Value is "" && path.Final.IsTextual);
        if (isNull)
        {
            return c.Op switch
            {
                "=" => r => Eval(path, r) is null,
                "!=" => r => Eval(path, r) is not null,
                _ => throw SoqlParser.Error(text, c.Value.Pos, "MALFORMED_QUERY", $"unexpected token: 'null'"),
            };
        }

        if (c.Value.Kind == LitKind.Relative)
        {
            if (ft is not (SfType.Date or SfType.DateTime))
            {
                throw TypeError(text, c.Value, path);
            }

            var (start, end) = Range(((string, int))c.Value.Value!);
            if (path.Final.Name == "SystemModstamp" && path.Hops.Length == 0 && topLevel)
            {
                Narrow(bound, c.Op, start, end);
            }

            return r =>
            {
                if (ToTicks(Eval(path, r)) is not { } v)
                {
                    return c.Op == "!=";
                }

                return c.Op switch
                {
                    "=" => v >= start.Ticks && v < end.Ticks,
                    "!=" => v < start.Ticks || v >= end.Ticks,
                    "<" => v < start.Ticks,
                    "<=" => v < end.Ticks,
                    ">" => v >= end.Ticks,
                    _ => v >= start.Ticks,
                };
            };
        }

        var literal = ConvertLiteral(text, c.Value, path);
        if (topLevel && path.Hops.Length == 0)
        {
            if (path.Final.Name == "Id" && c.Op == "=" && literal is string id)
            {
                bound.IdSet = bound.IdSet is null ? [id] : [.. bound.IdSet.Where(x => x == id)];
            }

            if (path.Final.Name == "SystemModstamp" && literal is DateTime stamp)
            {
                Narrow(bound, c.Op, stamp, stamp.AddTicks(1));
            }
        }

        return c.Op switch
        {
            "=" => r => Eval(path, r) is { } v && Compare(v, literal, ft) == 0,
            "!=" => r => Eval(path, r) is not { } v || Compare(v, literal, ft) != 0,
            "<" => r => Eval(path, r) is { } v && Compare(v, literal, ft) < 0,
            "<=" => r => Eval(path, r) is { } v && Compare(v, literal, ft) <= 0,
            ">" => r => Eval(path, r) is { } v && Compare(v, literal, ft) > 0,
            _ => r => Eval(path, r) is { } v && Compare(v, literal, ft) >= 0,
        };
    }

    private static void Narrow(BoundQuery bound, string op, DateTime start, DateTime end)
    {
        switch (op)
        {
            case ">" or ">=" or "=":
                var low = op == ">" ? end : start;
                bound.StampLow = bound.StampLow is { } l && l > low ? l : low;
                if (op == "=")
                {
                    bound.StampHigh = end;
                }

                break;
            case "<" or "<=":
                var high = op == "<" ? start : end;
                bound.StampHigh = bound.StampHigh is { } h && h < high ? h : high;
                break;
        }
    }

    private Func<SfRecord, bool> CompileIn(string text, SfObject type, InCond i, BoundQuery bound, bool topLevel)
    {
        var path = Resolve(text, type, i.Path);
        HashSet<object> set;
        if (i.Sub is { } sub)
        {
            var subType = _org.Object(sub.From) ?? throw SoqlParser.Error(text, sub.FromPos, "INVALID_TYPE", $"sObject type '{sub.From}' is not supported.");
            var subQuery = Bind(text, sub, subType, false, child: true);
            if (subQuery.Select is not [BoundField { Path: var subPath }] || !subPath.Final.IsIdLike || !path.Final.IsIdLike)
            {
                throw SoqlParser.Error(text, i.Path.Pos, "INVALID_FIELD", "The selected field in a semi join subquery must be an Id or a reference field");
            }

            set = new HashSet<object>(StringComparer.Ordinal.AsObjectComparer());
            foreach (var r in _org.Table(subType).ById.Values)
            {
                if (!r.IsDeleted && subQuery.Where(r) && Eval(subPath, r) is string v)
                {
                    set.Add(v);
                }
            }
        }
        else
        {
            set = new HashSet<object>(path.Final.IsIdLike ? StringComparer.Ordinal.AsObjectComparer() : StringComparer.OrdinalIgnoreCase.AsObjectComparer());
            foreach (var v in i.Values)
            {
                if (ConvertLiteral(text, v, path) is { } lv)
                {
                    set.Add(lv is string ? lv : Key(lv));
                }
            }
        }

        if (topLevel && !i.Not && path.Hops.Length == 0 && path.Final.Name == "Id")
        {
            var ids = set.OfType<string>();
            bound.IdSet = bound.IdSet is null ? [.. ids] : [.. bound.IdSet.Intersect(ids)];
        }

        return r =>
        {
            var v = Eval(path, r);
            var hit = v is not null && set.Contains(v is string ? v : Key(v));
            return i.Not ? !hit : hit;
        };
    }

    private static string Key(object v) => Convert.ToString(v is DateTime dt ? dt.Ticks : v, System.Globalization.CultureInfo.InvariantCulture)!;

    private object? ConvertLiteral(string text, Literal lit, BoundPath path)
    {
        var f = path.Final;
        switch (f.Type)
        {
            case SfType.Id or SfType.Reference:
                if (lit.Kind != LitKind.String)
                {
                    throw TypeError(text, lit, path);
                }

                if (!SfId.TryNormalize((string)lit.Value!, out var id))
                {
                    throw SfException.BadRequest("INVALID_QUERY_FILTER_OPERATOR", $"invalid ID field: {lit.Value}");
                }

                return id;
            case SfType.Boolean:
                return lit.Kind == LitKind.Bool ? lit.Value : throw TypeError(text, lit, path);
            case SfType.Int or SfType.Double or SfType.Currency or SfType.Percent:
                return lit.Kind == LitKind.Number ? lit.Value : throw TypeError(text, lit, path);
            case SfType.Date:
                return lit.Kind == LitKind.Date ? lit.Value : throw TypeError(text, lit, path);
            case SfType.DateTime:
                return lit.Kind == LitKind.DateTime ? lit.Value : throw TypeError(text, lit, path);
            default:
                return lit.Kind == LitKind.String ? lit.Value : throw TypeError(text, lit, path);
        }
    }

    private static SfException TypeError(string text, Literal lit, BoundPath path)
    {
        var f = path.Final;
        var (name, quoted) = f.Type switch
        {
            SfType.Boolean => ("boolean", false),
            SfType.Int or SfType.Double or SfType.Currency or SfType.Percent => ("double", false),
            SfType.Date => ("date", false),
            SfType.DateTime => ("dateTime", false),
            SfType.Id or SfType.Reference => ("id", true),
            _ => ("string", true),
        };
        var detail = $"value of filter criterion for field '{f.Name}' must be of type {name} and {(quoted ? "should be enclosed in quotes" : "should not be enclosed in quotes")}";
        return SoqlParser.Error(text, lit.Pos, "INVALID_FIELD", detail);
    }

    private (DateTime Start, DateTime End) Range((string Name, int N) lit)
    {
        var now = _org.Now();
        var today = now.Date;
        var weekStart = today.AddDays(-(int)today.DayOfWeek);
        var monthStart = new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var yearStart = new DateTime(today.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var n = lit.N;
        return lit.Name switch
        {
            "YESTERDAY" => (today.AddDays(-1), today),
            "TODAY" => (today, today.AddDays(1)),
            "TOMORROW" => (today.AddDays(1), today.AddDays(2)),
            "LAST_WEEK" => (weekStart.AddDays(-7), weekStart),
            "THIS_WEEK" => (weekStart, weekStart.AddDays(7)),
            "NEXT_WEEK" => (weekStart.AddDays(7), weekStart.AddDays(14)),
            "LAST_MONTH" => (monthStart.AddMonths(-1), monthStart),
            "THIS_MONTH" => (monthStart, monthStart.AddMonths(1)),
            "NEXT_MONTH" => (monthStart.AddMonths(1), monthStart.AddMonths(2)),
            "LAST_90_DAYS" => (today.AddDays(-90), today.AddDays(1)),
            "NEXT_90_DAYS" => (today.AddDays(1), today.AddDays(91)),
            "THIS_YEAR" => (yearStart, yearStart.AddYears(1)),
            "LAST_YEAR" => (yearStart.AddYears(-1), yearStart),
            "NEXT_YEAR" => (yearStart.AddYears(1), yearStart.AddYears(2)),
            "LAST_N_DAYS" => (today.AddDays(-n), today.AddDays(1)),
            "NEXT_N_DAYS" => (today.AddDays(1), today.AddDays(n + 1)),
            "N_DAYS_AGO" => (today.AddDays(-n), today.AddDays(-n + 1)),
            "LAST_N_HOURS" => (now.AddHours(-n), now.AddSeconds(1)),
            "NEXT_N_HOURS" => (now, now.AddHours(n)),
            "LAST_N_WEEKS" => (weekStart.AddDays(-7 * n), weekStart),
            "NEXT_N_WEEKS" => (weekStart.AddDays(7), weekStart.AddDays(7 * (n + 1))),
            "LAST_N_MONTHS" => (monthStart.AddMonths(-n), monthStart),
            _ => (monthStart.AddMonths(1), monthStart.AddMonths(n + 1)),
        };
    }

    private static long? ToTicks(object? v) => v switch
    {
        DateTime dt => dt.Ticks,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue).Ticks,
        _ => null,
    };

    /// <summary>Orders values as Salesforce does: text case-insensitively, ids by their exact characters.</summary>
    public static int Compare(object a, object? b, SfType type)
    {
        if (b is null)
        {
            return 1;
        }

        return (a, b) switch
        {
            (string x, string y) => type is SfType.Id or SfType.Reference ? string.CompareOrdinal(x, y) : string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
            (decimal x, decimal y) => x.CompareTo(y),
            (DateTime x, DateTime y) => x.CompareTo(y),
            (DateOnly x, DateOnly y) => x.CompareTo(y),
            (bool x, bool y) => x.CompareTo(y),
            _ => string.CompareOrdinal(Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(b, System.Globalization.CultureInfo.InvariantCulture)),
        };
    }

    private static Regex LikeRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                sb.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                sb.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
            }
        }

        return new Regex(sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    // ---- execution ----

    /// <summary>Runs the query: the matching rows in order (OFFSET and LIMIT applied). Uses the Id and SystemModstamp indexes when it can.</summary>
    public List<SfRecord> Execute(BoundQuery q)
    {
        var table = _org.Table(q.Type);
        var take = q.Limit is { } limit ? q.Offset + limit : int.MaxValue;
        var rows = new List<SfRecord>();
        bool Keep(SfRecord r) => (q.QueryAll || !r.IsDeleted) && q.Where(r);

        var streamsInOrder = q.Order.Count > 0 && q.Order[0].Path is { Hops.Length: 0, Final.Name: "SystemModstamp" } && !q.Order[0].Desc
            && (q.Order.Count == 1 || (q.Order.Count == 2 && q.Order[1].Path is { Hops.Length: 0, Final.Name: "Id" } && !q.Order[1].Desc));
        if (q.IdSet is { } ids)
        {
            rows.AddRange(ids.Select(id => table.ById.GetValueOrDefault(id)).OfType<SfRecord>().Where(Keep));
        }
        else if (streamsInOrder && !q.IsAggregate)
        {
            // Incremental sync: WHERE SystemModstamp >= X ORDER BY SystemModstamp, Id LIMIT n reads the index range in order.
            var low = (q.StampLow ?? DateTime.MinValue).Ticks;
            var high = q.StampHigh?.Ticks ?? long.MaxValue;
            var view = table.ByModstamp.GetViewBetween((low, string.Empty), (long.MaxValue, "\uffff"));
            foreach (var (stamp, id) in view)
            {
                if (stamp > high || rows.Count >= take)
                {
                    break;
                }

                var r = table.ById[id];
                if (Keep(r))
                {
                    rows.Add(r);
                }
            }

            return rows.Skip(q.Offset).ToList();
        }
        else
        {
            if (q.StampLow is not null || q.StampHigh is not null)
            {
                var low = (q.StampLow ?? DateTime.MinValue).Ticks;
                var high = q.StampHigh?.Ticks ?? long.MaxValue;
                foreach (var (stamp, id) in table.ByModstamp.GetViewBetween((low, string.Empty), (long.MaxValue, "\uffff")))
                {
                    if (stamp > high)
                    {
                        break;
                    }

                    var r = table.ById[id];
                    if (Keep(r))
                    {
                        rows.Add(r);
                    }
                }
            }
            else
            {
                foreach (var r in table.ById.Values)
                {
                    if (Keep(r))
                    {
                        rows.Add(r);
                    }
                }
            }
        }

        if (q.Order.Count > 0 && !q.IsAggregate)
        {
            rows = Sort(rows, q.Order);
        }

        return q.IsAggregate ? rows : rows.Skip(q.Offset).Take(q.Limit ?? int.MaxValue).ToList();
    }

    private List<SfRecord> Sort(List<SfRecord> rows, List<(BoundPath Path, bool Desc, bool NullsFirst)> order)
    {
        var keys = new object?[rows.Count][];
        for (var i = 0; i < rows.Count; i++)
        {
            keys[i] = order.Select(o => Eval(o.Path, rows[i])).ToArray();
        }

        var index = Enumerable.Range(0, rows.Count).ToArray();
        Array.Sort(index, (x, y) =>
        {
            for (var k = 0; k < order.Count; k++)
            {
                var (path, desc, nullsFirst) = order[k];
                var a = keys[x][k];
                var b = keys[y][k];
                int c;
                if (a is null || b is null)
                {
                    c = a is null && b is null ? 0 : (a is null ? (nullsFirst ? -1 : 1) : (nullsFirst ? 1 : -1));
                }
                else if (path.Final.Type == SfType.Picklist && path.Final.Picklist.Count > 0)
                {
                    c = PicklistRank(path.Final, a).CompareTo(PicklistRank(path.Final, b));
                    if (desc)
                    {
                        c = -c;
                    }
                }
                else
                {
                    c = Compare(a, b, path.Final.Type);
                    if (desc)
                    {
                        c = -c;
                    }
                }

                if (c != 0)
                {
                    return c;
                }
            }

            return x.CompareTo(y);
        });
        return index.Select(i => rows[i]).ToList();
    }

    /// <summary>Picklists sort in the order of their values; unknown values after the known ones.</summary>
    private static int PicklistRank(SfField f, object value)
    {
        var i = f.Picklist.FindIndex(p => p.Value.Equals(value as string, StringComparison.OrdinalIgnoreCase));
        return i < 0 ? int.MaxValue : i;
    }

    /// <summary>Aggregate rows (<c>COUNT(Id)</c>, <c>MAX(x)</c>, with optional GROUP BY) as <c>AggregateResult</c> records.</summary>
    public List<JsonObject> Aggregate(BoundQuery q, List<SfRecord> rows)
    {
        var groups = q.GroupBy.Count == 0
            ? [new KeyValuePair<string, List<SfRecord>>(string.Empty, rows)]
            : rows.GroupBy(r => string.Join("\u0001", q.GroupBy.Select(g => Key(Eval(g, r) ?? "\u0000"))), StringComparer.OrdinalIgnoreCase)
                .Select(g => new KeyValuePair<string, List<SfRecord>>(g.Key, g.ToList())).ToList();
        var result = new List<JsonObject>();
        foreach (var (_, members) in groups)
        {
            var o = new JsonObject { ["attributes"] = SfJson.Attributes("AggregateResult", null) };
            foreach (var s in q.Select)
            {
                switch (s)
                {
                    case BoundField f:
                        o[f.Alias ?? f.Path.Final.Name] = members.Count > 0 ? SfJson.Scalar(f.Path.Final, Eval(f.Path, members[0])) : null;
                        break;
                    case BoundAggregate a:
                        var values = a.Path is null ? members.Cast<object?>().ToList() : members.Select(m => Eval(a.Path, m)).Where(v => v is not null).ToList();
                        o[a.Name] = a.Function switch
                        {
                            "COUNT" => values.Count,
                            "COUNT_DISTINCT" => values.Select(v => Key(v!)).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
                            "SUM" => values.Count == 0 ? null : values.Cast<decimal>().Sum(),
                            "AVG" => values.Count == 0 ? null : values.Cast<decimal>().Average(),
                            "MAX" => values.Count == 0 ? null : SfJson.Scalar(a.Path!.Final, values.Aggregate((x, y) => Compare(x!, y, a.Path.Final.Type) >= 0 ? x : y)),
                            _ => values.Count == 0 ? null : SfJson.Scalar(a.Path!.Final, values.Aggregate((x, y) => Compare(x!, y, a.Path.Final.Type) <= 0 ? x : y)),
                        };
                        break;
                }
            }

            result.Add(o);
        }

        return result.Skip(q.Offset).Take(q.Limit ?? int.MaxValue).ToList();
    }

    /// <summary>How many child records each row inlines in a page (at most <see cref="ChildBatch"/> per child subquery).</summary>
    public int[] InlinedChildren(BoundQuery q, IReadOnlyList<SfRecord> rows)
    {
        var counts = new int[rows.Count];
        var index = new Dictionary<string, int>(rows.Count, StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            index[rows[i].Id] = i;
        }

        foreach (var child in q.Select.OfType<BoundChild>())
        {
            var per = new int[rows.Count];
            foreach (var c in _org.Table(child.Relationship.Child).ById.Values)
            {
                if ((q.QueryAll || !c.IsDeleted) && c[child.Relationship.Field] is string pid && index.TryGetValue(pid, out var i) && child.Query.Where(c))
                {
                    per[i]++;
                }
            }

            for (var i = 0; i < rows.Count; i++)
            {
                var all = Math.Min(Math.Max(0, per[i] - child.Query.Offset), child.Query.Limit ?? int.MaxValue);
                counts[i] += Math.Min(all, ChildBatch);
            }
        }

        return counts;
    }

    /// <summary>Renders rows in the §4.3 shape: relationship objects with their own attributes, child subqueries as nested results.</summary>
    public List<JsonObject> Render(BoundQuery q, IReadOnlyList<SfRecord> rows, string version, Func<BoundQuery, List<SfRecord>, string>? pageChildren = null)
    {
        var childRows = new Dictionary<BoundChild, Dictionary<string, List<SfRecord>>>();
        foreach (var child in q.Select.OfType<BoundChild>())
        {
            var parents = rows.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            var byParent = new Dictionary<string, List<SfRecord>>(StringComparer.Ordinal);
            foreach (var c in _org.Table(child.Relationship.Child).ById.Values)
            {
                if ((q.QueryAll || !c.IsDeleted) && c[child.Relationship.Field] is string pid && parents.Contains(pid) && child.Query.Where(c))
                {
                    if (!byParent.TryGetValue(pid, out var list))
                    {
                        byParent[pid] = list = [];
                    }

                    list.Add(c);
                }
            }

            childRows[child] = byParent;
        }

        var result = new List<JsonObject>(rows.Count);
        foreach (var r in rows)
        {
            var o = new JsonObject { ["attributes"] = SfJson.Attributes(r.Type.Name, SfJson.RecordUrl(version, r.Type.Name, r.Id)) };
            foreach (var s in q.Select)
            {
                switch (s)
                {
                    case BoundField f:
                        Put(o, r, f.Path, version);
                        break;
                    case BoundChild c:
                        if (childRows[c].TryGetValue(r.Id, out var kids))
                        {
                            if (c.Query.Order.Count > 0)
                            {
                                kids = Sort(kids, c.Query.Order);
                            }

                            var all = kids.Skip(c.Query.Offset).Take(c.Query.Limit ?? int.MaxValue).ToList();
                            var page = pageChildren is not null && all.Count > ChildBatch ? all.GetRange(0, ChildBatch) : all;
                            var nested = new JsonObject { ["totalSize"] = all.Count, ["done"] = page.Count == all.Count };
                            if (page.Count < all.Count)
                            {
                                nested["nextRecordsUrl"] = pageChildren!(c.Query, all);
                            }

                            nested["records"] = new JsonArray(Render(c.Query, page, version).Cast<JsonNode?>().ToArray());
                            o[c.Relationship.RelationshipName] = nested;
                        }
                        else
                        {
                            o[c.Relationship.RelationshipName] = null;
                        }

                        break;
                }
            }

            result.Add(o);
        }

        return result;
    }

    private void Put(JsonObject o, SfRecord r, BoundPath path, string version)
    {
        var node = o;
        var cur = r;
        foreach (var hop in path.Hops)
        {
            var rel = hop.RelationshipName!;
            if (node.TryGetPropertyValue(rel, out var existing))
            {
                if (existing is not JsonObject nested)
                {
                    return; // an empty lookup is already null
                }

                node = nested;
                cur = cur[hop] is string known ? _org.Find(known)! : cur;
                continue;
            }

            if (cur[hop] is not string id || _org.Find(id) is not { IsDeleted: false } target)
            {
                node[rel] = null;
                return;
            }

            var child = new JsonObject { ["attributes"] = SfJson.Attributes(hop.IsPolymorphic ? "Name" : target.Type.Name, SfJson.RecordUrl(version, target.Type.Name, target.Id)) };
            node[rel] = child;
            node = child;
            cur = target;
        }

        if (path.Polymorphic)
        {
            node[path.Final.Name] = SfJson.Scalar(path.Final, NameValue(cur, path.Final.Name));
        }
        else
        {
            node[path.Final.Name] = SfJson.Value(path.Final, cur, version);
        }
    }

    /// <summary>A field of the polymorphic <c>Name</c> entity: <c>Type</c> is the record's object (a queue's is <c>Queue</c>).</summary>
    private static object? NameValue(SfRecord r, string field) =>
        field == "Type" && r.Type.Name != "Group" ? r.Type.Name : r.Get(field);

    private static SfObject BuildNameEntity()
    {
        var o = new SfObject("Name", "000");
        o.Add(new SfField("Id", SfType.Id));
        foreach (var name in new[] { "Name", "Alias", "Email", "FirstName", "LastName", "Type", "Username", "Title", "Phone", "ProfileId", "UserRoleId" })
        {
            o.Add(new SfField(name, SfType.String));
        }

        o.Add(new SfField("IsActive", SfType.Boolean));
        o.Add(new SfField("LastReferencedDate", SfType.DateTime));
        o.Add(new SfField("LastViewedDate", SfType.DateTime));
        return o;
    }
}

internal static class ComparerExtensions
{
    /// <summary>Lets a string comparer key a set of boxed values (ids, text, numbers rendered as text).</summary>
    public static IEqualityComparer<object> AsObjectComparer(this StringComparer comparer) => new ObjectComparer(comparer);

    private sealed class ObjectComparer(StringComparer inner) : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) => inner.Equals(x as string ?? x?.ToString(), y as string ?? y?.ToString());

        public int GetHashCode(object obj) => inner.GetHashCode(obj as string ?? obj.ToString()!);
    }
}
