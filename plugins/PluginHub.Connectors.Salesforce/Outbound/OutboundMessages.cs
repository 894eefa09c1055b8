using System.Xml;
using System.Xml.Linq;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Salesforce.Outbound;

/// <summary>
/// Salesforce outbound messages (reference §9.1): admins set them up in Setup, so registration is a set of instructions; a
/// delivery is a SOAP envelope of up to 100 notifications, verified by the organisation id and answered with an acknowledgement.
/// Only record ids leave this class: the field values a message carries are never read.
/// </summary>
internal static class OutboundMessages
{
    public const string OrganizationIdKey = "organizationId";

    private static readonly XNamespace Outbound = "http://soap.sforce.com/2005/09/outbound";
    private static readonly XNamespace Sf = "urn:sobject.enterprise.soap.sforce.com";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    private const string Ack = """<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>""";

    /// <summary>Step-by-step set-up for an admin, naming the object, the URL and (when known) the organisation id to verify against.</summary>
    public static string Instructions(WebhookRegistration registration, string? organizationId) =>
        $"""
        Salesforce outbound messages are configured in Setup; PluginHub cannot create them through the REST API.
        1. In Salesforce Setup, open Process Automation > Outbound Messages (Workflow Actions) and click New Outbound Message.
        2. Object: {registration.Entity}. Name: {registration.Name}.
        3. Endpoint URL: {registration.Url}
        4. User to send as: the integration user of this connection. Leave "Send Session ID" unchecked.
        5. Fields to send: Id only (PluginHub re-reads the record; no other values are needed), then Save.
        6. Create a record-triggered Flow on {registration.Entity} (when a record is created or updated, after save) whose action is
           the outbound message {registration.Name}, and activate it.
        7. Deliveries are verified by organisation id{(organizationId is null ? string.Empty : $" ({organizationId})")}; a message from another org is refused.
        Polling keeps running: outbound messages only make changes arrive sooner, and a lost message loses nothing.
        """;

    public static WebhookParseResult Parse(WebhookRequest request, WebhookVerification verification)
    {
        if (!verification.Expected.TryGetValue(OrganizationIdKey, out var expectedOrg) || string.IsNullOrWhiteSpace(expectedOrg))
        {
            return Reject("No organization id is configured to verify outbound messages against.");
        }

        XDocument doc;
        try
        {
            using var stream = new MemoryStream(request.Body.ToArray());
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            doc = XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return Reject("The body is not a SOAP outbound message.");
        }

        var notifications = doc.Descendants(Outbound + "notifications").FirstOrDefault();
        if (notifications is null)
        {
            return Reject("The body is not a SOAP outbound message.");
        }

        var org = notifications.Element(Outbound + "OrganizationId")?.Value.Trim();
        if (!SameOrganization(org, expectedOrg))
        {
            return Reject("The message comes from another Salesforce organization.");
        }

        var notices = new List<ChangeNotice>();
        var ids = new List<string>();
        foreach (var n in notifications.Elements(Outbound + "Notification"))
        {
            var sobject = n.Element(Outbound + "sObject");
            var recordId = sobject?.Element(Sf + "Id")?.Value.Trim();
            var type = sobject?.Attribute(Xsi + "type")?.Value;
            if (recordId is null || type is null)
            {
                continue;
            }

            if (n.Element(Outbound + "Id")?.Value.Trim() is { Length: > 0 } notificationId)
            {
                ids.Add(notificationId);
            }

            var entity = type.Contains(':', StringComparison.Ordinal) ? type[(type.IndexOf(':', StringComparison.Ordinal) + 1)..] : type;
            var actor = sobject!.Element(Sf + "LastModifiedById")?.Value.Trim();
            notices.Add(new ChangeNotice(new RecordRef(entity, recordId)) { ActingUser = string.IsNullOrEmpty(actor) ? null : new UserRef(actor, null, null) });
        }

        return new WebhookParseResult
        {
            Accepted = true,
            DeliveryId = ids.Count == 0 ? null : string.Join(',', ids),
            Notices = notices,
            Acknowledgement = new WebhookResponse(200, "text/xml; charset=utf-8", Ack),
        };
    }

    /// <summary>Org ids compare on their case-sensitive 15-character form, so a 15- or 18-character expectation both work.</summary>
    private static bool SameOrganization(string? actual, string expected) =>
        actual is { Length: >= 15 } && expected.Trim() is { Length: >= 15 } e && string.Equals(actual[..15], e[..15], StringComparison.Ordinal);

    private static WebhookParseResult Reject(string reason) => new() { Accepted = false, RejectionReason = reason };
}
