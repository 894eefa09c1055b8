using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Salesforce;
using PluginHub.Core.Sync;

namespace PluginHub.Core.Tests;

public sealed class ConnectorPoolTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_returned_connector_is_lent_again_for_its_key_only_and_never_to_two_runs_at_once()
    {
        await using var pool = new ConnectorPool(_time);
        var first = await pool.RentAsync("a@1", Open);
        var second = await pool.RentAsync("a@1", Open);
        Assert.NotSame(first, second); // the first is still lent

        await pool.ReturnAsync(first);
        Assert.Same(first, await pool.RentAsync("a@1", Open));
        Assert.NotSame(first, await pool.RentAsync("a@2", Open)); // the connection was saved since
    }

    [Fact]
    public async Task A_connector_idle_longer_than_its_lifetime_is_opened_afresh()
    {
        await using var pool = new ConnectorPool(_time);
        var first = await pool.RentAsync("a@1", Open);
        await pool.ReturnAsync(first);

        _time.Advance(ConnectorPool.IdleLifetime + TimeSpan.FromSeconds(1));

        Assert.NotSame(first, await pool.RentAsync("a@1", Open));
    }

    private static IConnector Open() => new SalesforceConnectorFactory().Create(new ConnectorContext
    {
        ConnectionId = "pool",
        LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        Settings = JsonDocument.Parse("""{"loginUrl":"http://127.0.0.1:9","username":"u","password":"p"}""").RootElement,
    });
}
