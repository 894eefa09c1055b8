namespace PluginHub.Persistence;

public enum StorageProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Configuration section <c>PluginHub:Storage</c> (environment: <c>PluginHub__Storage__Provider</c>, <c>PluginHub__Storage__ConnectionString</c>).</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite the default is <c>pluginhub.db</c> in the data folder.</summary>
    public string? ConnectionString { get; set; }
}
