using System.Globalization;
using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Sdk.Settings;

namespace PluginHub.Connectors.Jira.Api;

/// <summary>A Jira connection's settings, validated once when the connector is created (no I/O).</summary>
internal sealed record JiraSettings
{
    public required Uri BaseUrl { get; init; }

    public required bool IsCloud { get; init; }

    /// <summary>"2" (wiki markup) or "3" (ADF, Cloud only).</summary>
    public required string ApiVersion { get; init; }

    /// <summary>E-mail or username for Basic auth; null to send the token as a Bearer personal access token.</summary>
    public string? Username { get; init; }

    public required string ApiToken { get; init; }

    /// <summary>How far back each incremental read looks before its watermark, to catch changes the search index shows late.</summary>
    public TimeSpan Overlap { get; init; } = TimeSpan.FromSeconds(60);

    public bool UsesAdf => ApiVersion == "3";

    /// <summary>Without the token: a record's generated text would print it.</summary>
    public override string ToString() => $"Jira {(IsCloud ? "Cloud" : "Server")} at {BaseUrl} (REST v{ApiVersion})";

    public static JiraSettings From(JsonElement json)
    {
        var settings = new ConnectorSettings(json);
        var isCloud = settings.Choice("flavor", "cloud", "cloud", "server") == "cloud";
        var version = settings.Choice("apiVersion", isCloud ? "3" : "2", "2", "3");
        if (!isCloud && version == "3")
        {
            throw new ConnectorException(FailureKind.Configuration, "Jira Server/Data Center only has REST API version 2; set 'apiVersion' to 2.");
        }

        var overlap = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("pollOverlapSeconds", out var o) && o.ValueKind == JsonValueKind.Number
            ? (o.TryGetInt32(out var n) ? n : -1)
            : int.TryParse(settings.String("pollOverlapSeconds") ?? "60", NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : -1;
        if (overlap < 0)
        {
            throw new ConnectorException(FailureKind.Configuration, "The setting 'pollOverlapSeconds' must be a whole number of seconds, 0 or more.");
        }

        return new JiraSettings
        {
            BaseUrl = settings.RequiredUrl("baseUrl"),
            IsCloud = isCloud,
            ApiVersion = version,
            Username = settings.String("username"),
            ApiToken = settings.RequiredString("apiToken"),
            Overlap = TimeSpan.FromSeconds(overlap),
        };
    }
}
