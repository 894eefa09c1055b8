using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PluginHub.Sandbox.Tests.Hosting;

/// <summary>The admin surface every sandbox shares (DESIGN §9): metrics, faults, latency, reset.</summary>
public sealed class AdminRoutesTests : IAsyncLifetime
{
    private SandboxCluster _cluster = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions
        {
            SalesforceUrl = "http://127.0.0.1:0",
            JiraUrl = "http://127.0.0.1:0",
            JiraServerUrl = "http://127.0.0.1:0",
        });
        _http = new HttpClient { BaseAddress = _cluster.Salesforce!.BaseUrl };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public void Each_sandbox_listens_on_its_own_free_port()
    {
        var ports = new[] { _cluster.Salesforce!, _cluster.Jira!, _cluster.JiraServer! }.Select(s => s.BaseUrl.Port).ToList();
        Assert.All(ports, p => Assert.NotEqual(0, p));
        Assert.Equal(3, ports.Distinct().Count());
    }

    [Fact]
    public async Task Metrics_count_calls_per_route_but_not_admin_calls_and_reset_clears_them()
    {
        await _http.GetAsync(new Uri("/no/such/route", UriKind.Relative));
        await _http.GetAsync(new Uri("/no/such/route", UriKind.Relative));

        var metrics = await _http.GetFromJsonAsync<JsonElement>(new Uri("/_sandbox/metrics", UriKind.Relative));
        Assert.Equal(2, metrics.GetProperty("requests").GetInt64());
        Assert.Equal(2, metrics.GetProperty("byRoute").GetProperty("GET /(unmatched)").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsync(new Uri("/_sandbox/metrics/reset", UriKind.Relative), null)).StatusCode);
        metrics = await _http.GetFromJsonAsync<JsonElement>(new Uri("/_sandbox/metrics", UriKind.Relative));
        Assert.Equal(0, metrics.GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task A_fault_answers_its_status_the_given_number_of_times_with_retry_after()
    {
        var rule = new { method = "GET", pathPrefix = "/faulty", status = 503, times = 2, retryAfterSeconds = 7 };
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsJsonAsync(new Uri("/_sandbox/faults", UriKind.Relative), rule)).StatusCode);

        var first = await _http.GetAsync(new Uri("/faulty/x", UriKind.Relative));
        var second = await _http.GetAsync(new Uri("/faulty/y", UriKind.Relative));
        var third = await _http.GetAsync(new Uri("/faulty/z", UriKind.Relative));
        var otherMethod = await _http.PostAsync(new Uri("/faulty/x", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), first.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, otherMethod.StatusCode);
    }

    [Fact]
    public async Task Deleting_faults_clears_them()
    {
        await _http.PostAsJsonAsync(new Uri("/_sandbox/faults", UriKind.Relative), new { pathPrefix = "/", status = 500, times = 100 });
        Assert.Equal(HttpStatusCode.InternalServerError, (await _http.GetAsync(new Uri("/anything", UriKind.Relative))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync(new Uri("/_sandbox/faults", UriKind.Relative))).StatusCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, (await _http.GetAsync(new Uri("/anything", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Latency_delays_every_emulated_call_and_reset_removes_it()
    {
        await _http.PostAsJsonAsync(new Uri("/_sandbox/latency", UriKind.Relative), new { ms = 300 });
        var started = TimeProvider.System.GetTimestamp();
        await _http.GetAsync(new Uri("/slow", UriKind.Relative));
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(290), "the injected latency is applied");

        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsync(new Uri("/_sandbox/reset", UriKind.Relative), null)).StatusCode);
        var faults = _cluster.Salesforce!.Services.GetService(typeof(PluginHub.Sandbox.Hosting.FaultInjector)) as PluginHub.Sandbox.Hosting.FaultInjector;
        Assert.Equal(0, faults!.LatencyMs);
    }
}
