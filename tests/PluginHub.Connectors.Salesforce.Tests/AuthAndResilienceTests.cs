using System.Security.Cryptography;
using PluginHub.Connectors.Abstractions;
using Xunit.Abstractions;

namespace PluginHub.Connectors.Salesforce.Tests;

/// <summary>OAuth flows, session expiry, injected faults and the API limit, each against its own org (faults are org-wide).</summary>
public sealed class AuthAndResilienceTests(SalesforceSandbox sandbox, ITestOutputHelper output) : IClassFixture<SalesforceSandbox>, IAsyncLifetime
{
    private const string TokenRoute = "POST /services/oauth2/token";

    public async Task InitializeAsync()
    {
        await sandbox.ClearFaultsAsync();
        await sandbox.AdminAsync("settings", new { apiLimit = 100_000 });
        await sandbox.ResetMetricsAsync();
    }

    public Task DisposeAsync() => sandbox.ClearFaultsAsync();

    [Fact]
    public async Task An_expired_session_is_renewed_once_and_the_call_repeated()
    {
        await using var connector = sandbox.Connect(output);
        await connector.DescribeEntityAsync("Case", null, CancellationToken.None);

        await sandbox.AdminAsync("sessions/revoke", new { username = SalesforceSandbox.Username });
        var records = await connector.ReadByIdsAsync("Case", [SalesforceSandbox.MissingId("500")], ["Subject"], CancellationToken.None);

        Assert.Empty(records);
        Assert.Equal(2, (await sandbox.MetricsAsync())[TokenRoute]);
    }

