using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flurl.Http;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Http;

namespace PluginHub.Connectors.Jira.Api;

/// <summary>
/// The one door to Jira: authentication, the REST root of the configured version, JSON in and out, and the mapping of
/// failures onto the contract's kinds. Retries, back-off and Retry-After live in the SDK's resilient client.
/// </summary>
internal sealed class JiraApi : IDisposable
{
    private readonly ConnectorHttpClient _http;
    private readonly TimeProvider _time;

    public JiraApi(JiraSettings settings, TimeProvider time)
    {
        Settings = settings;
        _time = time;
        _http = new ConnectorHttpClient(new ConnectorHttpOptions { BaseUrl = settings.BaseUrl, Time = time, UserAgent = "PluginHub-Jira" });
        var authorization = settings.Username is { } user
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{settings.ApiToken}")))
            : new AuthenticationHeaderValue("Bearer", settings.ApiToken);
        _http.Client.WithHeader("Authorization", authorization.ToString()).WithHeader("Accept", "application/json");
    }

    public JiraSettings Settings { get; }

    /// <summary>HTTP requests sent, retries included.</summary>
    public long Calls => _http.Calls;

    /// <summary>The REST root of the configured version (<c>rest/api/2</c> or <c>rest/api/3</c>).</summary>
    public string Root => "rest/api/" + Settings.ApiVersion;

    /// <summary>
    /// Sends a request and returns its answer. Statuses that <paramref name="handled"/> accepts come back to the caller
    /// (per-record failures); every other failure throws a <see cref="ConnectorException"/> of the right kind.
    /// </summary>
    public async Task<JiraResponse> SendAsync(HttpMethod method, string path, string what, CancellationToken cancellationToken,
        JsonNode? body = null, object? query = null, Func<int, bool>? handled = null)
    {
        var request = _http.Request(path).AllowAnyHttpStatus();
        if (query is not null)
        {
            request.SetQueryParams(query);
        }

        using var content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        IFlurlResponse response;
        try
        {
            response = await request.SendAsync(method, content, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (FlurlHttpException e)
        {
            throw HttpFailures.ToConnectorException(e, $"{what}: Jira could not be reached.", time: _time);
        }

        using (response)
        {
            var text = await response.ResponseMessage.Content.ReadAsStringAsync(cancellationToken);
            var result = new JiraResponse(response.StatusCode, Parse(text));
            ThrowIfAnonymous(response.ResponseMessage, what);
            if (result.IsSuccess || handled?.Invoke(result.Status) == true)
            {
                return result;
            }

            throw Failure(response.ResponseMessage, result, what);
        }
    }

    public Task<JiraResponse> GetAsync(string path, string what, CancellationToken cancellationToken, object? query = null, Func<int, bool>? handled = null) =>
        SendAsync(HttpMethod.Get, path, what, cancellationToken, query: query, handled: handled);

    /// <summary>Opens a download; the caller disposes the stream, which releases the response. Nothing is buffered.</summary>
    public async Task<Stream> OpenStreamAsync(string path, object? query, string what, CancellationToken cancellationToken)
    {
        var request = _http.Request(path).AllowAnyHttpStatus();
        if (query is not null)
        {
            request.SetQueryParams(query);
        }

        IFlurlResponse response;
        try
        {
            response = await request.SendAsync(HttpMethod.Get, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (FlurlHttpException e)
        {
            throw HttpFailures.ToConnectorException(e, $"{what}: Jira could not be reached.", time: _time);
        }

        var message = response.ResponseMessage;
        if (!message.IsSuccessStatusCode)
        {
            using (response)
            {
                var text = await message.Content.ReadAsStringAsync(cancellationToken);
                throw Failure(message, new JiraResponse(response.StatusCode, Parse(text)), what);
            }
        }

        ThrowIfAnonymous(message, what);
        return new ResponseStream(await message.Content.ReadAsStreamAsync(cancellationToken), response);
    }

    /// <summary>Posts one file as multipart (<c>file</c> part) with the XSRF opt-out Jira requires.</summary>
    public async Task<JiraResponse> UploadAsync(string path, string fileName, string contentType, Stream content, string what, CancellationToken cancellationToken)
    {
        IFlurlResponse response;
        try
        {
            response = await _http.Request(path).AllowAnyHttpStatus().WithHeader("X-Atlassian-Token", "no-check")
                .PostMultipartAsync(mp => mp.AddFile("file", content, fileName, contentType), HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (FlurlHttpException e)
        {
            throw HttpFailures.ToConnectorException(e, $"{what}: Jira could not be reached.", time: _time);
        }

        using (response)
        {
            var text = await response.ResponseMessage.Content.ReadAsStringAsync(cancellationToken);
            var result = new JiraResponse(response.StatusCode, Parse(text));
            ThrowIfAnonymous(response.ResponseMessage, what);
            return result.IsSuccess ? result : throw Failure(response.ResponseMessage, result, what);
        }
    }

    /// <summary>The exception for a failed answer: the kind from the status, Jira's own messages (never request data).</summary>
    public ConnectorException Failure(HttpResponseMessage message, JiraResponse response, string what)
    {
        var detail = response.Errors.Describe();
        var kind = HttpFailures.Classify(response.Status);
        var reason = response.Status switch
        {
            401 => "Jira refused the credentials (check the username and API token).",
            403 when message.Headers.TryGetValues("X-Authentication-Denied-Reason", out var denied) =>
                $"Jira locked the login behind a CAPTCHA ({string.Join(",", denied).Split(';')[0]}); a person must log in through the browser once.",
            _ => detail.Length > 0 ? detail : message.ReasonPhrase ?? "no detail",
        };
        return new ConnectorException(kind, $"{what} failed with HTTP {response.Status}: {reason}")
        {
            RetryAfter = kind == FailureKind.Transient ? RetryAfter.From(message, _time) : null,
        };
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Jira answers failed credentials as anonymous on many routes (reference §1.2); the header is the tell.</summary>
    private static void ThrowIfAnonymous(HttpResponseMessage message, string what)
    {
        if (message.Headers.TryGetValues("X-Seraph-LoginReason", out var reasons)
            && reasons.Any(r => r.Contains("AUTHENTICATED_FAILED", StringComparison.OrdinalIgnoreCase) || r.Contains("AUTHENTICATION_DENIED", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ConnectorException(FailureKind.Configuration, $"{what}: Jira did not accept the credentials and treated the request as anonymous (check the username and API token).");
        }
    }

    private static JsonNode? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.TrimStart()[0] is not ('{' or '['))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A response body that also releases its response when disposed.</summary>
    private sealed class ResponseStream(Stream inner, IDisposable owner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
