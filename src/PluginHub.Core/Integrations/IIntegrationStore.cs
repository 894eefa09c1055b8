namespace PluginHub.Core.Integrations;

/// <summary>Stores integrations. Implementations are safe to call from several threads (each call uses its own unit of work).</summary>
public interface IIntegrationStore
{
    Task<IReadOnlyList<Integration>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The integration, or null when there is none with this id.</summary>
    Task<Integration?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Adds a new integration; <see cref="Integration.Revision"/>, timestamps are set by the store.</summary>
    Task<Integration> AddAsync(string name, string definition, IntegrationSchedule schedule, CancellationToken cancellationToken);

    /// <summary>Changes an integration and bumps its revision; null when it does not exist.</summary>
    Task<Integration?> UpdateAsync(Guid id, string name, string definition, IntegrationSchedule schedule, CancellationToken cancellationToken);

    /// <summary>Turns polling on or off and bumps the revision; null when it does not exist.</summary>
    Task<Integration?> SetEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken);

    /// <summary>Deletes the integration with its links, watermarks, runs and errors; false when it did not exist.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken);
}