    [Fact]
    public async Task A_session_that_expired_while_idle_is_renewed_once_for_many_concurrent_callers()
    {
        await using var connector = sandbox.Connect(output);
        await connector.DescribeEntityAsync("Case", null, CancellationToken.None);
        await sandbox.AdminAsync("sessions", new { lifetimeSeconds = 1 });
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1_500));

            await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => connector.ReadByIdsAsync("Case", [SalesforceSandbox.MissingId("500")], ["Subject"], CancellationToken.None)));

            Assert.Equal(2, (await sandbox.MetricsAsync())[TokenRoute]);
        }
        finally
        {
            await sandbox.AdminAsync("sessions", new { lifetimeSeconds = 7200 });
        }
    }

    [Fact]
    public async Task A_write_refused_for_a_row_lock_is_sent_again()
    {
        await using var connector = sandbox.Connect(output);
        await connector.DescribeEntityAsync("Case", null, CancellationToken.None);
        await sandbox.AdminAsync("faults", new { method = "POST", pathPrefix = "/services/data/v62.0/composite/sobjects", status = 400, times = 1 });
        await sandbox.ResetMetricsAsync();

        var result = Assert.Single(await connector.WriteAsync([new RecordWrite { Operation = WriteOperation.Create, Entity = "Case", Fields = new Dictionary<string, FieldValue> { ["Subject"] = new TextValue("locked once") } }], CancellationToken.None));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(2, (await sandbox.MetricsAsync())["POST /services/data/v{version}/composite/sobjects"]);
    }

    [Fact]
    public async Task A_limit_reached_in_the_middle_of_a_batch_keeps_the_results_of_what_was_written()
    {
        await using var connector = sandbox.Connect(output);
        await connector.DescribeEntityAsync("Case", null, CancellationToken.None);
        var writes = Enumerable.Range(0, 300).Select(i => new RecordWrite { Operation = WriteOperation.Create, Entity = "Case", Fields = new Dictionary<string, FieldValue> { ["Subject"] = new TextValue($"half {i}") } }).ToList();

        // The first call (200 records) goes through; the second meets the daily limit.
        await sandbox.AdminAsync("settings", new { apiLimit = (await sandbox.AdminAsync("settings", new { })).GetProperty("apiUsage").GetInt64() + 1 });
        var results = await connector.WriteAsync(writes, CancellationToken.None);

        Assert.All(results.Take(200), r => Assert.True(r.Succeeded, r.Error?.Message));
        Assert.All(results.Skip(200), r => Assert.Equal(("REQUEST_LIMIT_EXCEEDED", FailureKind.Transient), (r.Error!.RemoteCode, r.Error.Kind)));
    }

    [Fact]
    public async Task A_session_refused_again_after_a_new_login_is_a_configuration_failure()
    {
        await using var connector = sandbox.Connect(output);
        await connector.CheckAsync(CancellationToken.None);
        await sandbox.AdminAsync("faults", new { pathPrefix = "/services/data", status = 401, times = 5 });

        var error = await Assert.ThrowsAnyAsync<ConnectorException>(() => connector.DescribeEntityAsync("Account", null, CancellationToken.None));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Equal("INVALID_SESSION_ID", error.RemoteCode);
        Assert.Equal(2, (await sandbox.MetricsAsync())[TokenRoute]); // one login, one renewal: never a loop
    }

    [Fact]
    public async Task Concurrent_callers_share_one_login()
    {
        await using var connector = sandbox.Connect(output);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => connector.ReadByIdsAsync("Case", [SalesforceSandbox.MissingId("500")], ["Subject"], CancellationToken.None)));

        Assert.Equal(1, (await sandbox.MetricsAsync())[TokenRoute]);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(400)] // UNABLE_TO_LOCK_ROW, retried because of its body
    public async Task Transient_faults_are_retried_with_back_off(int status)
    {
        await using var connector = sandbox.Connect(output);
        await connector.DescribeEntityAsync("Case", null, CancellationToken.None);
        await sandbox.AdminAsync("faults", new { method = "GET", pathPrefix = "/services/data/v62.0/query", status, times = 2, retryAfterSeconds = status == 429 ? 1 : (int?)null });
        await sandbox.ResetMetricsAsync();

        var records = await connector.ReadByIdsAsync("Case", [SalesforceSandbox.MissingId("500")], ["Subject"], CancellationToken.None);

        Assert.Empty(records);
        Assert.Equal(3, (await sandbox.MetricsAsync())["GET /services/data/v{version}/query"]);
    }

    [Fact]
    public async Task A_lasting_outage_ends_as_a_transient_failure()
    {
        await using var connector = sandbox.Connect(output);
        await connector.CheckAsync(CancellationToken.None);
        await sandbox.AdminAsync("faults", new { pathPrefix = "/services/data/v62.0/query", status = 503, times = 20 });

        var error = await Assert.ThrowsAnyAsync<ConnectorException>(() => connector.ReadByIdsAsync("Case", [SalesforceSandbox.MissingId("500")], ["Subject"], CancellationToken.None));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Equal("SERVER_UNAVAILABLE", error.RemoteCode);
    }

    [Fact]
    public async Task The_request_limit_is_a_transient_failure_and_api_usage_is_exposed()
    {
        await using var connector = sandbox.Connect(output);
        await connector.CheckAsync(CancellationToken.None);
        var usage = connector.ApiUsage;
        Assert.NotNull(usage);
        Assert.True(usage.Used > 0 && usage.Max == 100_000, usage.ToString());

        await sandbox.AdminAsync("settings", new { apiLimit = usage.Used });
        var error = await Assert.ThrowsAnyAsync<ConnectorException>(() => connector.DescribeEntityAsync("Contact", null, CancellationToken.None));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", error.RemoteCode);
        Assert.Contains("api-usage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_client_secret_and_missing_settings_are_configuration_failures()
    {
        await using var connector = sandbox.Connect(output, sandbox.Settings(("clientSecret", "nope")));
        var result = await connector.CheckAsync(CancellationToken.None);
        Assert.Equal(FailureKind.Configuration, result.FailureKind);
        Assert.DoesNotContain("nope", result.Message, StringComparison.Ordinal);

        await using var incomplete = sandbox.Connect(output, sandbox.Settings(("password", null))); // opens without I/O or throwing
        var missing = await incomplete.CheckAsync(CancellationToken.None);
        Assert.Equal(FailureKind.Configuration, missing.FailureKind);
        Assert.Contains("'password'", missing.Message, StringComparison.Ordinal);
        var thrown = await Assert.ThrowsAnyAsync<ConnectorException>(() => incomplete.DescribeEntityAsync("Case", null, CancellationToken.None));
        Assert.Equal(FailureKind.Configuration, thrown.Kind);
    }

    [Fact]
    public async Task An_api_version_the_org_does_not_serve_is_a_configuration_failure()
    {
        await using var connector = sandbox.Connect(output, sandbox.Settings(("apiVersion", "99.0")));

        var result = await connector.CheckAsync(CancellationToken.None);

        Assert.Equal(FailureKind.Configuration, result.FailureKind);
        Assert.Contains("99.0", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_credentials_flow_acts_as_the_run_as_user()
    {
        await using var connector = sandbox.Connect(output, sandbox.Settings(("authFlow", "clientCredentials"), ("username", null), ("password", null), ("securityToken", null)));

        var result = await connector.CheckAsync(CancellationToken.None);

        Assert.True(result.Healthy, result.Message);
        Assert.Contains(SalesforceSandbox.Username, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_jwt_bearer_flow_signs_with_the_private_key()
    {
        using var rsa = RSA.Create(2048);
        await sandbox.AdminAsync("jwt-certificate", new { pem = rsa.ExportSubjectPublicKeyInfoPem() });
        var settings = sandbox.Settings(("authFlow", "jwt"), ("privateKey", rsa.ExportPkcs8PrivateKeyPem()), ("password", null), ("securityToken", null), ("clientSecret", null));
        await using var connector = sandbox.Connect(output, settings);

        var result = await connector.CheckAsync(CancellationToken.None);

        Assert.True(result.Healthy, result.Message);
        using var other = RSA.Create(2048);
        await using var forged = sandbox.Connect(output, sandbox.Settings(("authFlow", "jwt"), ("privateKey", other.ExportPkcs8PrivateKeyPem()), ("password", null)));
        Assert.Equal(FailureKind.Configuration, (await forged.CheckAsync(CancellationToken.None)).FailureKind);
    }
}
