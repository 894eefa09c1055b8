using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Settings;

namespace PluginHub.Connectors.Sdk.Tests;

public sealed class ConnectorSettingsTests
{
    private static ConnectorSettings Settings(string json) => new(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void Reads_present_values_and_treats_empty_as_missing()
    {
        var settings = Settings("""{ "baseUrl": "https://jira.example.com/jira/", "username": "", "flavor": "SERVER" }""");

        Assert.Equal(new Uri("https://jira.example.com/jira"), settings.RequiredUrl("baseUrl"));
        Assert.Null(settings.String("username"));
        Assert.Equal("server", settings.Choice("flavor", "cloud", "cloud", "server"));
        Assert.Equal("3", settings.Choice("apiVersion", "3", "2", "3"));
    }

    [Theory]
    [InlineData("""{ }""", "The setting 'baseUrl' is required.")]
    [InlineData("""{ "baseUrl": "ftp://x" }""", "The setting 'baseUrl' must be an absolute http or https URL.")]
    [InlineData("""{ "baseUrl": "not a url" }""", "The setting 'baseUrl' must be an absolute http or https URL.")]
    public void A_missing_or_malformed_setting_is_a_configuration_failure_naming_it(string json, string message)
    {
        var error = Assert.Throws<ConnectorException>(() => Settings(json).RequiredUrl("baseUrl"));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_value_outside_the_allowed_set_is_rejected()
    {
        var error = Assert.Throws<ConnectorException>(() => Settings("""{ "flavor": "onprem" }""").Choice("flavor", "cloud", "cloud", "server"));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("cloud, server", error.Message, StringComparison.Ordinal);
    }
}
