using System.Text.Json.Nodes;
using PluginHub.Sandbox.Jira.Model;

namespace PluginHub.Sandbox.Jira.Endpoints;

/// <summary>Attachments (reference §5.2): multipart upload guarded by the XSRF header, metadata, download, delete, limits.</summary>
internal static class AttachmentEndpoints
{
    public const int MaxFilesPerRequest = 60;

    public static void Map(IEndpointRouteBuilder api, string version)
    {
        api.MapPost("/issue/{issueIdOrKey}/attachments", JiraCall.Handle(version, UploadAsync));
        api.MapGet("/attachment/meta", JiraCall.Handle(version, MetaAsync));
        api.MapGet("/attachment/{id}", JiraCall.Handle(version, GetAsync));
        api.MapDelete("/attachment/{id}", JiraCall.Handle(version, DeleteAsync));
        api.MapGet("/attachment/content/{id}", JiraCall.Handle(version, ContentAsync));
        api.MapGet("/attachment/thumbnail/{id}", JiraCall.Handle(version, DownloadAsync));
    }

    /// <summary>A 1×1 transparent PNG: avatars, icons and thumbnails the responses link to resolve to an image.</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>The avatar and icon URLs of rendered users, projects, issue types, statuses and priorities.</summary>
    public static void MapImages(IEndpointRouteBuilder app)
    {
        foreach (var path in new[] { "/secure/useravatar", "/secure/viewavatar", "/images/icons/{**icon}" })
        {
            app.MapGet(path, () => Results.Bytes(Pixel, "image/png"));
        }
    }

    /// <summary>Server streams the bytes from <c>/secure/attachment/{id}/{filename}</c>.</summary>
    public static void MapSecure(IEndpointRouteBuilder app)
    {
        app.MapGet("/secure/attachment/{id}/{filename}", JiraCall.Handle("2", DownloadAsync));
        app.MapGet("/secure/thumbnail/{id}/{filename}", JiraCall.Handle("2", DownloadAsync));
    }

