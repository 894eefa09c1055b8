namespace PluginHub.Plugins;

/// <summary>Where a discovered plugin stands.</summary>
public enum PluginStatus
{
    /// <summary>Loaded; connections can use it.</summary>
    Active,

    /// <summary>Something is wrong with the folder, the manifest or the code; see the error. Never loaded or no longer used.</summary>
    Faulted,

    /// <summary>Built against a contract this host cannot run; its code was never loaded.</summary>
    Incompatible,

    /// <summary>Turned off by configuration; its code was never loaded.</summary>
    Disabled,
}
