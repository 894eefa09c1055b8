using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce.Api;
using PluginHub.Connectors.Salesforce.Describe;

namespace PluginHub.Connectors.Salesforce.Read;

/// <summary>Reads records by id and finds them by correlation id, many per SOQL <c>IN</c> query.</summary>
internal sealed class RecordReader(SalesforceApi api, SchemaCache schemas)
{
    public async Task<IReadOnlyList<Record>> ReadByIdsAsync(string entity, IReadOnlyList<string> ids, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var obj = await schemas.ObjectAsync(entity, cancellationToken);
        var selection = FieldSelection.For(obj, fields);
        var mapper = await ChangeReader.MapperAsync(selection, schemas, cancellationToken);
        var records = new List<Record>();

        // A malformed id would fail the whole query; it cannot exist, so it is simply absent.
        foreach (var (soql, _) in Soql.PackIds(ids, list => $"SELECT {selection.SelectList} FROM {obj.Name} WHERE Id IN {list}"))
        {
            await foreach (var row in api.QueryRecordsAsync(soql, all: false, cancellationToken))
            {
                records.Add(mapper.Map(row));
            }
        }

        return records;
    }

    /// <summary>
    /// Searches the external-id (or unique) field the location names. Salesforce has no hidden record properties, so a location
    /// without a field, and the contract 1.0 overload (no location), find nothing: the documented default is "not stored".
    /// </summary>
    public async Task<IReadOnlyDictionary<string, RecordRef>> FindByCorrelationIdsAsync(string entity, IReadOnlyList<string> correlationIds, CorrelationLocation? location, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, RecordRef>(StringComparer.Ordinal);
        if (location?.Field is not { } fieldName || correlationIds.Count == 0)
        {
            return found;
        }

        var obj = await schemas.ObjectAsync(entity, cancellationToken);
        var field = obj.Field(fieldName) ?? throw new ConnectorException(FailureKind.Configuration, $"{obj.Name} has no field '{fieldName}' to hold correlation ids.");
        var wanted = correlationIds.Where(c => !string.IsNullOrEmpty(c)).ToHashSet(StringComparer.Ordinal);
        var display = obj.NameField is { } n && n.Name != "Id" ? $", {n.Name}" : string.Empty;
        foreach (var chunk in Soql.Chunks(wanted))
        {
            var soql = $"SELECT Id, {field.Name}{display} FROM {obj.Name} WHERE {field.Name} IN {Soql.InList(chunk)}";
            await foreach (var row in api.QueryRecordsAsync(soql, all: false, cancellationToken))
            {
                // External ids match case-insensitively in Salesforce; answer with the caller's spelling.
                var value = row.GetProperty(field.Name).GetString();
                var key = wanted.FirstOrDefault(w => string.Equals(w, value, StringComparison.OrdinalIgnoreCase));
                if (key is not null)
                {
                    found[key] = new RecordRef(obj.Name, row.GetProperty("Id").GetString()!)
                    {
                        DisplayKey = display.Length > 0 && row.TryGetProperty(obj.NameField!.Name, out var d) ? d.GetString() : null,
                    };
                }
            }
        }

        return found;
    }
}
