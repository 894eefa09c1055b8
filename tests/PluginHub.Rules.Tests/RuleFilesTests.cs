namespace PluginHub.Rules.Tests;

public sealed class RuleFilesTests
{
    private static readonly string Rules = Path.Combine(RuleFixture.RepoRoot, "rules");

    [Fact]
    public async Task Reads_a_rule_by_its_relative_name()
    {
        var script = await RuleFiles.ReadAsync(Rules, "examples/skip-low-priority-cases.js");

        Assert.Contains("function filter(record, ctx)", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../Directory.Build.props")]
    [InlineData("../src/evil.js")]
    [InlineData("examples/../../README.js")]
    [InlineData("/etc/passwd.js")]
    [InlineData("pluginhub.d.ts")]
    public void Refuses_paths_outside_the_rules_directory_or_not_js(string path) =>
        Assert.Throws<ArgumentException>(() => RuleFiles.Resolve(Rules, path));

    [Fact]
    public async Task A_missing_file_says_which() =>
        Assert.Equal("examples/nope.js", (await Assert.ThrowsAsync<FileNotFoundException>(() => RuleFiles.ReadAsync(Rules, "examples/nope.js"))).FileName);
}
