using System.Text.Json;
using System.Text.Json.Nodes;
using Flurl.Http;
using Microsoft.Extensions.Logging;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Auth;
using PluginHub.Connectors.Sdk.Http;

namespace PluginHub.Connectors.Salesforce.Api;

/// <summary>A JSON response with the server's clock (the <c>Date</c> header), which incremental reads use instead of ours.</summary>
internal sealed record SalesforceResponse(JsonElement Body, DateTimeOffset? ServerTime);

/// <summary>
/// Every REST call of one connector instance: authenticates (re-authenticating once on <c>INVALID_SESSION_ID</c>), retries
/// transient failures through the SDK client, reads <c>Sforce-Limit-Info</c> and maps errors onto the contract's kinds.
/// </summary>
internal sealed class SalesforceApi : IDisposable
{
    private const string UserAgent = "PluginHub-Salesforce";

    /// <summary>Salesforce lets a SOQL query run up to 120 s before QUERY_TIMEOUT: an attempt must not be cut before that.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(150);

    /// <summary>An upload sends its whole body inside one attempt; large files on slow links need far more than a call.</summary>
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(30);
    private readonly ConnectorHttpClient _login;
    private readonly Authenticator _auth;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<(Uri, bool), ConnectorHttpClient> _instances = [];
    private readonly Lock _gate = new();
    private SalesforceApiUsage? _usage;

    public SalesforceApi(SalesforceSettings settings, TimeProvider time, ILogger logger)
    {
        Settings = settings;
        _time = time;
        _logger = logger;
        _login = new ConnectorHttpClient(Options(settings.LoginUrl));
        _auth = new Authenticator(settings, _login, time);
    }

    public SalesforceSettings Settings { get; }

    /// <summary>The REST root of the pinned version, relative to the instance URL.</summary>
    public string DataPath => $"/services/data/v{Settings.ApiVersion}";

    /// <summary>The org's API usage from the last response that reported it.</summary>
    public SalesforceApiUsage? Usage => Volatile.Read(ref _usage);

    /// <summary>HTTP requests sent (token requests and retries included).</summary>
    public long Calls
    {
        get
        {
            lock (_gate)
            {
                return _login.Calls + _instances.Values.Sum(c => c.Calls);
            }
        }
    }

    public TimeProvider Time => _time;

    /// <summary>For counts and ids only: never values or secrets.</summary>
    public ILogger Logger => _logger;

    public Task<SalesforceSession> SessionAsync(CancellationToken cancellationToken) => _auth.GetAsync(cancellationToken);

