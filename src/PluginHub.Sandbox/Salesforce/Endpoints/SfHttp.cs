using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Salesforce.Endpoints;

/// <summary>One part of a multipart upload (the JSON entity part or a binary blob part).</summary>
internal sealed record SfPart(string Name, string? FileName, string? ContentType, byte[] Data);

/// <summary>A REST call as the handlers see it: already authenticated, body read; also built by /composite for its subrequests.</summary>
internal sealed class SfRequest
{
    public required string Method { get; init; }

    public required string Version { get; init; }

    public required IReadOnlyDictionary<string, string> Route { get; init; }

    public required IQueryCollection Query { get; init; }

    public Func<string, string?> Header { get; init; } = static _ => null;

    public ReadOnlyMemory<byte> Body { get; init; }

    public string? ContentType { get; init; }

    public required string UserId { get; init; }

    public required string BaseUrl { get; init; }

    public IReadOnlyList<SfPart> Parts { get; init; } = [];

    /// <summary>The all-or-none unit the call belongs to (composite), or null when it commits on its own.</summary>
    public SfTx? Tx { get; init; }

    /// <summary>Assignment rules run unless the caller sends <c>Sforce-Auto-Assign: FALSE</c>.</summary>
    public bool AutoAssign => !string.Equals(Header("Sforce-Auto-Assign"), "FALSE", StringComparison.OrdinalIgnoreCase);

    public int VersionNumber => (int)decimal.Parse(Version, CultureInfo.InvariantCulture);

    public string DataPath => $"/services/data/v{Version}";

    public string this[string key] => Route.TryGetValue(key, out var v) ? v : string.Empty;

    public JsonElement Json()
    {
        var body = Body;
        if (Parts.Count > 0)
        {
            body = (Parts.FirstOrDefault(p => p.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true) ?? Parts[0]).Data;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw SfException.BadRequest("JSON_PARSER_ERROR", $"Unexpected character in request body: {ex.Message}");
        }
    }
}

/// <summary>What a handler answers: JSON, raw bytes (blobs) or nothing (204).</summary>
internal sealed class SfResponse
{
    public int Status { get; init; } = 200;

    public JsonNode? Json { get; init; }

    public byte[]? Raw { get; init; }

    public string? RawType { get; init; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static SfResponse Of(JsonNode? json, int status = 200) => new() { Json = json, Status = status };

    public static SfResponse NoContent() => new() { Status = 204 };

    public static SfResponse Fail(SfException e) => new() { Status = e.Status, Json = SfJson.Errors(e.Errors) };

    public static SfResponse Saved(string id, bool? created = null, int status = 201)
    {
        var o = new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() };
        if (created is { } c)
        {
            o["created"] = c;
        }

        return Of(o, status);
    }
}

internal static class SfHttp
{
    public const string JsonType = "application/json;charset=UTF-8";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (node is null)
            {
                w.WriteNullValue();
            }
            else
            {
                node.WriteTo(w);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static async Task WriteAsync(HttpContext ctx, SfResponse res)
    {
        ctx.Response.StatusCode = res.Status;
        foreach (var (k, v) in res.Headers)
        {
            ctx.Response.Headers[k] = v;
        }

        if (res.Raw is not null)
        {
            ctx.Response.ContentType = res.RawType ?? "application/octet-stream";
            ctx.Response.ContentLength = res.Raw.Length;
            await ctx.Response.Body.WriteAsync(res.Raw, ctx.RequestAborted);
        }
        else if (res.Json is not null && res.Status != 204)
        {
            var bytes = Serialize(res.Json);
            ctx.Response.ContentType = JsonType;
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
        }
    }

    public static Task WriteErrorAsync(HttpContext ctx, int status, string code, string message) =>
        WriteAsync(ctx, SfResponse.Of(SfJson.Errors([new SfError(code, message)]), status));

    /// <summary>Salesforce refuses a URI over 16,384 bytes (414 URI Too Long), and a URI plus headers over 16,384 bytes (431).</summary>
    public const int MaxUriBytes = 16_384;

    /// <summary>
    /// The URI limits of reference §3.1, checked before anything else (the answer comes from Salesforce's web tier: a status and
    /// a short HTML page, no JSON error array). Admin routes are not limited.
    /// </summary>
    public static async Task CheckUriLimitsAsync(HttpContext ctx, RequestDelegate next)
    {
        if (ctx.Request.Path.StartsWithSegments("/_sandbox"))
        {
            await next(ctx);
            return;
        }

        var target = ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? $"{ctx.Request.Path}{ctx.Request.QueryString}";

        var uri = System.Text.Encoding.UTF8.GetByteCount(target);
        var headers = ctx.Request.Headers.Sum(h => h.Value.Sum(v => h.Key.Length + 4 + System.Text.Encoding.UTF8.GetByteCount(v ?? string.Empty)));
        var (status, title) = uri > MaxUriBytes ? (414, "URI Too Long") : uri + headers > MaxUriBytes ? (431, "Request Header Fields Too Large") : (0, null);
        if (title is null)
        {
            await next(ctx);
            return;
        }

        var html = System.Text.Encoding.UTF8.GetBytes($"<html><head><title>{status} {title}</title></head><body><h1>{title}</h1></body></html>");
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html;charset=UTF-8";
        ctx.Response.ContentLength = html.Length;
        await ctx.Response.Body.WriteAsync(html, ctx.RequestAborted);
    }

    public static string BaseUrl(HttpContext ctx) => $"{ctx.Request.Scheme}://{ctx.Request.Host}";

    /// <summary>The token of <c>Authorization: Bearer x</c> or the legacy <c>Authorization: OAuth x</c> (CometD), or null.</summary>
    public static string? BearerToken(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        foreach (var scheme in new[] { "Bearer ", "OAuth " })
        {
            if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return header[scheme.Length..].Trim();
            }
        }

        return null;
    }
}

/// <summary>API versions: 31.0 up to the latest answer alike, 21.0-30.0 are retired (410), anything else is unknown (404).</summary>
internal static class SfVersions
{
    public const int Oldest = 31;
    public const int Latest = 66;

    public static int Check(string? version)
    {
        if (version is null || !version.EndsWith(".0", StringComparison.Ordinal) || !int.TryParse(version.AsSpan(0, version.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
        {
            return 404;
        }

        return v is >= Oldest and <= Latest ? 200 : v is >= 21 and < Oldest ? 410 : 404;
    }

    /// <summary>Three releases a year: 31.0 was Summer '14, then Winter, Spring, Summer.</summary>
    public static string Label(int v)
    {
        var k = v - Oldest;
        var season = (k % 3) switch { 0 => "Summer", 1 => "Winter", _ => "Spring" };
        return $"{season} '{14 + ((k + 2) / 3):D2}";
    }
}
