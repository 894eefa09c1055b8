using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PluginHub.Connectors.Abstractions;

/// <summary>What the host hands a connector when it creates one for a connection.</summary>
public sealed class ConnectorContext
{
    /// <summary>The host's id of the connection, for logs and caches keyed per connection.</summary>
    public required string ConnectionId { get; init; }

    /// <summary>
    /// The connection's settings as a JSON object, validated against the plugin's settings schema, with secret
    /// properties (<c>"x-secret": true</c>) decrypted. The connector must never log them or put them in exception messages.
    /// </summary>
    public required JsonElement Settings { get; init; }

    /// <summary>Creates loggers. Messages must never contain secrets or record field values.</summary>
    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>The clock. Connectors use it for every "now" (watermarks, token expiry) so that tests can control time.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
