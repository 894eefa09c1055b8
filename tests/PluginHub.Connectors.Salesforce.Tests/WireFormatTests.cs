using System.Text;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Api;
using PluginHub.Connectors.Salesforce.Comments;
using PluginHub.Connectors.Salesforce.Read;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>The small wire-format rules the connector relies on, where a sandbox cannot produce the case (real-org error codes).</summary>
public sealed class WireFormatTests
{
    [Theory]
    [InlineData("api-usage=25/15000", 25L, 15000L)]
    [InlineData("api-usage=17/250; per-app-api-usage=1/5(appName=PluginHub)", 17L, 250L)]
    public void Limit_info_is_parsed(string header, long used, long max) =>
        Assert.Equal(new SalesforceApiUsage(used, max), SalesforceApiUsage.Parse(header));

    [Theory]
    [InlineData(403, "API_DISABLED_FOR_ORG", FailureKind.Configuration)]
    [InlineData(403, "REQUEST_LIMIT_EXCEEDED", FailureKind.Transient)]
    [InlineData(400, "UNABLE_TO_LOCK_ROW", FailureKind.Transient)]
    [InlineData(400, "INVALID_TYPE", FailureKind.NotFound)]
    [InlineData(400, "MALFORMED_QUERY", FailureKind.Configuration)]
    [InlineData(503, "SERVER_UNAVAILABLE", FailureKind.Transient)]
    [InlineData(400, "JSON_PARSER_ERROR", FailureKind.Internal)]
    public void Error_codes_map_onto_failure_kinds(int status, string code, FailureKind kind) =>
        Assert.Equal(kind, SalesforceErrors.Classify(status, code));

    [Fact]
    public void Soql_literals_are_escaped_and_datetimes_parsed_in_both_offset_forms()
    {
        Assert.Equal(@"'it\'s a \\ path\n'", Soql.Quote("it's a \\ path\n"));
        Assert.Equal(Soql.ParseDateTime("2024-05-02T09:14:03.000+0000"), Soql.ParseDateTime("2024-05-02T11:14:03+02:00"));
        Assert.Equal("2024-05-02T09:14:03.000Z", Soql.DateTime(Soql.ParseDateTime("2024-05-02T09:14:03.000+0000")));
        Assert.False(Soql.IsId("500' OR Name != '"));
        Assert.True(Soql.IsId(SalesforceSandbox.MissingId("500")));
    }

    [Fact]
    public void A_watermark_from_elsewhere_is_a_configuration_failure()
    {
        Assert.Equal(FailureKind.Configuration, Assert.Throws<ConnectorException>(() => Checkpoint.Parse("2024-01-01")).Kind);
        Assert.Equal(FailureKind.Configuration, Assert.Throws<ConnectorException>(() => Checkpoint.Parse("""{"t":"2024-01-01T00:00:00Z","id":"x' OR '1'='1","h":"2024-01-01T00:00:00Z"}""")).Kind);
    }

    [Theory]
    [InlineData(3_999)]
    [InlineData(4_000)]
    [InlineData(4_001)]
    [InlineData(20_000)]
    public void Truncation_keeps_whole_characters_within_the_byte_limit(int bytes)
    {
        var text = new string('a', bytes - 4) + "🙂"; // a four-byte character at the end

        var cut = CommentStore.TruncateUtf8(text, 4_000);

        Assert.InRange(Encoding.UTF8.GetByteCount(cut), 0, 4_000);
        Assert.Equal(bytes <= 4_000, cut == text);
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(cut)));
    }
}
