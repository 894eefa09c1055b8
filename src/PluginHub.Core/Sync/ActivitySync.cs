using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Text;
using PluginHub.Core.Integrations.Definitions;

namespace PluginHub.Core.Sync;

/// <summary>
/// Copies comments and files of linked records from one side to the other. Each copy is linked, so a comment or file is
/// never copied twice and never copied back. Records linked in this run have all their activity copied, page by page as
/// they are linked; for the others, what is new since the last run is found through the connector's
/// <see cref="IActivityFeed"/> (a few calls) or, without one, by listing every linked record in bulk (a file added in
/// Salesforce does not change its Case, so it can only be found this way).
/// </summary>
public sealed class ActivitySync(SyncContext context, SyncSide from)
{
    /// <summary>How far before the last run's start activity is listed again, for clock skew and late commits.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(2);

    /// <summary>Copies made side by side, for different parents; one parent's copies keep their order.</summary>
    private const int Parallelism = 4;

    /// <summary>Copies whose links are saved together: what a crash between copying and linking could copy again.</summary>
    private const int LinkBatch = 32;

    private readonly SyncSide _to = context.Other(from);
    private readonly HashSet<string> _copiedInFull = new(StringComparer.Ordinal);

    private bool Comments => Enabled(context.Definition.Comments) && from.Connector is ICommentStore && _to.Connector is ICommentStore;

    private bool Files => Enabled(context.Definition.Attachments) && from.Connector is IAttachmentStore && _to.Connector is IAttachmentStore;

    private string WatermarkKey => (from.Side == Side.Source ? "toTarget" : "toSource") + ":activity";

    /// <summary>Copies all comments and files, whatever their age, of records just linked (called once per page).</summary>
    /// <param name="created">Links created on this side's page.</param>
    /// <param name="cancellationToken">Stops between copies.</param>
    public async Task CopyAllOfAsync(IReadOnlyList<Link> created, CancellationToken cancellationToken)
    {
        var parents = created.Select(l => l.IdOn(from.Side)).Where(_copiedInFull.Add).ToList();
        if (parents.Count == 0)
        {
            return;
        }

        if (Comments)
        {
            await CopyCommentsAsync(((ICommentStore)from.Connector).ListCommentsAsync(from.Entity, parents, null, cancellationToken), cancellationToken);
        }

        if (Files)
        {
            await CopyFilesAsync(((IAttachmentStore)from.Connector).ListAttachmentsAsync(from.Entity, parents, null, cancellationToken), cancellationToken);
        }
    }

