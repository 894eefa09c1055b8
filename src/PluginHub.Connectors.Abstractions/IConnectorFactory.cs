namespace PluginHub.Connectors.Abstractions;

/// <summary>
/// The entry point of a connector plugin. Each plugin assembly contains exactly one public, non-abstract implementation
/// with a public parameterless constructor; the host creates it once when the plugin is loaded and keeps it for the
/// life of the process.
/// </summary>
/// <remarks>
/// The constructor must be cheap and must not do I/O: it runs while the host starts, and an exception there marks the
/// plugin Faulted. <see cref="Create"/> may be called concurrently from several threads.
/// </remarks>
public interface IConnectorFactory
{
    /// <summary>
    /// Creates a connector for one connection. Must not do I/O (the first call does it); invalid settings may throw
    /// <see cref="ConnectorException"/> with <see cref="FailureKind.Configuration"/>.
    /// </summary>
    /// <param name="context">The connection's settings (secrets already decrypted), a logger and the clock.</param>
    /// <returns>A new connector; the caller owns it and disposes it.</returns>
    IConnector Create(ConnectorContext context);
}
