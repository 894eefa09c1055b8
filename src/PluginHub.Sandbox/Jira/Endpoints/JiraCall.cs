using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Sandbox.Jira.Auth;
using PluginHub.Sandbox.Jira.Model;
using PluginHub.Sandbox.Jira.Rendering;

namespace PluginHub.Sandbox.Jira.Endpoints;

/// <summary>One emulated request: caller, API version, renderer and the helpers every endpoint needs.</summary>
internal sealed class JiraCall
{
    public const string JsonContentType = "application/json;charset=UTF-8";

    public const string InvalidPayload = "Invalid request payload. Refer to the REST API documentation and try again.";

    private JiraCall(HttpContext http, JiraStore store, string version, Caller caller)
    {
        Http = http;
        Store = store;
        Caller = caller;
        var request = http.Request;
        BaseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}{ContextPath(request.Path.Value ?? "")}";
        Json = new JiraJson(store, BaseUrl, version, caller.User);
    }

    public HttpContext Http { get; }

    /// <summary>The part of the path before the REST root (<c>/jira</c>, <c>/ex/jira/&lt;cloudId&gt;</c>): every self URL keeps it.</summary>
    public static string ContextPath(string path)
    {
        foreach (var root in (string[])["/rest/", "/secure/"])
        {
            var index = path.IndexOf(root, StringComparison.Ordinal);
            if (index >= 0)
            {
                return path[..index];
            }
        }

        return "";
    }

    public JiraStore Store { get; }

    public Caller Caller { get; }

    public JiraUser? User => Caller.User;

    /// <summary>Anonymous callers browse nothing unless the anonymous read switch is on.</summary>
    public bool CanBrowse => User is not null || Store.AnonymousRead;

    public string BaseUrl { get; }

    public JiraJson Json { get; }

    public Webhooks.JiraWebhooks Webhooks => Http.RequestServices.GetRequiredService<Webhooks.JiraWebhooks>();

    public bool IsV3 => Json.IsV3;

    /// <summary>The caller, or a 401 when the endpoint needs one (writes and <c>/myself</c>).</summary>
    public JiraUser RequireUser() => User ?? throw new JiraError(401, "You are not authenticated. Authentication required to perform this operation.");

    /// <summary>
    /// Runs an endpoint: authenticates (failed credentials → 401 with the Seraph header), maps <see cref="JiraError"/>
    /// and malformed JSON to Jira's error body.
    /// </summary>
    public static RequestDelegate Handle(string version, Func<JiraCall, Task> body) => async http =>
    {
        var store = http.RequestServices.GetRequiredService<JiraStore>();
        Caller caller;
        lock (store.Gate)
        {
            caller = JiraAuth.Authenticate(http.Request, store);
        }

        http.Response.Headers["X-AREQUESTID"] = $"{Environment.TickCount64 % 1440}x{Random.Shared.Next(100000, 999999)}x1";
        if (caller.CaptchaRequired)
        {
            // Too many failed logins: Jira wants a human to solve a CAPTCHA in the browser; REST cannot recover.
            http.Response.StatusCode = 403;
            http.Response.Headers["X-Seraph-LoginReason"] = "AUTHENTICATION_DENIED";
            http.Response.Headers["X-Authentication-Denied-Reason"] = $"CAPTCHA_CHALLENGE; login-url={http.Request.Scheme}://{http.Request.Host}/login.jsp";
            http.Response.ContentType = "text/html;charset=UTF-8";
            await http.Response.WriteAsync("<html><body>Basic Authentication Failure - Reason : AUTHENTICATION_DENIED</body></html>");
            return;
        }

        if (caller.CredentialsFailed && store.FailedLoginAsAnonymous)
        {
            // Jira's other failure mode: carry on as anonymous; only this header tells the caller its login failed.
            http.Response.Headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED";
            caller = new Caller(null, false);
        }

        if (caller.CredentialsFailed)
        {
            await WriteUnauthorizedAsync(http, store);
            return;
        }

        if (caller.User is { } user)
        {
            if (store.IsCloud)
            {
                http.Response.Headers["X-AAccountId"] = user.AccountId;
            }
            else
            {
                http.Response.Headers["X-AUSERNAME"] = user.Name;
            }
        }

        var call = new JiraCall(http, store, version, caller);
        try
        {
            await body(call);
        }
        catch (JiraError e)
        {
            if (e.Status == 401)
            {
                await WriteUnauthorizedAsync(http, store, failed: false);
                return;
            }

            foreach (var (name, value) in e.Headers)
            {
                http.Response.Headers[name] = value;
            }

            await call.WriteAsync(e.Status, JiraError.Body(e.Messages, e.Errors));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException && !http.Response.HasStarted)
        {
            // Malformed JSON, or a value of the wrong JSON type where the endpoint reads a string or number.
            await call.WriteAsync(400, JiraError.Body([InvalidPayload], new Dictionary<string, string>()));
        }
    };

    private static async Task WriteUnauthorizedAsync(HttpContext http, JiraStore store, bool failed = true)
    {
        http.Response.StatusCode = 401;
        http.Response.Headers.WWWAuthenticate = store.IsCloud ? "Basic realm=\"protected-area\"" : "OAuth realm=\"" + http.Request.Host + "\"";
        if (failed)
        {
            http.Response.Headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED";
        }

        http.Response.ContentType = JsonContentType;
        var body = store.IsCloud
            ? new JsonObject { ["message"] = "Client must be authenticated to access this resource.", ["status-code"] = 401 }
            : JiraError.Body(["You are not authenticated. Authentication required to perform this operation."], new Dictionary<string, string>());
        await http.Response.WriteAsync(body.ToJsonString(JiraJson.Options), Encoding.UTF8);
    }

    public async Task WriteAsync(int status, JsonNode? body)
    {
        Http.Response.StatusCode = status;
        Http.Response.ContentType = JsonContentType;
        await Http.Response.WriteAsync(body?.ToJsonString(JiraJson.Options) ?? "null", Encoding.UTF8);
    }

    public Task OkAsync(JsonNode? body) => WriteAsync(200, body);

    public Task NoContentAsync()
    {
        Http.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    public string Route(string name) => Http.Request.RouteValues[name]?.ToString() ?? "";

    /// <summary>A query parameter's values, comma-joined and repeated forms alike.</summary>
    public List<string> QueryList(string name) =>
        Http.Request.Query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    public int QueryInt(string name, int fallback) =>
        int.TryParse(Query(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public bool QueryBool(string name, bool fallback) => bool.TryParse(Query(name), out var value) ? value : fallback;

    /// <summary>Reads a JSON body; refuses a non-JSON content type with 415 like Jira's REST layer.</summary>
    public async Task<JsonNode?> ReadJsonAsync()
    {
        var contentType = Http.Request.ContentType ?? "";
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new JiraError(415, "Unsupported Media Type");
        }

        using var reader = new StreamReader(Http.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(Http.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return JsonNode.Parse(text);
    }

    public async Task<JsonObject> ReadObjectAsync() =>
        await ReadJsonAsync() as JsonObject ?? throw new JiraError(400, "Can not deserialize instance of object out of the request body.");

    public JiraIssue Issue(string idOrKey) =>
        (!CanBrowse ? null : Store.FindIssue(idOrKey)) ?? throw new JiraError(404, "Issue does not exist or you do not have permission to see it.");

    /// <summary>An issue about to be written: subject to Cloud's per-issue write limit when that switch is on.</summary>
    public JiraIssue IssueForWrite(string idOrKey)
    {
        var issue = Issue(idOrKey);
        if (Store.IsCloud && Store.PerIssueWriteLimit && !Store.TryRecordIssueWrite(issue.Id, out var retryAfter))
        {
            var error = new JiraError(429, "Too many writes to this issue. Please slow down.");
            error.Headers["Retry-After"] = retryAfter.ToString(CultureInfo.InvariantCulture);
            error.Headers["RateLimit-Reason"] = "jira-per-issue-on-write";
            error.Headers["X-RateLimit-Limit"] = "20";
            error.Headers["X-RateLimit-Remaining"] = "0";
            throw error;
        }

        return issue;
    }

    public TimeZoneInfo Zone => User?.TimeZone ?? TimeZoneInfo.Utc;
}
