using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;

namespace PluginHub.Host.Connections;

/// <summary>Encrypts connection settings at rest with ASP.NET Core Data Protection (keys in the data folder).</summary>
public sealed class SettingsProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("PluginHub.ConnectionSettings.v1");

    public string Protect(JsonObject settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return _protector.Protect(settings.ToJsonString());
    }

    public JsonObject Unprotect(string protectedSettings) =>
        JsonNode.Parse(_protector.Unprotect(protectedSettings)) as JsonObject ?? [];
}
