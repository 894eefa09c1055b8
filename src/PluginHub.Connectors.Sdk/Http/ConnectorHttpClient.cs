using Flurl.Http;
using Flurl.Http.Configuration;

namespace PluginHub.Connectors.Sdk.Http;

/// <summary>
/// A Flurl client for one remote system with retries (see <see cref="ResilientHandler"/>) and a count of the calls made.
/// Thread-safe; create one per connector instance and dispose it with the connector.
/// </summary>
public sealed class ConnectorHttpClient : IDisposable
{
    private readonly ResilientHandler _resilience;

    public ConnectorHttpClient(ConnectorHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _resilience = new ResilientHandler(options);
        Client = new FlurlClientBuilder(options.BaseUrl.ToString())
            .AddMiddleware(() => _resilience)
            .WithHeader("User-Agent", options.UserAgent)
            .WithSettings(s =>
            {
                // Per-attempt timeouts are Polly's; Flurl's own would cut across retries.
                s.Timeout = Timeout.InfiniteTimeSpan;
                s.JsonSerializer = new DefaultJsonSerializer(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
            })
            .Build();
    }

    /// <summary>The underlying client; build requests with <c>Client.Request("path", "segments")</c>.</summary>
    public IFlurlClient Client { get; }

    /// <summary>HTTP requests sent, retries included.</summary>
    public long Calls => _resilience.Attempts;

    /// <summary>Retries made after transient failures.</summary>
    public long Retries => _resilience.Retries;

    /// <summary>Starts a request relative to the base URL.</summary>
    public IFlurlRequest Request(params object[] pathSegments) => Client.Request(pathSegments);

    public void Dispose() => Client.Dispose();
}
