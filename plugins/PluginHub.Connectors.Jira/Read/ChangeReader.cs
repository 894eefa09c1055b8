using System.Runtime.CompilerServices;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Describe;

namespace PluginHub.Connectors.Jira.Read;

/// <summary>
/// Incremental reads: JQL on <c>updated</c> with epoch-millisecond bounds, oldest change first, tie-broken by id.
/// </summary>
/// <remarks>
/// Pages are keyset pages, each a fresh search that starts after the last issue of the page before
/// (<c>updated &gt; t OR (updated = t AND id &gt; last)</c>): offset or token paging over a list ordered by <c>updated</c>
/// skips issues that move to the end while the read runs, and keyset paging cannot, also with thousands of issues sharing a
/// millisecond. A resume looks back <see cref="JiraSettings.Overlap"/> before its checkpoint for issues the search index
/// shows late; the checkpoint's remembered versions keep that window from returning what was already returned.
/// Deleted issues cannot be found by JQL, so <see cref="ChangeQuery.IncludeDeleted"/> has no effect (webhooks report deletions).
/// </remarks>
internal sealed class ChangeReader(JiraApi api, JiraCatalog catalog, IssueSearch search, TimeProvider time)
{
    /// <summary>The most Jira returns per search with fields; it may return fewer, and pages go on until the last.</summary>
    public const int DefaultPageSize = IssueSearch.MaxPageSize;

    public async IAsyncEnumerable<ChangePage> ReadAsync(ChangeQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var project = Scope.Project(query.Scope);
        var type = await catalog.IssueTypeAsync(query.Entity, project, cancellationToken);
        var mapper = new IssueMapper(await catalog.FieldsAsync(cancellationToken));
        var overlap = api.Settings.Overlap;
        Checkpoint checkpoint;
        if (query.Watermark is { } watermark)
        {
            checkpoint = Checkpoint.Parse(watermark);
        }
        else if (query.InitialSince is { } since)
        {
            checkpoint = Checkpoint.Start(since.ToUnixTimeMilliseconds());
        }
        else
        {
            // No history wanted: certify everything up to now without reading it.
            yield return new ChangePage([], Checkpoint.Start(time.GetUtcNow().ToUnixTimeMilliseconds()).ToString());
            yield break;
        }

        var pageSize = Math.Clamp(query.PageSizeHint ?? DefaultPageSize, 1, IssueSearch.MaxPageSize);
        var fields = IssueMapper.SearchFields(query.Fields).ToList();
        var scope = Jql.Entity(type.Name, project);
        var returned = new HashSet<string>(StringComparer.Ordinal);
        (long Millis, string Id)? after = null;
        var yielded = false;
        while (true)
        {
            var jql = after is { } last
                ? $"{scope} AND updated >= {Jql.Millis(last.Millis)} AND (updated > {Jql.Millis(last.Millis)} OR id > {last.Id})"
                : $"{scope} AND updated >= {Jql.Millis(checkpoint.SearchFrom(overlap))}";
            jql = Jql.And(jql, query.Filter) + " ORDER BY updated ASC, id ASC";
            var page = await search.PageAsync(jql, fields, changelog: true, pageSize, cursor: null, cancellationToken);
            if (page.Issues.Count == 0)
            {
                if (!yielded)
                {
                    yield return new ChangePage([], checkpoint.ToString());
                }

                yield break;
            }

            var records = page.Issues.Select(i => mapper.Map(type.Name, i, query.Fields)).ToList();
            var versions = records.Select(r => (r.Ref.Id, Millis: r.ModifiedAt.ToUnixTimeMilliseconds())).ToList();
            var fresh = records.Where((r, i) =>
            {
                var version = Checkpoint.Version(versions[i].Id, versions[i].Millis);
                return !checkpoint.Seen.Contains(version) && returned.Add(version);
            }).ToList();
            checkpoint = checkpoint.Advance(versions[^1].Millis, versions, overlap);
            yield return new ChangePage(fresh, checkpoint.ToString());
            yielded = true;
            if (page.Next is null)
            {
                yield break;
            }

            after = (versions[^1].Millis, versions[^1].Id);
        }
    }
}
