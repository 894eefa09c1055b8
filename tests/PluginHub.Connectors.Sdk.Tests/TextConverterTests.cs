using PluginHub.Connectors.Sdk.Text;

namespace PluginHub.Connectors.Sdk.Tests;

public sealed class TextConverterTests
{
    [Theory]
    [InlineData("<p>One <b>bold</b> <i>word</i></p><p>Two<br>lines</p>", "One bold word\n\nTwo\nlines")]
    [InlineData("<ul><li>a</li><li>b <a href=\"https://x.test\">site</a></li></ul>", "- a\n- b site (https://x.test)")]
    [InlineData("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second")]
    [InlineData("<p>Intro</p><ul><li><p>a</p></li><li><p>b</p><p>more</p></li></ul><p>after</p>", "Intro\n\n- a\n- b\nmore\n\nafter")]
    [InlineData("<ul><li>a<ul><li>inner</li></ul></li><li>b</li></ul>", "- a\n  - inner\n- b")]
    [InlineData("Fish &amp; chips&nbsp;&lt;3 <a href=\"https://x.test\">https://x.test</a>", "Fish & chips <3 https://x.test")]
    [InlineData("<div>a</div><script>alert(1)</script><style>p{}</style><div>b</div>", "a\n\nb")]
    [InlineData("kept <b unclosed text < 3", "kept <b unclosed text < 3")]
    public void Html_to_text(string html, string text) => Assert.Equal(text, HtmlText.ToText(html));

    [Theory]
    [InlineData("Hi <there>\nnext line\n\n- one\n- two", "<p>Hi &lt;there&gt;<br>next line</p><ul><li>one</li><li>two</li></ul>")]
    [InlineData("See https://x.test/a?b=1&c=2.", "<p>See <a href=\"https://x.test/a?b=1&amp;c=2\">https://x.test/a?b=1&amp;c=2</a>.</p>")]
    public void Text_to_html(string text, string html) => Assert.Equal(html, HtmlText.FromText(text));

    [Theory]
    [InlineData("h1. Title\n\n*bold* _italic_ -gone- +under+ {{mono}}", "Title\n\nbold italic gone under mono")]
    [InlineData("* one\n* two\n** nested\n# first\n# second", "- one\n- two\n  - nested\n1. first\n2. second")]
    [InlineData("[Site|https://x.test] and [https://y.test]\\\\next", "Site (https://x.test) and https://y.test\nnext")]
    [InlineData("{code:java}\nint x = *y*;\n{code}\nafter", "int x = *y*;\n\nafter")]
    [InlineData("||a||b||\n|1|2|", "a | b\n1 | 2")]
    [InlineData("not\\*bold\\*", "not*bold*")]
    public void Wiki_to_text(string wiki, string text) => Assert.Equal(text, WikiText.ToText(wiki));

    [Theory]
    [InlineData("a*b* {x} [y]", "a\\*b\\* \\{x\\} \\[y\\]")]
    [InlineData("- one\n- two\n\n1. first", "* one\n* two\n\n# first")]
    [InlineData("see https://x.test/a_b", "see [https://x.test/a_b]")]
    public void Text_to_wiki(string text, string wiki) => Assert.Equal(wiki, WikiText.FromText(text));

    [Theory]
    [InlineData("plain *stars* and {braces}\n- item")]
    [InlineData("Two\n\nparagraphs with https://x.test")]
    public void Wiki_round_trips_plain_text(string text) => Assert.Equal(text.Replace("https://x.test", "https://x.test", StringComparison.Ordinal), WikiText.ToText(WikiText.FromText(text)));

    [Fact]
    public void Adf_to_text_covers_the_common_nodes()
    {
        const string adf = """
            {"type":"doc","version":1,"content":[
              {"type":"heading","attrs":{"level":1},"content":[{"type":"text","text":"Title"}]},
              {"type":"paragraph","content":[{"type":"text","text":"Hello "},{"type":"text","text":"bold","marks":[{"type":"strong"}]},{"type":"hardBreak"},{"type":"text","text":"site","marks":[{"type":"link","attrs":{"href":"https://x.test"}}]},{"type":"text","text":" "},{"type":"mention","attrs":{"id":"1","text":"@Dev"}}]},
              {"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"one"}]}]},{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"two"}]}]}]},
              {"type":"orderedList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"first"}]}]}]},
              {"type":"codeBlock","content":[{"type":"text","text":"x = 1"}]}
            ]}
            """;

        Assert.Equal("Title\n\nHello bold\nsite (https://x.test) @Dev\n\n- one\n- two\n\n1. first\n\nx = 1", AdfText.ToText(adf));
    }

    [Theory]
    [InlineData("Hello\nworld\n\n- a\n- b\n\n1. x\n2. y\n\nvisit https://x.test")]
    [InlineData("")]
    public void Adf_round_trips_plain_text(string text) => Assert.Equal(text, AdfText.ToText(AdfText.FromText(text)));

    [Fact]
    public void Text_to_adf_writes_a_valid_document()
    {
        Assert.Equal(
            """{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"a"},{"type":"hardBreak"},{"type":"text","text":"https://x.test","marks":[{"type":"link","attrs":{"href":"https://x.test"}}]}]}]}""",
            AdfText.FromText("a\nhttps://x.test"));
    }

    [Fact]
    public void Html_round_trips_plain_text()
    {
        const string text = "Para one\nline two\n\n- a\n- b\n\n1. x\n\nlink https://x.test";

        Assert.Equal(text, HtmlText.ToText(HtmlText.FromText(text)));
    }

    [Fact]
    public async Task Converters_stay_linear_on_hostile_input()
    {
        var opens = string.Concat(Enumerable.Repeat("<a", 200_000));

        var text = await Task.Run(() => HtmlText.ToText(opens)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(opens, text);
    }
}
