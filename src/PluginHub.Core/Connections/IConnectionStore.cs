namespace PluginHub.Core.Connections;

/// <summary>Stores connections. Names are unique.</summary>
public interface IConnectionStore
{
    Task<IReadOnlyList<Connection>> ListAsync(CancellationToken cancellationToken);

    Task<Connection?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Adds a connection; null when the name is taken.</summary>
    Task<Connection?> AddAsync(string name, string connector, string protectedSettings, CancellationToken cancellationToken);

    /// <summary>Changes name and settings; <see cref="StoreUpdate.NotFound"/> or <see cref="StoreUpdate.NameTaken"/> when it cannot.</summary>
    Task<(StoreUpdate Outcome, Connection? Connection)> UpdateAsync(Guid id, string name, string protectedSettings, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken);
}

public enum StoreUpdate
{
    Updated,
    NotFound,
    NameTaken,
}
