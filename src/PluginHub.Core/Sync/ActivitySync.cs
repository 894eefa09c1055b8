using System.Globalization;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Text;
using PluginHub.Core.Integrations.Definitions;

namespace PluginHub.Core.Sync;

/// <summary>
/// Copies comments and files of linked records from one side to the other. Each copy is linked, so a comment or file is
/// never copied twice and never copied back. Parents are all linked records, listed in bulk: a file added in Salesforce
/// does not change its Case, so it can only be found this way.
/// </summary>
public sealed class ActivitySync(SyncContext context, SyncSide from)
{
    /// <summary>How far before the last run's start activity is listed again, for clock skew and late commits.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(2);

    private readonly SyncSide _to = context.Other(from);

    /// <summary>Copies new comments and files.</summary>
    /// <param name="newLinks">Links created in this run: all their activity is copied, whatever its age.</param>
    /// <param name="runStarted">When this run started; the next run lists activity from shortly before it.</param>
    /// <param name="cancellationToken">Stops between items.</param>
    public async Task RunAsync(IReadOnlyList<Link> newLinks, DateTimeOffset runStarted, CancellationToken cancellationToken)
    {
        var comments = Enabled(context.Definition.Comments) && from.Connector is ICommentStore && _to.Connector is ICommentStore;
        var files = Enabled(context.Definition.Attachments) && from.Connector is IAttachmentStore && _to.Connector is IAttachmentStore;
        if (!comments && !files)
        {
            return;
        }

        var key = (from.Side == Side.Source ? "toTarget" : "toSource") + ":activity";
        var last = await context.State.GetWatermarkAsync(context.IntegrationId, key, cancellationToken);
        var since = last is null ? runStarted : DateTimeOffset.Parse(last, CultureInfo.InvariantCulture) - Overlap;
        var newIds = newLinks.Select(l => l.IdOn(from.Side)).ToHashSet(StringComparer.Ordinal);
        var linked = await context.State.ListLinkedIdsAsync(context.IntegrationId, LinkKind.Record, from.Side, cancellationToken);
        var older = linked.Where(id => !newIds.Contains(id)).ToList();

        if (comments)
        {
            await CopyCommentsAsync([.. newIds], since: null, cancellationToken);
            await CopyCommentsAsync(older, since, cancellationToken);
        }

        if (files)
        {
            await CopyFilesAsync([.. newIds], since: null, cancellationToken);
            await CopyFilesAsync(older, since, cancellationToken);
        }

        await context.State.SaveWatermarkAsync(context.IntegrationId, key, runStarted.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
    }

    private bool Enabled(ActivityOptions options) =>
        options.Enabled
        && (options.Direction == FlowDirection.Both || options.Direction == (from.Side == Side.Source ? FlowDirection.ToTarget : FlowDirection.ToSource))
        && (from.Side == Side.Source || context.Definition.Direction == SyncDirection.Bidirectional);

    private async Task CopyCommentsAsync(IReadOnlyList<string> parents, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        if (parents.Count == 0)
        {
            return;
        }

        var source = (ICommentStore)from.Connector;
        var target = (ICommentStore)_to.Connector;
        var found = await source.ListCommentsAsync(from.Entity, parents, since, cancellationToken).ToListAsync(cancellationToken);
        var todo = await UnlinkedAsync(LinkKind.Comment, found.Select(c => c.Id).ToList(), cancellationToken);
        var parentLinks = await ParentLinksAsync(found.Where(c => todo.Contains(c.Id)).Select(c => c.Parent.Id), cancellationToken);
        foreach (var comment in found.Where(c => todo.Contains(c.Id)))
        {
            var parent = new RecordRef(_to.Entity, parentLinks[comment.Parent.Id]);
            var author = comment.Author?.DisplayName ?? comment.Author?.Email ?? "Someone";
            var body = new RichTextValue(RichTextFormat.Plain, $"{author} wrote:\n{PlainText.Of(comment.Body)}");
            try
            {
                var added = await target.AddCommentAsync(parent, new NewComment(body, comment.IsPublic), cancellationToken);
                await context.State.SaveLinksAsync(context.IntegrationId, [NewLink(LinkKind.Comment, comment.Id, added.Id)], cancellationToken);
                context.Logger.LogInformation("Comment on {FromEntity} {FromId} → {ToEntity} {ToId} copied", from.Entity, comment.Parent.Id, _to.Entity, parent.Id);
            }
            catch (ConnectorException ex) when (ex.Kind != FailureKind.Transient)
            {
                context.Tally.Note(from.ErrorId(comment.Parent.Id), $"A comment could not be copied: {ex.Message}");
            }
        }
    }

    private async Task CopyFilesAsync(IReadOnlyList<string> parents, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        if (parents.Count == 0)
        {
            return;
        }

        var source = (IAttachmentStore)from.Connector;
        var target = (IAttachmentStore)_to.Connector;
        var found = await source.ListAttachmentsAsync(from.Entity, parents, since, cancellationToken).ToListAsync(cancellationToken);
        var todo = await UnlinkedAsync(LinkKind.Attachment, found.Select(a => a.Id).ToList(), cancellationToken);
        var parentLinks = await ParentLinksAsync(found.Where(a => todo.Contains(a.Id)).Select(a => a.Parent.Id), cancellationToken);
        foreach (var file in found.Where(a => todo.Contains(a.Id)))
        {
            var parent = new RecordRef(_to.Entity, parentLinks[file.Parent.Id]);
            try
            {
                await using var content = await source.OpenReadAsync(file, cancellationToken);
                var uploaded = await target.UploadAsync(parent, file.FileName, file.ContentType, content, cancellationToken);
                await context.State.SaveLinksAsync(context.IntegrationId, [NewLink(LinkKind.Attachment, file.Id, uploaded.Id)], cancellationToken);
                context.Logger.LogInformation("File on {FromEntity} {FromId} → {ToEntity} {ToId} copied", from.Entity, file.Parent.Id, _to.Entity, parent.Id);
            }
            catch (ConnectorException ex) when (ex.Kind != FailureKind.Transient)
            {
                context.Tally.Note(from.ErrorId(file.Parent.Id), $"A file could not be copied: {ex.Message}");
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

    private async Task<Dictionary<string, string>> ParentLinksAsync(IEnumerable<string> parentIds, CancellationToken cancellationToken)
    {
        var ids = parentIds.ToHashSet(StringComparer.Ordinal);
        var links = ids.Count == 0 ? [] : await context.State.FindLinksAsync(context.IntegrationId, LinkKind.Record, from.Side, ids, cancellationToken);
        return links.ToDictionary(l => l.IdOn(from.Side), l => l.IdOn(_to.Side), StringComparer.Ordinal);
    }

    private Link NewLink(LinkKind kind, string fromId, string toId) => Link.Between(kind, from.Side, fromId, toId);
}