    /// <summary>Copies what was commented or attached on the other linked records since the last run, and moves the watermark.</summary>
    /// <param name="runStarted">When this run started; the next run lists activity from shortly before it.</param>
    /// <param name="cancellationToken">Stops between copies.</param>
    public async Task CopyRecentAsync(DateTimeOffset runStarted, CancellationToken cancellationToken)
    {
        if (!Comments && !Files)
        {
            return;
        }

        var last = await context.State.GetWatermarkAsync(context.IntegrationId, WatermarkKey, cancellationToken);
        var since = last is null ? runStarted : DateTimeOffset.Parse(last, CultureInfo.InvariantCulture) - Overlap;
        if (from.Connector is IActivityFeed feed)
        {
            if (Comments)
            {
                await CopyCommentsAsync(feed.ListCommentsSinceAsync(from.Entity, from.Scope, since, cancellationToken), cancellationToken);
            }

            if (Files)
            {
                await CopyFilesAsync(feed.ListAttachmentsSinceAsync(from.Entity, from.Scope, since, cancellationToken), cancellationToken);
            }
        }
        else
        {
            var linked = await context.State.ListLinkedIdsAsync(context.IntegrationId, LinkKind.Record, from.Side, cancellationToken);
            var older = linked.Where(id => !_copiedInFull.Contains(id)).ToList();
            if (older.Count > 0 && Comments)
            {
                await CopyCommentsAsync(((ICommentStore)from.Connector).ListCommentsAsync(from.Entity, older, since, cancellationToken), cancellationToken);
            }

            if (older.Count > 0 && Files)
            {
                await CopyFilesAsync(((IAttachmentStore)from.Connector).ListAttachmentsAsync(from.Entity, older, since, cancellationToken), cancellationToken);
            }
        }

        await context.State.SaveWatermarkAsync(context.IntegrationId, WatermarkKey, runStarted.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
    }

    private bool Enabled(ActivityOptions options) =>
        options.Enabled
        && (options.Direction == FlowDirection.Both || options.Direction == (from.Side == Side.Source ? FlowDirection.ToTarget : FlowDirection.ToSource))
        && (from.Side == Side.Source || context.Definition.Direction == SyncDirection.Bidirectional);

    private Task CopyCommentsAsync(IAsyncEnumerable<Comment> found, CancellationToken cancellationToken)
    {
        var target = (ICommentStore)_to.Connector;
        return CopyAsync(LinkKind.Comment, "Comment", found, c => c.Id, c => c.Parent.Id, async (comment, parent, ct) =>
        {
            var author = comment.Author?.DisplayName ?? comment.Author?.Email ?? "Someone";
            var body = new RichTextValue(RichTextFormat.Plain, $"{author} wrote:\n{PlainText.Of(comment.Body)}");
            return (await target.AddCommentAsync(parent, new NewComment(body, comment.IsPublic), ct)).Id;
        }, cancellationToken);
    }

    private Task CopyFilesAsync(IAsyncEnumerable<AttachmentInfo> found, CancellationToken cancellationToken)
    {
        var source = (IAttachmentStore)from.Connector;
        var target = (IAttachmentStore)_to.Connector;
        return CopyAsync(LinkKind.Attachment, "File", found, a => a.Id, a => a.Parent.Id, async (file, parent, ct) =>
        {
            await using var content = await source.OpenReadAsync(file, ct);
            return (await target.UploadAsync(parent, file.FileName, file.ContentType, content, ct)).Id;
        }, cancellationToken);
    }

    /// <summary>
    /// Copies the items not linked yet whose parent is linked, parents side by side and each parent's items in order, and links
    /// each copy. A copy that fails permanently is noted on its parent and tried again next run; a transient failure ends the run.
    /// </summary>
    private async Task CopyAsync<T>(LinkKind kind, string what, IAsyncEnumerable<T> found, Func<T, string> idOf, Func<T, string> parentOf,
        Func<T, RecordRef, CancellationToken, Task<string>> copy, CancellationToken cancellationToken)
    {
        var items = await found.ToListAsync(cancellationToken);
        var todo = await UnlinkedAsync(kind, [.. items.Select(idOf)], cancellationToken);
        var fresh = items.Where(i => todo.Contains(idOf(i))).ToList();
        var parents = await ParentLinksAsync(fresh.Select(parentOf), cancellationToken);
        var pending = fresh.Where(i => parents.ContainsKey(parentOf(i))).ToList();
        foreach (var batch in pending.Chunk(LinkBatch))
        {
            var links = new ConcurrentBag<Link>();
            try
            {
                await Parallel.ForEachAsync(batch.GroupBy(parentOf, StringComparer.Ordinal),
                    new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                    async (group, ct) =>
                    {
                        var parent = new RecordRef(_to.Entity, parents[group.Key]);
                        foreach (var item in group)
                        {
                            try
                            {
                                var copied = await copy(item, parent, ct);
                                links.Add(Link.Between(kind, from.Side, idOf(item), copied));
                                context.Logger.LogInformation("{What} on {FromEntity} {FromId} → {ToEntity} {ToId} copied", what, from.Entity, group.Key, _to.Entity, parent.Id);
                            }
                            catch (ConnectorException ex) when (ex.Kind != FailureKind.Transient)
                            {
                                context.Tally.Note(from.ErrorId(group.Key), $"A {what.ToLowerInvariant()} could not be copied: {ex.Message}");
                            }
                        }
                    });
            }
            finally
            {
                // Even when a copy failed the run, the others were made: link them, or the next run makes them again.
                await context.State.SaveLinksAsync(context.IntegrationId, [.. links], CancellationToken.None);
            }
        }
    }

    /// <summary>The ids of <paramref name="ids"/> that are linked on neither side: not copied yet, and not copies we made.</summary>
    private async Task<HashSet<string>> UnlinkedAsync(LinkKind kind, List<string> ids, CancellationToken cancellationToken)
    {
        var todo = ids.ToHashSet(StringComparer.Ordinal);
        if (todo.Count == 0)
        {
            return todo;
        }

        foreach (var side in new[] { Side.Source, Side.Target })
        {
            var links = await context.State.FindLinksAsync(context.IntegrationId, kind, side, todo, cancellationToken);
            todo.ExceptWith(links.Select(l => l.IdOn(side)));
        }

        return todo;
    }

    /// <summary>Parent id on this side → linked id on the other, for the parents that are linked.</summary>
    private async Task<Dictionary<string, string>> ParentLinksAsync(IEnumerable<string> parentIds, CancellationToken cancellationToken)
    {
        var ids = parentIds.ToHashSet(StringComparer.Ordinal);
        var links = ids.Count == 0 ? [] : await context.State.FindLinksAsync(context.IntegrationId, LinkKind.Record, from.Side, ids, cancellationToken);
        return links.ToDictionary(l => l.IdOn(from.Side), l => l.IdOn(_to.Side), StringComparer.Ordinal);
    }
}
