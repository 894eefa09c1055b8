using System.Text.Json;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Salesforce.Write;

/// <summary>
/// A per-record error of sObject Collections as a <see cref="WriteError"/>. Salesforce's own messages may quote the values
/// (duplicates, picklists), so the message is ours, built from the code and the fields; only validation-rule texts, which admins
/// write, are passed through.
/// </summary>
internal static class WriteErrors
{
    public static WriteError From(JsonElement error)
    {
        var code = Str(error, "statusCode") ?? Str(error, "errorCode") ?? "UNKNOWN_EXCEPTION";
        IReadOnlyList<string> fields = error.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array
            ? [.. f.EnumerateArray().Select(x => x.GetString()).OfType<string>()]
            : [];
        var named = fields.Count == 0 ? string.Empty : $" ({string.Join(", ", fields)})";
        var recordMissing = fields.Count == 0 || fields is ["Id"];
        var (kind, message) = code switch
        {
            "ENTITY_IS_DELETED" => (FailureKind.NotFound, "The record is deleted."),
            "NOT_FOUND" or "INVALID_ID_FIELD" => (FailureKind.NotFound, "The record does not exist."),
            "INVALID_CROSS_REFERENCE_KEY" or "MALFORMED_ID" when recordMissing => (FailureKind.NotFound, "The record does not exist."),
            "INVALID_CROSS_REFERENCE_KEY" => (FailureKind.Internal, $"A lookup points at a record that does not exist{named}."),
            "MALFORMED_ID" => (FailureKind.Internal, $"A lookup holds something that is not an id{named}."),
            "REQUIRED_FIELD_MISSING" => (FailureKind.Internal, $"Required fields are missing{named}."),
            "DUPLICATE_VALUE" or "DUPLICATE_EXTERNAL_ID" => (FailureKind.Internal, $"Another record already has the same value in a unique field{named}."),
            "FIELD_CUSTOM_VALIDATION_EXCEPTION" => (FailureKind.Internal, $"A validation rule refused the record{named}: {Str(error, "message")}"),
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" or "INVALID_PICKLIST_VALUE" => (FailureKind.Internal, $"Not an allowed picklist value{named}."),
            "STRING_TOO_LONG" => (FailureKind.Internal, $"A value is too long{named}."),
            "INVALID_FIELD_FOR_INSERT_UPDATE" or "INVALID_FIELD" => (FailureKind.Internal, $"Fields that cannot be written{named}."),
            "UNABLE_TO_LOCK_ROW" => (FailureKind.Transient, "The record is locked by another change; it is retried later."),
            "REQUEST_LIMIT_EXCEEDED" => (FailureKind.Transient, "The org's API request limit is reached."),
            "INSUFFICIENT_ACCESS_OR_READONLY" or "INSUFFICIENT_ACCESS" => (FailureKind.Configuration, "The integration user may not change this record."),
            _ => (FailureKind.Internal, $"Salesforce refused the write{named}."),
        };
        return new WriteError(kind, $"{message} [{code}]") { RemoteCode = code, Fields = fields };
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
