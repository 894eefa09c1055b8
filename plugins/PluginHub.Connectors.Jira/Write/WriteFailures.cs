using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Sdk.Text;

namespace PluginHub.Connectors.Jira.Write;

/// <summary>Per-record failures with Jira's reasons, stripped of the values the write carried.</summary>
internal static class WriteFailures
{
    public static WriteResult From(int status, JiraErrors errors, RecordWrite write, string what)
    {
        var kind = status switch
        {
            404 => FailureKind.NotFound,
            401 or 403 => FailureKind.Configuration,
            408 or 409 or 429 or >= 500 => FailureKind.Transient,
            _ => FailureKind.Internal,
        };
        var detail = errors.Describe();
        var message = Redact($"{what} failed (HTTP {status}){(detail.Length > 0 ? ": " + detail : ".")}", write);
        return new WriteResult
        {
            Succeeded = false,
            Error = new WriteError(kind, message) { Fields = [.. errors.Fields.Keys] },
        };
    }

    public static WriteResult From(ConnectorException exception, RecordWrite write) =>
        WriteResult.Failure(exception.Kind, Redact(exception.Message, write), exception.RemoteCode);

    /// <summary>Jira's messages may quote what was sent ("The value 'X' does not exist"): every written text is masked.</summary>
    public static string Redact(string message, RecordWrite write)
    {
        var texts = write.Fields.Values.SelectMany(Texts).Append(write.CorrelationId ?? "").Append(write.ExternalId ?? "")
            .Where(t => t.Trim().Length >= 3).Distinct(StringComparer.Ordinal).OrderByDescending(t => t.Length);
        foreach (var text in texts)
        {
            message = message.Replace(text.Trim(), "…", StringComparison.OrdinalIgnoreCase);
        }

        return message;
    }

    private static IEnumerable<string> Texts(FieldValue value) => value switch
    {
        TextValue t => [t.Value],
        RichTextValue r => [r.Content, PlainText.Of(r)],
        ChoiceValue c => [c.Key, c.Label ?? ""],
        MultiChoiceValue m => m.Values.SelectMany(Texts),
        ListValue l => l.Items.SelectMany(Texts),
        UserValue u => [u.User.Email ?? "", u.User.DisplayName ?? "", u.User.Id ?? ""],
        JsonFieldValue j => [j.Value.GetRawText()],
        _ => [],
    };
}
