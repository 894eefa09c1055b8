using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Salesforce.Api;

/// <summary>A failed REST call, with the HTTP status so that callers can tell "the whole request was refused" from "retry later".</summary>
internal sealed class SalesforceException(FailureKind kind, string message, int? status, Exception? inner = null)
    : ConnectorException(kind, message, inner)
{
    public int? Status { get; } = status;
}
