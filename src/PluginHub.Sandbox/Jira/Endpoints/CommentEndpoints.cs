using System.Text.Json.Nodes;
using PluginHub.Sandbox.Jira.Issues;
using PluginHub.Sandbox.Jira.Model;

namespace PluginHub.Sandbox.Jira.Endpoints;

/// <summary>Comments (reference §5.1): v2 wiki text, v3 ADF; paging and <c>orderBy</c>.</summary>
internal static class CommentEndpoints
{
    public static void Map(IEndpointRouteBuilder api, string version)
    {
        api.MapGet("/issue/{issueIdOrKey}/comment", JiraCall.Handle(version, ListAsync));
        api.MapPost("/issue/{issueIdOrKey}/comment", JiraCall.Handle(version, AddAsync));
        api.MapGet("/issue/{issueIdOrKey}/comment/{id}", JiraCall.Handle(version, GetAsync));
        api.MapPut("/issue/{issueIdOrKey}/comment/{id}", JiraCall.Handle(version, UpdateAsync));
        api.MapDelete("/issue/{issueIdOrKey}/comment/{id}", JiraCall.Handle(version, DeleteAsync));
    }

    private static bool RenderedBody(JiraCall call) => call.QueryList("expand").Contains("renderedBody");

    private static Task ListAsync(JiraCall call)
    {
        var orderBy = call.Query("orderBy") ?? "created";
        if (orderBy is not ("created" or "-created" or "+created"))
        {
            throw new JiraError(400, $"The value '{orderBy}' is not a valid orderBy value. Valid values are 'created', '-created' and '+created'.");
        }

        JsonObject result;
        lock (call.Store.Gate)
        {
            var issue = call.Issue(call.Route("issueIdOrKey"));
            IEnumerable<JiraComment> comments = issue.Comments ?? [];
            if (orderBy == "-created")
            {
                comments = comments.Reverse();
            }

            var all = comments.ToList();
            var startAt = Math.Max(0, call.QueryInt("startAt", 0));
            // Cloud pages by 100 by default (capped at 5000); Server returns everything and echoes maxResults = total.
            var maxResults = call.Store.IsCloud
                ? Math.Clamp(call.QueryInt("maxResults", 100), 0, 5000)
                : call.QueryInt("maxResults", all.Count);
            var page = all.Skip(startAt).Take(maxResults).ToList();
            result = call.Json.CommentPage(issue, page, startAt, maxResults, all.Count, RenderedBody(call));
        }

        return call.OkAsync(result);
    }

    private static JiraComment Find(JiraIssue issue, string id) =>
        issue.Comments?.Find(c => Rendering.JiraJson.Id(c.Id) == id) ?? throw new JiraError(404, $"Can not find a comment for the id: {id}.");

    private static async Task AddAsync(JiraCall call)
    {
        var user = call.RequireUser();
        var body = await call.ReadObjectAsync();
        JsonObject result;
        lock (call.Store.Gate)
        {
            var issue = call.IssueForWrite(call.Route("issueIdOrKey"));
            var writer = new IssueWriter(call.Store, user, call.IsV3);
            var text = writer.ParseCommentBody(body["body"]);
            var comment = writer.AddComment(issue, text, body["visibility"], call.Store.NowMs());
            call.Webhooks.IssueEvent(call, "jira:issue_updated", "issue_commented", issue, null, comment);
            call.Webhooks.CommentEvent(call, "comment_created", issue, comment);
            result = call.Json.Comment(issue, comment, RenderedBody(call));
        }

        await call.WriteAsync(201, result);
    }

    private static Task GetAsync(JiraCall call)
    {
        JsonObject result;
        lock (call.Store.Gate)
        {
            var issue = call.Issue(call.Route("issueIdOrKey"));
            result = call.Json.Comment(issue, Find(issue, call.Route("id")), RenderedBody(call));
        }

        return call.OkAsync(result);
    }

    private static async Task UpdateAsync(JiraCall call)
    {
        var user = call.RequireUser();
        var body = await call.ReadObjectAsync();
        JsonObject result;
        lock (call.Store.Gate)
        {
            var issue = call.IssueForWrite(call.Route("issueIdOrKey"));
            var comment = Find(issue, call.Route("id"));
            var writer = new IssueWriter(call.Store, user, call.IsV3);
            var text = writer.ParseCommentBody(body["body"]);
            writer.UpdateComment(issue, comment, text, body["visibility"], call.Store.NowMs());
            call.Webhooks.IssueEvent(call, "jira:issue_updated", "issue_comment_edited", issue, null, comment);
            call.Webhooks.CommentEvent(call, "comment_updated", issue, comment);
            result = call.Json.Comment(issue, comment, RenderedBody(call));
        }

        await call.OkAsync(result);
    }

    private static Task DeleteAsync(JiraCall call)
    {
        call.RequireUser();
        lock (call.Store.Gate)
        {
            var issue = call.IssueForWrite(call.Route("issueIdOrKey"));
            var comment = Find(issue, call.Route("id"));
            issue.Comments!.Remove(comment);
            call.Store.CommentIssue.Remove(comment.Id);
            call.Store.Touch(issue, call.Store.NowMs());
            call.Webhooks.IssueEvent(call, "jira:issue_updated", "issue_comment_deleted", issue, null, comment);
            call.Webhooks.CommentEvent(call, "comment_deleted", issue, comment);
        }

        return call.NoContentAsync();
    }
}
