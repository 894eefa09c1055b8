using PluginHub.Sandbox.Jira.Rendering;

namespace PluginHub.Sandbox.Tests.Jira;

/// <summary>Reference §3.6: the ADF rules the sandbox enforces and the ADF ⇄ wiki conversions Cloud performs server-side.</summary>
public sealed class AdfTests
{
    [Theory]
    [InlineData("""{"type":"doc","version":1,"content":[]}""", true)]
    [InlineData("""{"type":"doc","version":1,"content":[{"type":"paragraph","content":[]}]}""", true)]
    [InlineData("""{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"a\nb"}]}]}""", true)]
    [InlineData("""{"type":"doc","version":2,"content":[]}""", false)]
    [InlineData("""{"type":"paragraph","content":[]}""", false)]
    [InlineData("""{"type":"doc","version":1}""", false)]
    [InlineData("""{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":""}]}]}""", false)]
    [InlineData("\"plain text\"", false)]
    public void Validation_follows_the_document_rules(string json, bool valid) =>
        Assert.Equal(valid, Adf.Validate(System.Text.Json.Nodes.JsonNode.Parse(json)) is null);

    [Fact]
    public void Adf_becomes_wiki_markup_with_marks_breaks_headings_lists_and_code()
    {
        var doc = Json.Obj("""
            {"type":"doc","version":1,"content":[
              {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Steps"}]},
              {"type":"paragraph","content":[{"type":"text","text":"First line"},{"type":"hardBreak"},
                {"type":"text","text":"bold","marks":[{"type":"strong"}]},{"type":"text","text":" and "},
                {"type":"text","text":"docs","marks":[{"type":"link","attrs":{"href":"https://example.com"}}]}]},
              {"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"one"}]}]}]},
              {"type":"codeBlock","content":[{"type":"text","text":"x = 1"}]}]}
            """);
        Assert.Equal("h2. Steps\n\nFirst line\n*bold* and [docs|https://example.com]\n\n* one\n\n{code}\nx = 1\n{code}", Adf.ToWiki(doc));
    }

    [Fact]
    public void Wiki_markup_becomes_adf_and_round_trips()
    {
        const string wiki = "h2. Steps\n\nFirst line\n*bold* and [docs|https://example.com]\n\n* one\n\n{code}\nx = 1\n{code}";
        var adf = Adf.FromWiki(wiki);
        Assert.Null(Adf.Validate(adf));
        Assert.Equal("heading", adf["content"]![0]!["type"].Str());
        Assert.Equal("hardBreak", adf["content"]![1]!["content"]![1]!["type"].Str());
        Assert.Equal("strong", adf["content"]![1]!["content"]![2]!["marks"]![0]!["type"].Str());
        Assert.Equal(wiki, Adf.ToWiki(adf));
        Assert.Equal("<h2>Steps</h2><p>First line<br/>\n<b>bold</b> and <a href=\"https://example.com\" class=\"external-link\" rel=\"nofollow\">docs</a></p><ul><li>one</li></ul><div class=\"code panel\"><div class=\"codeContent panelContent\"><pre class=\"code-java\">x = 1</pre></div></div>",
            Adf.WikiToHtml(wiki));
    }
}