    public async Task<SalesforceResponse> GetAsync(string path, string what, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var response = await SendAsync(path, what, (r, ct) => r.WithHeaders(headers ?? EmptyHeaders).GetAsync(cancellationToken: ct), cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    public async Task<SalesforceResponse> SendJsonAsync(HttpMethod method, string path, JsonNode body, string what, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null)
    {
        var json = body.ToJsonString();
        using var response = await SendAsync(
            path,
            what,
            (r, ct) => r.WithHeaders(headers ?? EmptyHeaders).WithHeader("Content-Type", "application/json").SendStringAsync(method, json, cancellationToken: ct),
            cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    /// <summary>Runs a SOQL query (<c>queryAll</c> when <paramref name="all"/>) and returns its first batch.</summary>
    public Task<SalesforceResponse> QueryAsync(string soql, bool all, CancellationToken cancellationToken, int? batchSize = null)
    {
        var path = $"{(all ? "queryAll" : "query")}?q={Uri.EscapeDataString(soql)}";
        var headers = batchSize is { } size
            ? new Dictionary<string, string>(StringComparer.Ordinal) { ["Sforce-Query-Options"] = $"batchSize={Math.Clamp(size, 200, 2000)}" }
            : null;
        return GetAsync(path, "A SOQL query", cancellationToken, headers);
    }

    /// <summary>Every record of a query, following <c>nextRecordsUrl</c>.</summary>
    public async IAsyncEnumerable<JsonElement> QueryRecordsAsync(string soql, bool all, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = (await QueryAsync(soql, all, cancellationToken)).Body;
        while (true)
        {
            foreach (var record in page.GetProperty("records").EnumerateArray())
            {
                yield return record;
            }

            if (page.TryGetProperty("nextRecordsUrl", out var next) && next.GetString() is { } url && !page.GetProperty("done").GetBoolean())
            {
                page = (await GetAsync(url, "A SOQL query (next batch)", cancellationToken)).Body;
            }
            else
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The records of a child subquery in <paramref name="row"/> (<c>null</c> when there are none), following the child result's own
    /// <c>nextRecordsUrl</c> when it holds more than one batch.
    /// </summary>
    public async IAsyncEnumerable<JsonElement> ChildRecordsAsync(JsonElement row, string relationship, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!row.TryGetProperty(relationship, out var page) || page.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        while (true)
        {
            foreach (var record in page.GetProperty("records").EnumerateArray())
            {
                yield return record;
            }

            if (page.TryGetProperty("nextRecordsUrl", out var next) && next.GetString() is { } url && !page.GetProperty("done").GetBoolean())
            {
                page = (await GetAsync(url, "A SOQL query (next child batch)", cancellationToken)).Body;
            }
            else
            {
                yield break;
            }
        }
    }

    /// <summary>Opens a binary resource (a blob) as a stream that is read from the network as the caller reads it.</summary>
    public async Task<Stream> OpenStreamAsync(string path, string what, CancellationToken cancellationToken)
    {
        var response = await SendAsync(path, what, (r, ct) => r.SendAsync(HttpMethod.Get, null, HttpCompletionOption.ResponseHeadersRead, ct), cancellationToken);
        return await response.ResponseMessage.Content.ReadAsStreamAsync(cancellationToken);
    }

    /// <summary>
    /// Sends a request with the current token and returns the successful response (2xx, or 300 for an ambiguous upsert). On
    /// 401 the token is renewed and <paramref name="send"/> runs once more; anything else becomes a <see cref="SalesforceException"/>.
    /// </summary>
    public async Task<IFlurlResponse> SendAsync(string path, string what, Func<IFlurlRequest, CancellationToken, Task<IFlurlResponse>> send, CancellationToken cancellationToken, bool upload = false)
    {
        var session = await _auth.GetAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var request = Client(session.InstanceUrl, upload)
                .Request(path.StartsWith("/services/", StringComparison.Ordinal) ? path : $"{DataPath}/{path}")
                .AllowAnyHttpStatus()
                .WithOAuthBearerToken(session.AccessToken)
                .WithHeader("Accept", "application/json");
            IFlurlResponse response;
            try
            {
                response = await send(request, cancellationToken);
            }
            catch (FlurlHttpException e)
            {
                throw new SalesforceException(FailureKind.Transient, $"{what} failed: Salesforce did not answer ({e.GetType().Name}).", null, e);
            }

            if (SalesforceApiUsage.Parse(Header(response, "Sforce-Limit-Info")) is { } usage)
            {
                Volatile.Write(ref _usage, usage);
            }

            if (response.StatusCode is >= 200 and <= 300)
            {
                return response;
            }

            using (response)
            {
                var text = await response.ResponseMessage.Content.ReadAsStringAsync(cancellationToken);
                var (code, message) = SalesforceErrors.Parse(text);
                if (response.StatusCode == 401 && attempt == 0)
                {
                    _logger.LogInformation("Salesforce session expired or was revoked; authenticating again");
                    session = await _auth.RenewAsync(session, cancellationToken);
                    continue;
                }

                throw Failure(what, response, code, message);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var client in _instances.Values)
            {
                client.Dispose();
            }

            _instances.Clear();
        }

        _login.Dispose();
        _auth.Dispose();
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyHeaders = new Dictionary<string, string>();

    private SalesforceException Failure(string what, IFlurlResponse response, string? code, string? message)
    {
        var status = response.StatusCode;
        var kind = status == 401 ? FailureKind.Configuration : SalesforceErrors.Classify(status, code);
        var detail = code switch
        {
            null => $"HTTP {status}",
            "REQUEST_LIMIT_EXCEEDED" => $"{code}: {Trim(message)} ({Describe(Usage)}); the run stops and resumes later",
            _ when status == 401 => $"{code}: the session was refused again right after a new login",
            // Query and describe errors name fields and objects; DML messages may quote values, so only their code is kept.
            _ when message is not null && (what.StartsWith("A SOQL", StringComparison.Ordinal) || what.StartsWith("Describ", StringComparison.Ordinal)) => $"{code}: {Trim(message)}",
            _ => code,
        };
        return new SalesforceException(kind, $"{what} failed ({detail}).", status)
        {
            RemoteCode = code,
            RetryAfter = RetryAfter.From(response.ResponseMessage, _time),
        };
    }

    private static string Describe(SalesforceApiUsage? usage) => usage is null ? "usage unknown" : $"api-usage {usage.Used}/{usage.Max}";

    private static string Trim(string? message) => message is null ? string.Empty : message.Length <= 300 ? message : message[..300] + "…";

    private static string? Header(IFlurlResponse response, string name) =>
        response.ResponseMessage.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<SalesforceResponse> ReadAsync(IFlurlResponse response, CancellationToken cancellationToken)
    {
        var text = await response.ResponseMessage.Content.ReadAsStringAsync(cancellationToken);
        JsonElement body = default;
        if (!string.IsNullOrWhiteSpace(text))
        {
            using var doc = JsonDocument.Parse(text);
            body = doc.RootElement.Clone();
        }

        return new SalesforceResponse(body, response.ResponseMessage.Headers.Date);
    }

    private ConnectorHttpClient Client(Uri instanceUrl, bool upload)
    {
        lock (_gate)
        {
            if (!_instances.TryGetValue((instanceUrl, upload), out var client))
            {
                client = new ConnectorHttpClient(Options(instanceUrl) with { AttemptTimeout = upload ? UploadTimeout : CallTimeout });
                _instances[(instanceUrl, upload)] = client;
            }

            return client;
        }
    }

    private ConnectorHttpOptions Options(Uri baseUrl) => new()
    {
        BaseUrl = baseUrl,
        UserAgent = UserAgent,
        Time = _time,
        IsTransient = SalesforceErrors.IsTransientAsync,
    };
}
