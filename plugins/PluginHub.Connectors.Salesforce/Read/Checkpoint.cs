using System.Text.Json;
using System.Text.Json.Serialization;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Salesforce.Read;

/// <summary>
/// Where an incremental read stands: every change up to (<see cref="Stamp"/>, <see cref="Id"/>) in SystemModstamp, Id order has been
/// handled, and every change with a SystemModstamp below <see cref="Horizon"/> was visible when it was read (so neither a
/// transaction committing late nor a second change within the same second can add one there). Serialised as JSON; the host treats it as opaque.
/// </summary>
internal sealed record Checkpoint(
    [property: JsonPropertyName("t")] DateTimeOffset Stamp,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("h")] DateTimeOffset Horizon)
{
    public string Serialize() => JsonSerializer.Serialize(this);

    public static Checkpoint? Parse(string? watermark)
    {
        if (string.IsNullOrEmpty(watermark))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Checkpoint>(watermark) is { Id: not null } c && (c.Id.Length == 0 || Soql.IsId(c.Id))
                ? c
                : throw new JsonException();
        }
        catch (JsonException e)
        {
            throw new ConnectorException(FailureKind.Configuration, "The watermark was not written by the Salesforce connector.", e);
        }
    }

    /// <summary>The later position of the two (SystemModstamp, then Id), so that re-reading an overlap never moves a checkpoint back.</summary>
    public Checkpoint AtLeast(DateTimeOffset stamp, string id) =>
        stamp > Stamp || (stamp == Stamp && string.CompareOrdinal(id, Id) > 0) ? this with { Stamp = stamp, Id = id } : this;
}
