using System.IO.Compression;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PluginHub.Sandbox.Salesforce.Auth;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Salesforce.Endpoints;

/// <summary>
/// Maps the data routes: version check (410 retired, 404 unknown), bearer check (401 INVALID_SESSION_ID), API usage counting
/// (<c>Sforce-Limit-Info</c>), body reading (gzip, multipart), then the handler under the org lock.
/// </summary>
internal static class SfDataEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/services/data", (HttpContext ctx) => SfHttp.WriteAsync(ctx, SfResponse.Of(Versions())));
        var rest = app.Services.GetRequiredService<SfRestApi>();
        var group = app.MapGroup("/services/data/v{version}");
        foreach (var route in rest.Routes)
        {
            group.MapMethods(route.Template, [route.Method], ctx => HandleAsync(ctx, route));
        }

        group.Map("/{**rest}", ctx => HandleAsync(ctx, null));
    }

    private static System.Text.Json.Nodes.JsonArray Versions()
    {
        var list = new System.Text.Json.Nodes.JsonArray();
        for (var v = SfVersions.Oldest; v <= SfVersions.Latest; v++)
        {
            list.Add(new System.Text.Json.Nodes.JsonObject { ["label"] = SfVersions.Label(v), ["url"] = $"/services/data/v{v}.0", ["version"] = $"{v}.0" });
        }

        return list;
    }

    private static async Task HandleAsync(HttpContext ctx, SfRoute? route)
    {
        var services = ctx.RequestServices;
        var version = ctx.GetRouteValue("version") as string;
        switch (SfVersions.Check(version))
        {
            case 410:
                await SfHttp.WriteErrorAsync(ctx, 410, "UNSUPPORTED_API_VERSION", $"Version {version} of the API is no longer supported. Please use a later version.");
                return;
            case 404:
                await SfHttp.WriteErrorAsync(ctx, 404, "NOT_FOUND", "The requested resource does not exist");
                return;
        }

        var session = services.GetRequiredService<SfSessions>().Validate(SfHttp.BearerToken(ctx));
        if (session is null)
        {
            await SfHttp.WriteErrorAsync(ctx, 401, "INVALID_SESSION_ID", "Session expired or invalid");
            return;
        }

        var org = services.GetRequiredService<SfOrg>();
        var used = org.CountApiCall();
        ctx.Response.Headers["Sforce-Limit-Info"] = $"api-usage={used}/{org.ApiLimit}";
        if (used > org.ApiLimit)
        {
            await SfHttp.WriteErrorAsync(ctx, 403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
            return;
        }

        if (route is null)
        {
            // A known resource with another verb is 405 with the allowed methods, as Salesforce answers; anything else 404.
            var rest = services.GetRequiredService<SfRestApi>();
            var path = "/" + (ctx.GetRouteValue("rest") as string ?? string.Empty);
            var allowed = rest.Routes.Where(r => r.TryMatch(r.Method, path, out _) && !(r.Method == "POST" && r.Template == "/sobjects/{type}/{id}")) // the "Id" create alias is not advertised
                .Select(r => r.Method).Distinct().ToList();
            if (allowed.Count > 0)
            {
                if (allowed.Contains("GET"))
                {
                    allowed.Insert(0, "HEAD");
                }

                await SfHttp.WriteErrorAsync(ctx, 405, "METHOD_NOT_ALLOWED", $"HTTP Method '{ctx.Request.Method}' not allowed. Allowed are {string.Join(',', allowed)}");
                return;
            }

            await SfHttp.WriteErrorAsync(ctx, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }

        SfResponse res;
        try
        {
            var (body, parts) = await ReadBodyAsync(ctx);
            var headers = ctx.Request.Headers;
            var req = new SfRequest
            {
                Method = route.Method,
                Version = version!,
                Route = ctx.Request.RouteValues.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => Uri.UnescapeDataString(p.Value!.ToString()!), StringComparer.OrdinalIgnoreCase),
                Query = ctx.Request.Query,
                Header = name => headers.TryGetValue(name, out var v) ? v.ToString() : null,
                Body = body,
                Parts = parts,
                ContentType = ctx.Request.ContentType,
                UserId = session.UserId,
                BaseUrl = SfHttp.BaseUrl(ctx),
            };
            lock (org.Gate)
            {
                res = route.Handler(req);
            }
        }
        catch (SfException e)
        {
            res = SfResponse.Fail(e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A sandbox bug still answers in Salesforce's shape, with the cause in the message for whoever debugs it.
            ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Salesforce").LogError(e, "Unhandled error in {Route}", route.Template);
            res = SfResponse.Fail(new SfException(500, new SfError("UNKNOWN_EXCEPTION", $"An unexpected error occurred. Please include this ErrorId if you contact support: {e.GetType().Name}: {e.Message}")));
        }

        await SfHttp.WriteAsync(ctx, res);
    }

    private static async Task<(byte[] Body, List<SfPart> Parts)> ReadBodyAsync(HttpContext ctx)
    {
        Stream stream = ctx.Request.Body;
        if (ctx.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }

        var parts = new List<SfPart>();
        if (MediaTypeHeaderValue.TryParse(ctx.Request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).ToString();
            var reader = new MultipartReader(boundary, stream);
            while (await reader.ReadNextSectionAsync(ctx.RequestAborted) is { } section)
            {
                ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition);
                using var ms = new MemoryStream();
                await section.Body.CopyToAsync(ms, ctx.RequestAborted);
                parts.Add(new SfPart(HeaderUtilities.RemoveQuotes(disposition?.Name ?? string.Empty).ToString(), HeaderUtilities.RemoveQuotes(disposition?.FileName ?? string.Empty).ToString(), section.ContentType, ms.ToArray()));
            }

            return ([], parts);
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ctx.RequestAborted);
        return (buffer.ToArray(), parts);
    }
}
