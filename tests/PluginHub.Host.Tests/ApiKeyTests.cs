using System.Net;
using System.Net.Http.Json;
using PluginHub.Testing;

namespace PluginHub.Host.Tests;

public sealed class ApiKeyTests : IDisposable
{
    private const string Key = "test-key-0123456789";
    private readonly TempDirectory _data = new();

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("")]
    public async Task Api_without_a_valid_key_answers_401_problem_details(string? key)
    {
        await using var factory = new HostFactory(_data.Path, new Dictionary<string, string?> { ["PluginHub:ApiKey"] = Key });
        using var client = factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        using var response = await client.GetAsync(new Uri("/api/connectors", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var problem = await response.Content.ReadFromJsonAsync<ProblemBody>();
        Assert.Equal(401, problem!.Status);
    }

    [Fact]
    public async Task Api_with_the_configured_key_answers_and_no_key_file_is_written()
    {
        await using var factory = new HostFactory(_data.Path, new Dictionary<string, string?> { ["PluginHub:ApiKey"] = Key });
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);

        using var response = await client.GetAsync(new Uri("/api/connectors", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(_data.Path, "api-key")));
    }

    [Fact]
    public async Task Without_configuration_a_key_is_generated_once_kept_private_and_accepted()
    {
        string generated;
        await using (var first = new HostFactory(_data.Path))
        {
            using var client = first.CreateClient();
            var file = Path.Combine(_data.Path, "api-key");
            Assert.True(File.Exists(file));
            generated = (await File.ReadAllTextAsync(file)).Trim();
            Assert.True(generated.Length >= 40, "a generated key carries at least 256 bits");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            client.DefaultRequestHeaders.Add("X-Api-Key", generated);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/connectors", UriKind.Relative))).StatusCode);
        }

        await using var second = new HostFactory(_data.Path);
        using var again = second.CreateClient();
        again.DefaultRequestHeaders.Add("X-Api-Key", generated);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync(new Uri("/api/connectors", UriKind.Relative))).StatusCode);
        Assert.Equal(generated, (await File.ReadAllTextAsync(Path.Combine(_data.Path, "api-key"))).Trim());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task Health_and_swagger_need_no_key(string path)
    {
        await using var factory = new HostFactory(_data.Path, new Dictionary<string, string?> { ["PluginHub:ApiKey"] = Key });
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose() => _data.Dispose();

    private sealed record ProblemBody(int Status, string? Title, string? Detail);
}
