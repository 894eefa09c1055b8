using System.Text;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Conformance;
using PluginHub.Testing;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>Outbound messages: the SOAP notification is verified by org id, parsed into ids only, and acknowledged.</summary>
public sealed class OutboundMessageTests(SalesforceSandbox sandbox, ITestOutputHelper output) : IClassFixture<SalesforceSandbox>
{
    [Fact]
    public async Task A_real_delivery_gives_record_ids_the_notification_ids_and_the_soap_ack()
    {
        await using var connector = sandbox.Connect(output);
        await using var listener = await DeliveryListener.StartAsync();
        await sandbox.AdminAsync("outbound-messages", new { @object = "Case", fields = new[] { "Subject", "Status", "LastModifiedById" }, url = listener.Url.ToString(), retryBaseMs = 50 });
        var verification = new WebhookVerification { Expected = new Dictionary<string, string> { ["organizationId"] = await sandbox.OrganizationIdAsync(output) } };
        var first = await sandbox.CreateAsync("Case", new { Subject = "secret subject one" });
        var second = await sandbox.CreateAsync("Case", new { Subject = "secret subject two" });

        var delivered = await Poll.UntilAsync(
            () => Task.FromResult(listener.Received.Select(r => connector.Parse(r, verification)).SelectMany(p => p.Notices).Select(n => n.Record.Id).ToHashSet()),
            ids => ids.Contains(first) && ids.Contains(second),
            "both cases are notified");
        var parsed = listener.Received.Select(r => connector.Parse(r, verification)).First(p => p.Notices.Any(n => n.Record.Id == first));

        Assert.True(parsed.Accepted, parsed.RejectionReason);
        Assert.All(parsed.Notices, n => Assert.Equal("Case", n.Record.Entity));
        Assert.All(parsed.Notices, n => Assert.StartsWith("005", n.ActingUser?.Id, StringComparison.Ordinal));
        Assert.All(parsed.DeliveryId!.Split(','), id => Assert.StartsWith("04l", id, StringComparison.Ordinal));
        Assert.DoesNotContain("secret", System.Text.Json.JsonSerializer.Serialize(parsed.Notices), StringComparison.Ordinal);
        Assert.Equal(200, parsed.Acknowledgement!.StatusCode);
        Assert.StartsWith("text/xml", parsed.Acknowledgement.ContentType, StringComparison.Ordinal);
        Assert.Contains("<Ack>true</Ack>", parsed.Acknowledgement.Body, StringComparison.Ordinal);
        Assert.Contains(first, delivered);
    }

    [Theory]
    [InlineData("00D000000000001AAA", "The message comes from another Salesforce organization.")]
    [InlineData(null, "No organization id is configured to verify outbound messages against.")]
    public void Deliveries_from_another_org_or_without_an_expectation_are_rejected_without_throwing(string? expected, string reason)
    {
        var connector = (IWebhookReceiver)new SalesforceConnectorFactory().Create(new ConnectorContext { ConnectionId = "x", Settings = sandbox.Settings(), LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance });

        var result = connector.Parse(Request(Envelope("00D5g000004ZkQeEAK", ("04l000000000001AAA", "5005g00000Qx7TnAAJ"))), Verification(expected));

        Assert.False(result.Accepted);
        Assert.Equal(reason, result.RejectionReason);
        Assert.Empty(result.Notices);
        Assert.Null(result.Acknowledgement);
    }

    [Theory]
    [InlineData("not xml at all")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")]
    [InlineData("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body/></soapenv:Envelope>")]
    public void Bodies_that_are_not_outbound_messages_are_rejected(string body)
    {
        var connector = (IWebhookReceiver)new SalesforceConnectorFactory().Create(new ConnectorContext { ConnectionId = "x", Settings = sandbox.Settings(), LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance });

        var result = connector.Parse(Request(body), Verification("00D5g000004ZkQeEAK"));

        Assert.False(result.Accepted);
        Assert.Empty(result.Notices);
    }

    [Fact]
    public void Several_notifications_and_a_15_character_org_id_are_accepted()
    {
        var connector = (IWebhookReceiver)new SalesforceConnectorFactory().Create(new ConnectorContext { ConnectionId = "x", Settings = sandbox.Settings(), LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance });

        var result = connector.Parse(Request(Envelope("00D5g000004ZkQeEAK", ("04l000000000001AAA", "5005g00000Qx7TnAAJ"), ("04l000000000002AAA", "5005g00000Qx7ToAAJ"))), Verification("00D5g000004ZkQe"));

        Assert.True(result.Accepted, result.RejectionReason);
        Assert.Equal(["5005g00000Qx7TnAAJ", "5005g00000Qx7ToAAJ"], result.Notices.Select(n => n.Record.Id));
        Assert.Equal("04l000000000001AAA,04l000000000002AAA", result.DeliveryId);
    }

    [Fact]
    public async Task Registration_is_manual_with_step_by_step_instructions()
    {
        await using var connector = sandbox.Connect(output);
        var registration = new WebhookRegistration { Name = "pluginhub-cases", Url = new Uri("https://hub.example.com/hooks/salesforce/42"), Entity = "Case" };

        var result = await connector.EnsureRegisteredAsync(registration, CancellationToken.None);

        Assert.Null(result.RemoteId);
        Assert.Contains("https://hub.example.com/hooks/salesforce/42", result.ManualSetup, StringComparison.Ordinal);
        Assert.Contains("Outbound Message", result.ManualSetup, StringComparison.Ordinal);
        Assert.Contains(await sandbox.OrganizationIdAsync(output), result.ManualSetup, StringComparison.Ordinal);
    }

    private static WebhookVerification Verification(string? org) =>
        new() { Expected = org is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["organizationId"] = org } };

    private static WebhookRequest Request(string body) => new()
    {
        Method = "POST",
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "text/xml; charset=utf-8", ["SOAPAction"] = "\"\"" },
        Body = Encoding.UTF8.GetBytes(body),
    };

    private static string Envelope(string org, params (string Notification, string Record)[] notifications) =>
        $"""
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>
        <notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>{org}</OrganizationId><ActionId>04k5g0000000AbCAAU</ActionId><SessionId xsi:nil="true"/>
        {string.Concat(notifications.Select(n => $"<Notification><Id>{n.Notification}</Id><sObject xsi:type=\"sf:Case\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\"><sf:Id>{n.Record}</sf:Id><sf:Subject>private</sf:Subject></sObject></Notification>"))}
        </notifications></soapenv:Body></soapenv:Envelope>
        """;
}
