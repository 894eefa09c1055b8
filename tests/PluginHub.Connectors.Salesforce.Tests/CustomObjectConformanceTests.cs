using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Conformance;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>An org with an admin-defined object, <c>Ticket__c</c>, with a text field, a picklist and an external-id key.</summary>
public sealed class CustomObjectSandbox : SalesforceSandbox
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AdminAsync("objects", new { name = "Ticket__c", label = "Ticket" });
        await AdminAsync("objects/Ticket__c/fields", new { name = "Summary__c", type = "string", length = 255 });
        await AdminAsync("objects/Ticket__c/fields", new { name = "Severity__c", type = "picklist", picklistValues = new[] { "S1", "S2", "S3" }, restricted = true });
        await AdminAsync("objects/Ticket__c/fields", new { name = "External_Key__c", type = "string", length = 80, externalId = true, unique = true });
    }
}

/// <summary>The conformance suite on a custom object: nothing in the connector is specific to Case.</summary>
public sealed class CustomObjectConformanceTests(CustomObjectSandbox sandbox, ITestOutputHelper output)
    : ConnectorConformanceTests(output), IClassFixture<CustomObjectSandbox>
{
    protected override IConnectorFactory Factory { get; } = new SalesforceConnectorFactory();

    protected override JsonElement GoodSettings => sandbox.Settings();

    protected override JsonElement WrongCredentialSettings => sandbox.Settings(("securityToken", "WRONG"));

    protected override JsonElement UnreachableSettings => sandbox.Settings(("loginUrl", "http://127.0.0.1:9"));

    protected override string Entity => "Ticket__c";

    protected override string TextField => "Summary__c";

    protected override string MissingId => SalesforceSandbox.MissingId("a0A");

    protected override CorrelationLocation Correlation => new("External_Key__c", null);

    protected override string? UpsertKeyField => "External_Key__c";

    protected override IReadOnlyDictionary<string, FieldValue> NewRecord(string text) => new Dictionary<string, FieldValue>
    {
        ["Summary__c"] = new TextValue(text),
        ["Severity__c"] = new ChoiceValue("S2", "S2"),
    };

    protected override async Task<WebhookVerification> ArrangeDeliveriesAsync(Uri listener, string secret, CancellationToken cancellationToken)
    {
        await sandbox.AdminAsync("outbound-messages", new { @object = "Ticket__c", fields = new[] { "Id" }, url = listener.ToString(), retryBaseMs = 50 });
        return new WebhookVerification { Expected = new Dictionary<string, string> { ["organizationId"] = await sandbox.OrganizationIdAsync(Output) } };
    }
}
