using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PluginHub.Sandbox.Tests.Salesforce;

/// <summary>Checklist §10.1: versions, resources, content type, limit header, tolerant routing, status codes.</summary>
public sealed class ProtocolTests : SalesforceTestBase
{
    [Fact]
    public async Task Versions_list_needs_no_auth_and_runs_from_31_oldest_first()
    {
        using var anon = new HttpClient { BaseAddress = BaseUrl };
        var res = await anon.GetAsync(U("/services/data/"));
        var body = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("31.0", body[0].GetProperty("version").GetString());
        Assert.Equal("Summer '14", body[0].GetProperty("label").GetString());
        Assert.Equal("/services/data/v31.0", body[0].GetProperty("url").GetString());
        Assert.Contains(body.EnumerateArray(), v => v.GetProperty("version").GetString() == "64.0" && v.GetProperty("label").GetString() == "Summer '25");
        Assert.False(res.Headers.Contains("Sforce-Limit-Info"));
    }

    [Theory]
    [InlineData("31.0", HttpStatusCode.OK)]
    [InlineData("50.0", HttpStatusCode.OK)]
    [InlineData("64.0", HttpStatusCode.OK)]
    [InlineData("30.0", HttpStatusCode.Gone)]
    [InlineData("21.0", HttpStatusCode.Gone)]
    [InlineData("99.0", HttpStatusCode.NotFound)]
    [InlineData("abc", HttpStatusCode.NotFound)]
    public async Task Every_version_from_31_answers_retired_ones_are_gone(string version, HttpStatusCode expected)
    {
        var (status, body, _) = await GetAsync($"/services/data/v{version}/sobjects");
        Assert.Equal(expected, status);
        if (expected != HttpStatusCode.OK)
        {
            Assert.Equal(JsonValueKind.Array, body.ValueKind);
        }
    }

    [Fact]
    public async Task Resources_by_version_list_the_resources_and_identity()
    {
        var (status, body, _) = await GetAsync($"{Data}/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($"{Data}/sobjects", body.GetProperty("sobjects").GetString());
        Assert.Equal($"{Data}/query", body.GetProperty("query").GetString());
        Assert.Contains("/id/00D", body.GetProperty("identity").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_responses_use_the_salesforce_content_type_and_limit_info_counts_every_call()
    {
        var first = await GetAsync("limits");
        var second = await GetAsync("sobjects");

        Assert.Equal("application/json;charset=UTF-8", first.Response.Content.Headers.ContentType!.ToString().Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal("api-usage=1/100000", first.Response.Headers.GetValues("Sforce-Limit-Info").Single());
        Assert.Equal("api-usage=2/100000", second.Response.Headers.GetValues("Sforce-Limit-Info").Single());
        var limits = (await GetAsync("limits")).Body.GetProperty("DailyApiRequests");
        Assert.Equal(100000, limits.GetProperty("Max").GetInt32());
        Assert.Equal(100000 - 3, limits.GetProperty("Remaining").GetInt32());
    }

    [Fact]
    public async Task Trailing_slashes_plus_spaces_and_any_case_of_names_are_accepted_with_canonical_output()
    {
        var id = await CreateAsync("case", new { subject = "Case-insensitive" });
        var (status, body, _) = await GetAsync($"sobjects/CASE/{id}/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Case", body.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("Case-insensitive", body.GetProperty("Subject").GetString());

        var q = await GetAsync("query/?q=select+id,+subject+from+case+where+subject+=+'Case-insensitive'");
        Assert.Equal(HttpStatusCode.OK, q.Status);
        var row = q.Body.GetProperty("records")[0];
        Assert.True(row.TryGetProperty("Id", out _));
        Assert.True(row.TryGetProperty("Subject", out _));
        Assert.Equal("Case", row.GetProperty("attributes").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Gzip_request_and_response_bodies_are_supported_and_no_accept_header_means_json()
    {
        using var gzip = new MemoryStream();
        await using (var z = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            await z.WriteAsync(Encoding.UTF8.GetBytes("""{"Subject":"zipped"}"""));
        }

        using var req = new HttpRequestMessage(HttpMethod.Post, U($"{Data}/sobjects/Case")) { Content = new ByteArrayContent(gzip.ToArray()) };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        req.Content.Headers.ContentEncoding.Add("gzip");
        var res = await Http.SendAsync(req);
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);

        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip };
        using var zipped = new HttpClient(handler) { BaseAddress = BaseUrl };
        zipped.DefaultRequestHeaders.Authorization = Http.DefaultRequestHeaders.Authorization;
        var get = await zipped.GetAsync(U($"{Data}/query?q=SELECT+Subject+FROM+Case"));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("zipped", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_is_201_update_and_delete_are_204_with_an_empty_body()
    {
        var (created, body, res) = await PostAsync("sobjects/Case", new { Subject = "s" });
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Empty(body.GetProperty("errors").EnumerateArray());
        Assert.Equal($"{Data}/sobjects/Case/{body.GetProperty("id").GetString()}", res.Headers.Location!.ToString());

        var update = await PatchAsync($"sobjects/Case/{body.GetProperty("id").GetString()}", new { Subject = "t" });
        Assert.Equal(HttpStatusCode.NoContent, update.Status);
        Assert.Empty(await update.Response.Content.ReadAsByteArrayAsync());
        var delete = await DeleteAsync($"sobjects/Case/{body.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.NoContent, delete.Status);
        Assert.Empty(await delete.Response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Unknown_paths_under_a_version_are_404_not_found()
    {
        var (status, body, _) = await GetAsync("no/such/resource");
        Assert.Equal(HttpStatusCode.NotFound, status);
        SingleError(body, "NOT_FOUND");
    }

    [Fact]
    public async Task An_unsupported_verb_on_a_known_resource_is_405_with_the_allowed_methods()
    {
        var id = await CreateAsync("Case", new { Subject = "s" });
        var (status, body, _) = await SendAsync(HttpMethod.Put, $"sobjects/Case/{id}", new { Subject = "t" });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("HTTP Method 'PUT' not allowed. Allowed are HEAD,GET,PATCH,DELETE", SingleError(body, "METHOD_NOT_ALLOWED").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Metrics_count_salesforce_routes_by_template()
    {
        await GetAsync("limits");
        await GetAsync("query?q=SELECT+Id+FROM+Case");
        using var anon = new HttpClient { BaseAddress = BaseUrl };
        var metrics = JsonDocument.Parse(await anon.GetStringAsync(U("/_sandbox/metrics"))).RootElement.GetProperty("byRoute");
        Assert.Equal(1, metrics.GetProperty("GET /services/data/v{version}/limits").GetInt32());
        Assert.Equal(1, metrics.GetProperty("GET /services/data/v{version}/query").GetInt32());
    }
}
