using PluginHub.Connectors.Abstractions;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>describeGlobal and describe mapped onto the contract's schema, for standard and custom objects.</summary>
public sealed class DescribeTests(SalesforceSandbox sandbox, ITestOutputHelper output) : IClassFixture<SalesforceSandbox>
{
    [Fact]
    public async Task Case_fields_map_onto_types_flags_and_allowed_values()
    {
        await using var connector = sandbox.Connect(output);

        var schema = await connector.DescribeEntityAsync("case", null, CancellationToken.None);
        FieldSchema F(string name) => schema.Fields.Single(f => f.Name == name);

        Assert.Equal(("Case", "Id", "SystemModstamp"), (schema.Name, schema.KeyField, schema.CursorField));
        Assert.Equal(FieldType.Choice, F("Status").Type);
        Assert.Equal(["New", "Working", "Escalated", "Closed"], F("Status").AllowedValues.Select(v => v.Key));
        Assert.Equal("closed", F("Status").AllowedValues.Single(v => v.Key == "Closed").Category);
        Assert.Equal("open", F("Status").AllowedValues.Single(v => v.Key == "New").Category);
        Assert.Equal(FieldType.User, F("OwnerId").Type);
        Assert.Contains("User", F("OwnerId").ReferenceTo);
        Assert.Equal(FieldType.Link, F("ContactId").Type);
        Assert.True(F("Jira_Key__c").CanHoldCorrelationId);
        Assert.True(F("Jira_Key__c").IsCustom);
        Assert.False(F("Subject").CanHoldCorrelationId);
        Assert.True(F("CaseNumber").ReadOnly);
        Assert.True(F("IsClosed").ReadOnly);
        Assert.False(F("Subject").Required);
        Assert.Equal(255, F("Subject").MaxLength);
        Assert.Equal(FieldType.DateTime, F("SystemModstamp").Type);
        Assert.Equal(FieldType.Boolean, F("IsEscalated").Type);
        Assert.False(F("IsEscalated").Required); // defaulted on create
    }

    [Fact]
    public async Task Custom_objects_are_listed_and_described()
    {
        await sandbox.AdminAsync("objects", new { name = "Ticket__c", label = "Ticket" });
        await sandbox.AdminAsync("objects/Ticket__c/fields", new { name = "Severity__c", type = "picklist", picklistValues = new[] { "S1", "S2" }, restricted = true });
        await sandbox.AdminAsync("objects/Ticket__c/fields", new { name = "External__c", type = "string", length = 80, externalId = true, unique = true });
        await sandbox.AdminAsync("objects/Ticket__c/fields", new { name = "Code__c", type = "string", length = 10, required = true });
        await sandbox.AdminAsync("objects/Ticket__c/fields", new { name = "Hours__c", type = "double", precision = 5, scale = 2 });
        await using var connector = sandbox.Connect(output);

        var entities = await connector.ListEntitiesAsync(null, CancellationToken.None);
        var schema = await connector.DescribeEntityAsync("Ticket__c", null, CancellationToken.None);
        FieldSchema F(string name) => schema.Fields.Single(f => f.Name == name);

        Assert.True(entities.Single(e => e.Name == "Ticket__c").IsCustom);
        Assert.False(entities.Single(e => e.Name == "Case").IsCustom);
        Assert.True(schema.IsCustom);
        Assert.Equal(["S1", "S2"], F("Severity__c").AllowedValues.Select(v => v.Key));
        Assert.True(F("External__c").CanHoldCorrelationId);
        Assert.True(F("Code__c").Required);
        Assert.Equal(FieldType.Decimal, F("Hours__c").Type);
        Assert.Equal(FieldType.User, F("OwnerId").Type);
        Assert.True(F("Name").Type == FieldType.Text);
    }
}
