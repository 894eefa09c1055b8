using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Read;

namespace PluginHub.Connectors.Jira.Tests;

/// <summary>The incremental read's checkpoint: what it certifies, what it remembers, how it survives as text.</summary>
public sealed class CheckpointTests
{
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(10);

    [Fact]
    public void Round_trips_as_text_and_resumes_an_overlap_before_its_millisecond_but_never_before_its_floor()
    {
        var start = Checkpoint.Start(1_700_000_000_000);
        var advanced = start.Advance(1_700_000_060_000, [("10001", 1_700_000_055_000), ("10002", 1_700_000_060_000), ("10003", 1_700_000_060_000)], Overlap);

        var parsed = Checkpoint.Parse(advanced.ToString());

        Assert.Equal(1_700_000_060_000, parsed.Millis);
        Assert.Equal(1_700_000_000_000, parsed.Floor);
        Assert.Equal(["10001@1700000055000", "10002@1700000060000", "10003@1700000060000"], parsed.Seen.Order(StringComparer.Ordinal));
        Assert.Equal(1_700_000_050_000, parsed.SearchFrom(Overlap));
        Assert.Equal(1_700_000_000_000, start.SearchFrom(Overlap));
    }

    [Fact]
    public void Forgets_versions_that_fall_out_of_the_overlap_window()
    {
        var checkpoint = Checkpoint.Start(0).Advance(1_000, [("1", 1_000)], Overlap);

        var later = checkpoint.Advance(20_000, [("2", 20_000)], Overlap);

        Assert.Equal(["2@20000"], later.Seen);
        Assert.Equal(20_000, later.Advance(5_000, [], Overlap).Millis); // never moves back
    }

    [Theory]
    [InlineData("")]
    [InlineData("2024-01-01T00:00:00Z")]
    [InlineData("j1;abc;0;")]
    public void A_foreign_watermark_is_a_configuration_failure(string watermark)
    {
        var error = Assert.Throws<ConnectorException>(() => Checkpoint.Parse(watermark));

        Assert.Equal(FailureKind.Configuration, error.Kind);
    }
}
