namespace PluginHub.Connectors.Salesforce.Files;

/// <summary>MIME types of common file extensions (Files store an extension, not a content type).</summary>
internal static class MimeTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        ["txt"] = "text/plain",
        ["log"] = "text/plain",
        ["csv"] = "text/csv",
        ["html"] = "text/html",
        ["htm"] = "text/html",
        ["xml"] = "application/xml",
        ["json"] = "application/json",
        ["pdf"] = "application/pdf",
        ["zip"] = "application/zip",
        ["png"] = "image/png",
        ["jpg"] = "image/jpeg",
        ["jpeg"] = "image/jpeg",
        ["gif"] = "image/gif",
        ["svg"] = "image/svg+xml",
        ["doc"] = "application/msword",
        ["docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ["xls"] = "application/vnd.ms-excel",
        ["xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ["ppt"] = "application/vnd.ms-powerpoint",
        ["pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ["eml"] = "message/rfc822",
    };

    public static string Of(string? extension) =>
        extension is not null && ByExtension.TryGetValue(extension.TrimStart('.'), out var type) ? type : "application/octet-stream";
}
