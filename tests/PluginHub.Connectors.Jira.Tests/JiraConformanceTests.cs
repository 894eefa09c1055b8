using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Conformance;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Jira.Tests;

/// <summary>The connector conformance suite against one flavour of the Jira sandbox.</summary>
public abstract class JiraConformanceTests(JiraSandboxFixture sandbox, ITestOutputHelper output) : ConnectorConformanceTests(output)
{
    protected override IConnectorFactory Factory { get; } = new JiraConnectorFactory();

    protected override JsonElement GoodSettings => sandbox.Settings();

    protected override JsonElement WrongCredentialSettings => sandbox.Settings(token: "wrong-token");

    protected override JsonElement UnreachableSettings => sandbox.Settings(baseUrl: "http://127.0.0.1:9");

    protected override string Entity => "Task";

    protected override IReadOnlyDictionary<string, string>? Scope { get; } = new Dictionary<string, string> { ["project"] = "SUP" };

    protected override string TextField => "summary";

    protected override string MissingId => "99999999";

    protected override IReadOnlyDictionary<string, FieldValue> NewRecord(string text) =>
        new Dictionary<string, FieldValue> { ["summary"] = new TextValue(text) };

    protected override async Task<WebhookVerification> ArrangeDeliveriesAsync(Uri listener, string secret, CancellationToken cancellationToken)
    {
        await using var connector = Connect();
        var result = await ((IWebhookReceiver)connector).EnsureRegisteredAsync(new WebhookRegistration
        {
            Name = "pluginhub-conformance-deliveries",
            Url = listener,
            Entity = Entity,
            Scope = Scope,
            Secret = secret,
        }, cancellationToken);
        Assert.Null(result.ManualSetup);
        return new WebhookVerification { Secret = secret };
    }
}

/// <summary>Jira Cloud, REST v3 (ADF); correlation ids in a label and an issue property.</summary>
public sealed class JiraCloudConformanceTests(CloudSandbox sandbox, ITestOutputHelper output) : JiraConformanceTests(sandbox, output), IClassFixture<CloudSandbox>
{
    protected override CorrelationLocation Correlation => new(Field: "labels", Property: "pluginhub.correlation");
}

/// <summary>Jira Server/Data Center, REST v2 (wiki markup); correlation ids in a text custom field and an issue property.</summary>
public sealed class JiraServerConformanceTests(ServerSandbox sandbox, ITestOutputHelper output) : JiraConformanceTests(sandbox, output), IClassFixture<ServerSandbox>
{
    protected override CorrelationLocation Correlation => new(Field: "customfield_10042", Property: "pluginhub.correlation");
}
