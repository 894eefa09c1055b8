using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Plugins.Tests;

internal static class TestContexts
{
    public static ConnectorContext Create(string settingsJson = "{}", TimeProvider? time = null)
    {
        using var settings = JsonDocument.Parse(settingsJson);
        return new ConnectorContext
        {
            ConnectionId = "conn-1",
            Settings = settings.RootElement.Clone(),
            LoggerFactory = NullLoggerFactory.Instance,
            Time = time ?? TimeProvider.System,
        };
    }
}

/// <summary>A clock that always says the same instant.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