    /// <summary>Cloud's media service: the signed URL of the 303 works without credentials (HTTP clients drop them on redirects).</summary>
    public static void MapMedia(IEndpointRouteBuilder app) =>
        app.MapGet("/media/file/{id}/binary", async (HttpContext http, JiraStore store, string id, string? token) =>
        {
            JiraAttachment? attachment;
            lock (store.Gate)
            {
                attachment = int.TryParse(id, out var n) && store.Attachments.GetValueOrDefault(n) is { } a
                    && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                        System.Text.Encoding.ASCII.GetBytes(store.MediaToken(a.Id)), System.Text.Encoding.ASCII.GetBytes(token ?? ""))
                    ? a : null;
            }

            var result = attachment is null ? Results.NotFound() : Results.Bytes(attachment.Content, attachment.MimeType, enableRangeProcessing: true);
            await result.ExecuteAsync(http);
        });

    private static async Task UploadAsync(JiraCall call)
    {
        var user = call.RequireUser();
        var token = call.Http.Request.Headers["X-Atlassian-Token"].ToString();
        if (!string.Equals(token, "no-check", StringComparison.OrdinalIgnoreCase) && !string.Equals(token, "nocheck", StringComparison.OrdinalIgnoreCase))
        {
            // Jira's XSRF filter answers in plain text, before the REST layer.
            call.Http.Response.StatusCode = 403;
            call.Http.Response.ContentType = "text/plain;charset=UTF-8";
            await call.Http.Response.WriteAsync("XSRF check failed");
            return;
        }

        if (!call.Http.Request.HasFormContentType)
        {
            throw new JiraError(415, "Unsupported Media Type");
        }

        var form = await call.Http.Request.ReadFormAsync(call.Http.RequestAborted);
        var files = form.Files.GetFiles("file");
        if (files.Count > MaxFilesPerRequest)
        {
            throw new JiraError(413, $"You can attach at most {MaxFilesPerRequest} files at once.");
        }

        var limit = call.Store.AttachmentUploadLimit;
        if (files.FirstOrDefault(f => f.Length > limit) is { } tooLarge)
        {
            throw new JiraError(413, $"The file '{tooLarge.FileName}' exceeds the maximum attachment size of {limit} bytes.");
        }

        var uploads = new List<(string Name, string Mime, byte[] Bytes)>();
        foreach (var file in files)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, call.Http.RequestAborted);
            uploads.Add((file.FileName, string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType, buffer.ToArray()));
        }

        var result = new JsonArray();
        lock (call.Store.Gate)
        {
            var issue = call.IssueForWrite(call.Route("issueIdOrKey"));
            var now = call.Store.NowMs();
            var items = new List<ChangeItem>();
            foreach (var (name, mime, bytes) in uploads)
            {
                var attachment = new JiraAttachment(call.Store.NextAttachmentId(), issue.Id, name, user.Index, now, mime, bytes);
                call.Store.Attachments[attachment.Id] = attachment;
                (issue.AttachmentIds ??= []).Add(attachment.Id);
                items.Add(new ChangeItem("Attachment", "jira", "attachment", null, null, Rendering.JiraJson.Id(attachment.Id), name));
                result.Add(call.Json.Attachment(attachment));
                if (call.Store.IsCloud)
                {
                    call.Webhooks.AttachmentEvent(call, "attachment_created", attachment);
                }
            }

            if (items.Count > 0)
            {
                var history = new ChangeHistory(call.Store.NextHistoryId(), user.Index, now, items, null);
                (issue.History ??= []).Add(history);
                call.Store.Touch(issue, now);
                call.Webhooks.IssueEvent(call, "jira:issue_updated", "issue_updated", issue, history);
            }
        }

        await call.OkAsync(result);
    }

    private static Task MetaAsync(JiraCall call) =>
        call.OkAsync(new JsonObject { ["enabled"] = true, ["uploadLimit"] = call.Store.AttachmentUploadLimit });

    private static JiraAttachment Find(JiraCall call, string id) =>
        (!call.CanBrowse ? null : int.TryParse(id, out var n) ? call.Store.Attachments.GetValueOrDefault(n) : null)
        ?? throw new JiraError(404, $"The attachment with id '{id}' does not exist");

    private static Task GetAsync(JiraCall call)
    {
        JsonObject result;
        lock (call.Store.Gate)
        {
            var attachment = Find(call, call.Route("id"));
            result = call.Json.Attachment(attachment);
            if (call.Store.IsCloud)
            {
                // Cloud's GET /attachment/{id} types the id as a number (AttachmentMetadata).
                result["id"] = attachment.Id;
            }
        }

        return call.OkAsync(result);
    }

    private static Task DeleteAsync(JiraCall call)
    {
        var user = call.RequireUser();
        lock (call.Store.Gate)
        {
            var attachment = Find(call, call.Route("id"));
            var issue = call.Store.Issues[attachment.IssueId];
            call.Store.Attachments.Remove(attachment.Id);
            issue.AttachmentIds?.Remove(attachment.Id);
            var now = call.Store.NowMs();
            var history = new ChangeHistory(call.Store.NextHistoryId(), user.Index, now,
                [new ChangeItem("Attachment", "jira", "attachment", Rendering.JiraJson.Id(attachment.Id), attachment.Filename, null, null)], null);
            (issue.History ??= []).Add(history);
            call.Store.Touch(issue, now);
            call.Webhooks.IssueEvent(call, "jira:issue_updated", "issue_updated", issue, history);
            if (call.Store.IsCloud)
            {
                call.Webhooks.AttachmentEvent(call, "attachment_deleted", attachment);
            }
        }

        return call.NoContentAsync();
    }

    /// <summary>Cloud: 303 to the media URL unless <c>redirect=false</c>, then the bytes (with Range support).</summary>
    private static async Task ContentAsync(JiraCall call)
    {
        JiraAttachment attachment;
        lock (call.Store.Gate)
        {
            attachment = Find(call, call.Route("id"));
        }

        if (call.Query("redirect") != "false")
        {
            call.Http.Response.StatusCode = 303;
            string token;
            lock (call.Store.Gate)
            {
                token = call.Store.MediaToken(attachment.Id);
            }

            call.Http.Response.Headers.Location = $"{call.BaseUrl}/media/file/{attachment.Id}/binary?token={token}&name={Uri.EscapeDataString(attachment.Filename)}";
            return;
        }

        await Results.Bytes(attachment.Content, attachment.MimeType, enableRangeProcessing: true).ExecuteAsync(call.Http);
    }

    private static async Task DownloadAsync(JiraCall call)
    {
        JiraAttachment attachment;
        lock (call.Store.Gate)
        {
            attachment = Find(call, call.Route("id"));
        }

        await Results.Bytes(attachment.Content, attachment.MimeType, enableRangeProcessing: true).ExecuteAsync(call.Http);
    }
}
