using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Read;

namespace PluginHub.Connectors.Jira.Webhooks;

/// <summary>
/// Verifies a Jira webhook delivery (<c>X-Hub-Signature: sha256=</c> HMAC of the raw body, compared in constant time) and
/// turns it into change notices: the issue's id and key, who acted, and whether the issue was deleted. No I/O, never throws
/// for a bad delivery.
/// </summary>
internal static class WebhookParser
{
    public static WebhookParseResult Parse(WebhookRequest request, WebhookVerification verification)
    {
        var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
        if (verification.Secret is { Length: > 0 } secret && !SignatureMatches(request.Body.Span, headers.GetValueOrDefault("X-Hub-Signature"), secret))
        {
            return Rejected("The X-Hub-Signature does not match the body signed with the webhook secret.");
        }

        JsonNode? payload;
        try
        {
            payload = JsonNode.Parse(request.Body.Span);
        }
        catch (JsonException)
        {
            return Rejected("The delivery is not JSON.");
        }

        var deliveryId = headers.GetValueOrDefault("X-Atlassian-Webhook-Identifier");
        var webhookEvent = (string?)payload?["webhookEvent"] ?? "";
        var issue = payload?["issue"] as JsonObject;
        var id = (string?)issue?["id"] ?? IssueIdFromCommentSelf((string?)payload?["comment"]?["self"]);
        if (id is null)
        {
            // Not about an issue (a project, a version…): accepted, nothing to re-read.
            return new WebhookParseResult { Accepted = true, DeliveryId = deliveryId };
        }

        var actor = payload?["user"] as JsonObject ?? payload?["comment"]?["updateAuthor"] as JsonObject ?? payload?["comment"]?["author"] as JsonObject;
        var entity = (string?)issue?["fields"]?["issuetype"]?["name"] ?? "";
        var notice = new ChangeNotice(new RecordRef(entity, id) { DisplayKey = (string?)issue?["key"] }, Deleted: webhookEvent == "jira:issue_deleted")
        {
            ActingUser = actor is null ? null : FieldReader.User(actor),
        };
        return new WebhookParseResult { Accepted = true, DeliveryId = deliveryId, Notices = [notice] };
    }

    private static bool SignatureMatches(ReadOnlySpan<byte> body, string? header, string secret)
    {
        const string Prefix = "sha256=";
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(Prefix.Length).Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Older Server comment payloads carry no issue: its id is in the comment's URL (…/issue/10001/comment/10100).</summary>
    private static string? IssueIdFromCommentSelf(string? self)
    {
        var segments = self?.Split('/') ?? [];
        var at = Array.IndexOf(segments, "issue");
        return at >= 0 && at + 1 < segments.Length ? segments[at + 1] : null;
    }

    private static WebhookParseResult Rejected(string reason) => new() { Accepted = false, RejectionReason = reason };
}
