using System.Text.RegularExpressions;
using PluginHub.Sandbox.Jira.Model;

namespace PluginHub.Sandbox.Jira.Jql;

/// <summary>Runs a JQL query against the store (callers hold the gate), using the updated index or an id set when the query allows it.</summary>
internal static partial class JqlSearch
{
    /// <summary>Parses and validates; on Cloud, words that are not JQL at all are a free-text search (reference §2.2).</summary>
    public static JqlQuery Parse(string jql, bool cloud)
    {
        try
        {
            return JqlParser.Parse(jql);
        }
        catch (JqlException) when (cloud && PlainWordsRegex().IsMatch(jql))
        {
            return new JqlQuery(new JqlClause("text", "~", new JqlValue(jql.Trim(), true)), []);
        }
    }

    /// <summary>One page of matches in order, whether more follow, and the total when asked for.</summary>
    public sealed record Page(List<JiraIssue> Issues, bool HasMore, int? Total);

    /// <summary>All matches in order.</summary>
    public static List<JiraIssue> Run(JiraStore store, CompiledJql query, Func<JiraIssue, bool>? visible = null) =>
        Run(store, query, 0, int.MaxValue, needTotal: false, visible).Issues;

    public static int Count(JiraStore store, CompiledJql query)
    {
        var n = 0;
        foreach (var issue in Candidates(store, query, ascending: true))
        {
            if (query.Filter(issue))
            {
                n++;
            }
        }

        return n;
    }

    public static Page Run(JiraStore store, CompiledJql query, int offset, int limit, bool needTotal, Func<JiraIssue, bool>? visible = null)
    {
        bool Matches(JiraIssue i) => query.Filter(i) && (visible is null || visible(i));
        if (query.IndexOrderAscending is { } ascending && query.Ids is null)
        {
            // Walk the updated index in order: no sort, and stop early unless a total is needed.
            var page = new List<JiraIssue>();
            var seen = 0;
            var more = false;
            foreach (var issue in Candidates(store, query, ascending))
            {
                if (!Matches(issue))
                {
                    continue;
                }

                if (seen >= offset && page.Count < limit)
                {
                    page.Add(issue);
                }
                else if (seen >= offset)
                {
                    more = true;
                    if (!needTotal)
                    {
                        break;
                    }
                }

                seen++;
            }

            return new Page(page, more, needTotal ? seen : null);
        }

        var matches = new List<JiraIssue>();
        foreach (var issue in Candidates(store, query, ascending: true))
        {
            if (Matches(issue))
            {
                matches.Add(issue);
            }
        }

        Sort(matches, query);
        var slice = offset >= matches.Count ? [] : matches.GetRange(offset, (int)Math.Min(limit, (long)matches.Count - offset));
        return new Page(slice, offset + slice.Count < matches.Count, matches.Count);
    }

    private static void Sort(List<JiraIssue> matches, CompiledJql query)
    {
        if (query.NumericKeys is not { Count: <= 3 } keys)
        {
            matches.Sort(query.Order);
            return;
        }

        var tie = query.TieBreakDescending ? -1L : 1L;
        var entries = new SortEntry[matches.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var issue = matches[i];
            entries[i] = new SortEntry(
                keys.Count > 0 ? keys[0](issue) : 0,
                keys.Count > 1 ? keys[1](issue) : 0,
                keys.Count > 2 ? keys[2](issue) : 0,
                tie * issue.Id,
                issue);
        }

        Array.Sort(entries, static (a, b) => a.CompareTo(b));
        for (var i = 0; i < entries.Length; i++)
        {
            matches[i] = entries[i].Issue;
        }
    }

    private readonly record struct SortEntry(long K1, long K2, long K3, long Tie, JiraIssue Issue)
    {
        public int CompareTo(SortEntry other)
        {
            var c = K1.CompareTo(other.K1);
            if (c == 0)
            {
                c = K2.CompareTo(other.K2);
            }

            if (c == 0)
            {
                c = K3.CompareTo(other.K3);
            }

            return c != 0 ? c : Tie.CompareTo(other.Tie);
        }
    }

    private static IEnumerable<JiraIssue> Candidates(JiraStore store, CompiledJql query, bool ascending)
    {
        if (query.Ids is { } ids)
        {
            return ids.Select(id => store.Issues.GetValueOrDefault(id)).OfType<JiraIssue>();
        }

        if (query.UpdatedFrom > query.UpdatedTo)
        {
            return [];
        }

        if (query.UpdatedFrom == long.MinValue && query.UpdatedTo == long.MaxValue && query.IndexOrderAscending is null)
        {
            return store.Issues.Values;
        }

        var view = store.UpdatedIndex.GetViewBetween((query.UpdatedFrom, int.MinValue), (query.UpdatedTo, int.MaxValue));
        return (ascending ? view : view.Reverse()).Select(e => store.Issues[e.Id]);
    }

    [GeneratedRegex(@"^[\p{L}\p{N}\s]+$")]
    private static partial Regex PlainWordsRegex();
}
