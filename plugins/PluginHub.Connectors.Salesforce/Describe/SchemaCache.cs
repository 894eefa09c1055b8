using System.Collections.Concurrent;
using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Api;

namespace PluginHub.Connectors.Salesforce.Describe;

/// <summary>One entry of describeGlobal.</summary>
internal sealed record SfObjectSummary(string Name, string Label, bool Custom, string? KeyPrefix, bool Queryable);

/// <summary>
/// describeGlobal and per-object describes, cached for the connector instance (schemas change rarely, and a run asks for the
/// same object many times). Concurrent callers share one request; a failed describe is not cached.
/// </summary>
internal sealed class SchemaCache(SalesforceApi api)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SfObject>>> _objects = new(StringComparer.OrdinalIgnoreCase);
    private Lazy<Task<IReadOnlyList<SfObjectSummary>>>? _global;

    public async Task<IReadOnlyList<SfObjectSummary>> GlobalAsync(CancellationToken cancellationToken)
    {
        var lazy = LazyInitializer.EnsureInitialized(ref _global, () => new Lazy<Task<IReadOnlyList<SfObjectSummary>>>(() => LoadGlobalAsync(cancellationToken)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            Interlocked.CompareExchange(ref _global, null, lazy);
            throw;
        }
    }

    /// <summary>The object's describe; NotFound when the org has no such object.</summary>
    public async Task<SfObject> ObjectAsync(string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ConnectorException(FailureKind.NotFound, $"'{name}' is not a Salesforce object name.");
        }

        var lazy = _objects.GetOrAdd(name, n => new Lazy<Task<SfObject>>(() => LoadAsync(n, cancellationToken)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _objects.TryRemove(new KeyValuePair<string, Lazy<Task<SfObject>>>(name, lazy));
            throw;
        }
    }

    /// <summary>The object an id belongs to, by its key prefix; null when unknown.</summary>
    public async Task<string?> ObjectOfIdAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length < 3)
        {
            return null;
        }

        var prefix = id[..3];
        return (await GlobalAsync(cancellationToken)).FirstOrDefault(o => o.KeyPrefix == prefix)?.Name;
    }

    private async Task<IReadOnlyList<SfObjectSummary>> LoadGlobalAsync(CancellationToken cancellationToken)
    {
        var body = (await api.GetAsync("sobjects", "Describing the org's objects", cancellationToken)).Body;
        return [.. body.GetProperty("sobjects").EnumerateArray().Select(o => new SfObjectSummary(
            o.GetProperty("name").GetString()!,
            o.TryGetProperty("label", out var l) ? l.GetString() ?? string.Empty : string.Empty,
            o.TryGetProperty("custom", out var c) && c.ValueKind == JsonValueKind.True,
            o.TryGetProperty("keyPrefix", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null,
            !o.TryGetProperty("queryable", out var q) || q.ValueKind == JsonValueKind.True))];
    }

    private async Task<SfObject> LoadAsync(string name, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = (await api.GetAsync($"sobjects/{name}/describe", $"Describing {name}", cancellationToken)).Body;
        }
        catch (SalesforceException e) when (e.Status == 404)
        {
            throw new ConnectorException(FailureKind.NotFound, $"The org has no object named '{name}'.", e) { RemoteCode = e.RemoteCode };
        }

        var canonical = body.GetProperty("name").GetString()!;
        var fields = body.GetProperty("fields").EnumerateArray().Select(SfField.From).ToList();
        var closed = canonical == "Case" ? await ClosedStatusesAsync(cancellationToken) : new HashSet<string>();
        return new SfObject(
            canonical,
            body.TryGetProperty("label", out var l) ? l.GetString() ?? canonical : canonical,
            body.TryGetProperty("custom", out var c) && c.ValueKind == JsonValueKind.True,
            fields,
            closed);
    }

    /// <summary>Which Case statuses close a case (the CaseStatus table); empty when the org does not say.</summary>
    private async Task<HashSet<string>> ClosedStatusesAsync(CancellationToken cancellationToken)
    {
        var closed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            await foreach (var row in api.QueryRecordsAsync("SELECT ApiName, IsClosed FROM CaseStatus", all: false, cancellationToken))
            {
                if (row.GetProperty("IsClosed").ValueKind == JsonValueKind.True && row.GetProperty("ApiName").GetString() is { } value)
                {
                    closed.Add(value);
                }
            }
        }
        catch (ConnectorException e) when (e.Kind is FailureKind.Configuration or FailureKind.NotFound)
        {
            // Older API versions lack CaseStatus.ApiName: the schema then simply has no status categories.
        }

        return closed;
    }
}
