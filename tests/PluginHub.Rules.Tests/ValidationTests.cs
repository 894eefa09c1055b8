namespace PluginHub.Rules.Tests;

public sealed class ValidationTests
{
    [Fact]
    public void A_syntax_error_reports_its_line_and_column()
    {
        var result = RuleValidator.Validate("function transform(record, target, ctx) {\n  return 1 +;\n}");

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, 13), (error.Line, error.Column));
        Assert.Contains("Unexpected token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sloppy_mode_syntax_is_rejected()
    {
        var error = Assert.Single(RuleValidator.Validate("function filter(r) {\n  with (r) { return true; }\n}").Errors);

        Assert.Equal(2, error.Line);
    }

    [Theory]
    [InlineData("let count = 0;\nfunction filter(r) { return true; }", 1, "'let'")]
    [InlineData("function filter(r) { return true; }\nvar x = 1;", 2, "'var'")]
    [InlineData("function filter(r) { return true; }\n\nconsole.log('hi');", 3, "top level")]
    [InlineData("async function transform(r, t) { return t; }", 1, "async")]
    [InlineData("const filter = 42;", 1, "must be a function")]
    [InlineData("function helper() {}", 1, "must define")]
    public void The_top_level_only_declares(string script, int line, string message)
    {
        var error = Assert.Single(RuleValidator.Validate(script).Errors);

        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_top_level_that_throws_is_reported_with_its_line()
    {
        var error = Assert.Single(RuleValidator.Validate("const a = 1;\nconst b = missing.value;\nfunction filter(r) { return true; }").Errors);

        Assert.Equal(2, error.Line);
        Assert.StartsWith("ReferenceError", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_rule_says_which_functions_it_defines()
    {
        var result = RuleValidator.Validate("'use strict';\nconst labels = { Web: 'web' };\nconst transform = (record, target) => target;");

        Assert.True(result.IsValid);
        Assert.False(result.HasFilter);
        Assert.True(result.HasTransform);
    }

    [Fact]
    public void Compile_throws_with_the_errors_and_the_rule_name()
    {
        var runtime = RuleFixture.Runtime();

        var ex = Assert.Throws<RuleCompilationException>(() => runtime.Compile("broken.js", "function filter( {"));

        Assert.Equal("broken.js", ex.RuleName);
        Assert.Single(ex.Errors);
    }
}
