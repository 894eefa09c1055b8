using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Conformance;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>The connector conformance suite against the Salesforce sandbox, on Case.</summary>
public sealed class SalesforceConformanceTests(SalesforceSandbox sandbox, ITestOutputHelper output)
    : ConnectorConformanceTests(output), IClassFixture<SalesforceSandbox>
{
    protected override IConnectorFactory Factory { get; } = new SalesforceConnectorFactory();

    protected override JsonElement GoodSettings => sandbox.Settings();

    protected override JsonElement WrongCredentialSettings => sandbox.Settings(("password", "wrong-password"));

    protected override JsonElement UnreachableSettings => sandbox.Settings(("loginUrl", "http://127.0.0.1:9"));

    protected override string Entity => "Case";

    protected override string TextField => "Subject";

    protected override string MissingId => SalesforceSandbox.MissingId("500");

    protected override CorrelationLocation Correlation => new("Jira_Key__c", null);

    protected override string? UpsertKeyField => "Jira_Key__c";

    protected override IReadOnlyDictionary<string, FieldValue> NewRecord(string text) => new Dictionary<string, FieldValue>
    {
        ["Subject"] = new TextValue(text),
        ["Status"] = new ChoiceValue("New", "New"),
        ["Origin"] = new ChoiceValue("Web", "Web"),
    };

    protected override async Task<WebhookVerification> ArrangeDeliveriesAsync(Uri listener, string secret, CancellationToken cancellationToken)
    {
        await sandbox.AdminAsync("outbound-messages", new { @object = "Case", fields = new[] { "Id" }, url = listener.ToString(), retryBaseMs = 50 });
        return new WebhookVerification { Expected = new Dictionary<string, string> { ["organizationId"] = await sandbox.OrganizationIdAsync(Output) } };
    }
}
