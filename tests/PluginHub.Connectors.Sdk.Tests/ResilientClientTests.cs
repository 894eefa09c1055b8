using System.Net.Http.Json;
using System.Text.Json;
using Flurl.Http;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Http;
using PluginHub.Sandbox;

namespace PluginHub.Connectors.Sdk.Tests;

/// <summary>The SDK's client against a real HTTP server (a sandbox whose fault injection plays the failing remote system).</summary>
public sealed class ResilientClientTests : IAsyncLifetime
{
    private SandboxCluster _cluster = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { JiraUrl = "http://127.0.0.1:0" });
        _admin = new HttpClient { BaseAddress = _cluster.Jira!.BaseUrl };
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _cluster.DisposeAsync();
    }

    private ConnectorHttpClient Client(int maxRetries = 4, TimeSpan? attemptTimeout = null, Func<HttpResponseMessage, ValueTask<bool>>? isTransient = null) => new(new ConnectorHttpOptions
    {
        BaseUrl = _cluster.Jira!.BaseUrl,
        MaxRetries = maxRetries,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryAfter = TimeSpan.FromSeconds(5),
        AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30),
        IsTransient = isTransient,
    });

    private async Task FaultAsync(object rule) => (await _admin.PostAsJsonAsync(new Uri("/_sandbox/faults", UriKind.Relative), rule)).EnsureSuccessStatusCode();

    private async Task<long> ServerRequestsAsync() =>
        (await _admin.GetFromJsonAsync<JsonElement>(new Uri("/_sandbox/metrics", UriKind.Relative))).GetProperty("requests").GetInt64();

    /// <summary>Sends a request to a route the sandbox does not have: once the faults are used up it answers 404.</summary>
    private static async Task<FlurlHttpException> FailingCallAsync(ConnectorHttpClient client, HttpMethod method) =>
        await Assert.ThrowsAnyAsync<FlurlHttpException>(() => client.Request("probe").SendAsync(method, method == HttpMethod.Get ? null : new StringContent("{}")));

    [Fact]
    public async Task Retries_a_503_honouring_retry_after_until_the_server_answers()
    {
        await FaultAsync(new { pathPrefix = "/probe", status = 503, times = 2, retryAfterSeconds = 1 });
        using var client = Client();
        var started = TimeProvider.System.GetTimestamp();

        var final = await FailingCallAsync(client, HttpMethod.Get);

        Assert.Equal(404, final.StatusCode);
        Assert.Equal(3, client.Calls);
        Assert.Equal(2, client.Retries);
        Assert.Equal(3, await ServerRequestsAsync());
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.9), "two waits of Retry-After: 1");
    }

    [Theory]
    [InlineData("POST", 429, true)]
    [InlineData("POST", 503, true)]
    [InlineData("POST", 500, false)]
    [InlineData("POST", 502, false)]
    [InlineData("GET", 500, true)]
    [InlineData("PUT", 502, true)]
    [InlineData("DELETE", 504, true)]
    [InlineData("GET", 400, false)]
    [InlineData("GET", 401, false)]
    public async Task Retries_only_what_is_safe_to_send_again(string method, int status, bool retried)
    {
        await FaultAsync(new { method, pathPrefix = "/probe", status, times = 1 });
        using var client = Client();

        await FailingCallAsync(client, new HttpMethod(method));

        Assert.Equal(retried ? 2 : 1, client.Calls);
    }

    [Fact]
    public async Task Gives_up_after_the_retry_budget_and_reports_a_transient_failure()
    {
        await FaultAsync(new { pathPrefix = "/probe", status = 503, times = 10 });
        using var client = Client(maxRetries: 2);

        var final = await FailingCallAsync(client, HttpMethod.Get);
        var error = HttpFailures.ToConnectorException(final, "Reading issues failed.");

        Assert.Equal(3, client.Calls);
        Assert.Equal(503, final.StatusCode);
        Assert.Equal(FailureKind.Transient, error.Kind);
    }

    [Fact]
    public async Task A_retry_after_longer_than_allowed_is_not_waited_for_but_reported()
    {
        await FaultAsync(new { pathPrefix = "/probe", status = 429, times = 1, retryAfterSeconds = 120 });
        using var client = Client();

        var final = await FailingCallAsync(client, HttpMethod.Get);
        var error = HttpFailures.ToConnectorException(final, "Rate limited.");

        Assert.Equal(1, client.Calls);
        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
    }

    [Fact]
    public async Task A_connector_specific_transient_answer_is_retried()
    {
        await FaultAsync(new { pathPrefix = "/probe", status = 400, times = 1 });
        // As Salesforce's UNABLE_TO_LOCK_ROW: a 400 whose body says it is worth retrying (here Jira's error shape).
        using var client = Client(isTransient: async r => (await r.Content.ReadAsStringAsync()).Contains("errorMessages", StringComparison.Ordinal));

        var final = await FailingCallAsync(client, HttpMethod.Post);

        Assert.Equal(2, client.Calls);
        Assert.Equal(404, final.StatusCode);
    }

    [Fact]
    public async Task An_attempt_that_hangs_times_out_and_is_retried()
    {
        await FaultAsync(new { pathPrefix = "/probe", times = 1, delayMs = 3000 });
        using var client = Client(attemptTimeout: TimeSpan.FromMilliseconds(300));

        var final = await FailingCallAsync(client, HttpMethod.Get);

        Assert.Equal(2, client.Calls);
        Assert.Equal(404, final.StatusCode);
    }

    [Fact]
    public async Task A_refused_connection_is_a_transient_failure()
    {
        var closedPort = _cluster.Jira!.BaseUrl.Port;
        await _cluster.DisposeAsync();
        using var client = new ConnectorHttpClient(new ConnectorHttpOptions
        {
            BaseUrl = new Uri($"http://127.0.0.1:{closedPort}"),
            MaxRetries = 1,
            BaseDelay = TimeSpan.FromMilliseconds(10),
        });

        var final = await Assert.ThrowsAnyAsync<FlurlHttpException>(() => client.Request("probe").GetAsync());

        Assert.Equal(2, client.Calls);
        Assert.Equal(FailureKind.Transient, HttpFailures.ToConnectorException(final, "Unreachable.").Kind);
        _cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions());
    }

    [Theory]
    [InlineData(null, FailureKind.Transient)]
    [InlineData(401, FailureKind.Configuration)]
    [InlineData(403, FailureKind.Configuration)]
    [InlineData(404, FailureKind.NotFound)]
    [InlineData(408, FailureKind.Transient)]
    [InlineData(429, FailureKind.Transient)]
    [InlineData(500, FailureKind.Transient)]
    [InlineData(503, FailureKind.Transient)]
    [InlineData(400, FailureKind.Internal)]
    [InlineData(409, FailureKind.Internal)]
    public void Classifies_statuses(int? status, FailureKind kind) => Assert.Equal(kind, HttpFailures.Classify(status));
}
