using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PluginHub.Testing;

namespace PluginHub.Host.Tests;

public sealed class RulesEndpointTests : IAsyncLifetime
{
    private const string Key = "rules-test-key";
    private readonly TempDirectory _data = new();
    private HostFactory _factory = null!;
    private HttpClient _client = null!;

    private static readonly object Record = new
    {
        id = "5003000000D8cuIAAR",
        entity = "Case",
        // A dictionary: anonymous types would be camel-cased by the web JSON defaults, and Salesforce fields are PascalCase.
        fields = new Dictionary<string, object>
        {
            ["CaseNumber"] = "00001026",
            ["Subject"] = "Printer on fire",
            ["Priority"] = new { type = "choice", key = "High", label = "High" },
        },
    };

    public Task InitializeAsync()
    {
        _factory = HostFactory.WithKey(_data.Path, Key);
        _client = _factory.CreateApiClient(Key);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    private Task<HttpResponseMessage> TestAsync(object body) => _client.PostAsJsonAsync(new Uri("/api/rules/test", UriKind.Relative), body);

    [Fact]
    public async Task A_transform_returns_the_target_fields_and_the_logs()
    {
        using var response = await TestAsync(new
        {
            script = "function transform(record, target, ctx) { ctx.log('prefixing'); target.summary = '[' + record.fields.CaseNumber + '] ' + record.fields.Subject; return target; }",
            function = "transform",
            record = Record,
            target = new { summary = "Printer on fire" },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("[00001026] Printer on fire", body.GetProperty("result").GetProperty("summary").GetString());
        Assert.Contains("prefixing", body.GetProperty("logs")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filter_returns_its_verdict()
    {
        using var response = await TestAsync(new
        {
            script = "function filter(record) { return record.fields.Priority.key !== 'Low'; }",
            function = "filter",
            record = Record,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetBoolean());
    }

    [Fact]
    public async Task A_script_that_does_not_parse_is_a_400_with_its_line()
    {
        using var response = await TestAsync(new { script = "function transform(r, t) {\n  return t;;\n  if (\n}", function = "transform", record = Record });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("line").GetInt32() >= 3);
    }

    [Fact]
    public async Task A_rule_that_fails_is_a_422_with_message_and_line()
    {
        using var response = await TestAsync(new
        {
            script = "function transform(record, target) {\n  const x = null;\n  return x.boom;\n}",
            function = "transform",
            record = Record,
            target = new { },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, problem.GetProperty("line").GetInt32());
        Assert.Contains("TypeError", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runaway_rule_is_stopped_by_the_sandbox_not_the_request()
    {
        var task = TestAsync(new { script = "function filter(r) { while (true) {} }", function = "filter", record = Record });

        using var response = await task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString(), new[] { "Timeout", "Statements" });
    }
}
