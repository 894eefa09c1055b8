using System.Text.Json;
using System.Text.Json.Nodes;

namespace PluginHub.Plugins.Tests;

public sealed class PluginManifestTests
{
    private const string Valid = """
        {
          // Comments and trailing commas are allowed; unknown members are ignored.
          "id": "my-plugin2",
          "name": "My plugin",
          "version": "1.0.0-beta.1+build.5",
          "contract": "1.0",
          "assembly": "My.Plugin.dll",
          "capabilities": ["readById", "write",],
          "settingsSchema": "schemas/settings.json",
          "description": "Test.",
          "homepage": "https://example.com",
        }
        """;

    [Fact]
    public void Parse_reads_every_member()
    {
        var manifest = PluginManifest.Parse(Valid);

        Assert.Equal("my-plugin2", manifest.Id);
        Assert.Equal("My plugin", manifest.Name);
        Assert.Equal("1.0.0-beta.1+build.5", manifest.Version);
        Assert.Equal("1.0", manifest.Contract);
        Assert.Equal("My.Plugin.dll", manifest.Assembly);
        Assert.Equal(["readById", "write"], manifest.Capabilities);
        Assert.Equal("schemas/settings.json", manifest.SettingsSchema);
        Assert.Equal("Test.", manifest.Description);
    }

    [Fact]
    public void Parse_defaults_the_optional_members()
    {
        var manifest = PluginManifest.Parse("""{"id": "p", "name": "P", "version": "0.1.0", "contract": "1.0", "assembly": "P.dll"}""");

        Assert.Empty(manifest.Capabilities);
        Assert.Null(manifest.SettingsSchema);
        Assert.Null(manifest.Description);
    }

    [Theory]
    [InlineData("id", "Upper", "id 'Upper' must be lower-case letters, digits and dashes")]
    [InlineData("id", "1abc", "id '1abc' must be lower-case letters, digits and dashes")]
    [InlineData("id", "", "id '' must be lower-case letters, digits and dashes")]
    [InlineData("version", "1.0", "version '1.0' is not a SemVer version")]
    [InlineData("version", "v1.0.0", "version 'v1.0.0' is not a SemVer version")]
    [InlineData("contract", "1", "contract '1' must be 'major.minor'")]
    [InlineData("contract", "1.0.0", "contract '1.0.0' must be 'major.minor'")]
    [InlineData("contract", "1.-1", "contract '1.-1' must be 'major.minor'")]
    [InlineData("contract", "one.zero", "contract 'one.zero' must be 'major.minor'")]
    [InlineData("assembly", "../Other/Other.dll", "assembly must be a file name inside the plugin folder")]
    [InlineData("assembly", "/usr/lib/Other.dll", "assembly must be a file name inside the plugin folder")]
    [InlineData("assembly", " ", "assembly must be a file name inside the plugin folder")]
    [InlineData("settingsSchema", "../secrets.json", "settingsSchema must be a file inside the plugin folder")]
    public void Parse_rejects_a_bad_value_naming_the_problem(string member, string value, string problem)
    {
        var json = JsonNode.Parse(Valid, documentOptions: new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        json[member] = value;

        var error = Assert.Throws<InvalidDataException>(() => PluginManifest.Parse(json.ToJsonString()));

        Assert.Equal($"connector.json is not valid: {problem}.", error.Message);
    }

    [Fact]
    public void Parse_rejects_a_missing_required_member()
    {
        var error = Assert.Throws<InvalidDataException>(() => PluginManifest.Parse("""{"id": "p", "name": "P", "contract": "1.0", "assembly": "P.dll"}"""));

        Assert.StartsWith("connector.json is not valid: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'version'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_rejects_null_as_empty()
    {
        var error = Assert.Throws<InvalidDataException>(() => PluginManifest.Parse("null"));

        Assert.Equal("connector.json is empty.", error.Message);
    }

    [Fact]
    public void Parse_rejects_broken_json_with_its_position()
    {
        var error = Assert.Throws<InvalidDataException>(() => PluginManifest.Parse("{\n  \"id\": \"p\"\n  \"name\": \"P\"\n}"));

        Assert.Contains("at line 3, position 3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0", true, 1, 0)]
    [InlineData("12.34", true, 12, 34)]
    [InlineData("1", false, 0, 0)]
    [InlineData("1.0.0", false, 0, 0)]
    [InlineData("-1.0", false, 0, 0)]
    [InlineData("a.b", false, 0, 0)]
    [InlineData("", false, 0, 0)]
    [InlineData(null, false, 0, 0)]
    public void TryParseContract_accepts_only_major_dot_minor(string? value, bool valid, int major, int minor)
    {
        Assert.Equal(valid, PluginManifest.TryParseContract(value, out var parsedMajor, out var parsedMinor));
        if (valid)
        {
            Assert.Equal(major, parsedMajor);
            Assert.Equal(minor, parsedMinor);
        }
    }
}
