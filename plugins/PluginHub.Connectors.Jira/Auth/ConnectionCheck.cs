using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;

namespace PluginHub.Connectors.Jira.Auth;

/// <summary>
/// Checks a connection with <c>GET /myself</c>, the one call that answers 401 to anonymous users: Jira treats failed
/// credentials as anonymous on most other routes (reference §1.2), so a 200 elsewhere proves nothing.
/// </summary>
internal sealed class ConnectionCheck(JiraApi api)
{
    public async Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        JiraResponse response;
        try
        {
            response = await api.GetAsync($"{api.Root}/myself", "Checking the credentials", cancellationToken, handled: status => status is 401 or 403 or 404);
        }
        catch (ConnectorException e)
        {
            return CheckResult.Failed(e.Kind == FailureKind.NotFound ? FailureKind.Configuration : e.Kind, e.Message);
        }

        var settings = api.Settings;
        var flavour = settings.IsCloud ? "Jira Cloud" : "Jira Server/Data Center";
        var auth = settings.Username is null ? "a personal access token" : "an API token";
        switch (response.Status)
        {
            case 401:
                return CheckResult.Failed(FailureKind.Configuration, $"{flavour} refused {auth} (HTTP 401): check the username and the token.");
            case 403:
                return CheckResult.Failed(FailureKind.Configuration, $"{flavour} denied the login (HTTP 403): the account may be locked behind a CAPTCHA or lack the right to use the REST API.");
            case 404:
                return CheckResult.Failed(FailureKind.Configuration, $"No Jira REST API v{settings.ApiVersion} answers at this base URL: check 'baseUrl', 'flavor' and 'apiVersion'.");
        }

        var accountId = (string?)response.Body?["accountId"];
        var name = (string?)response.Body?["name"];
        var id = accountId ?? name;
        if (string.IsNullOrEmpty(id))
        {
            return CheckResult.Failed(FailureKind.Configuration, $"{flavour} treated the credentials as anonymous: check the username and the token.");
        }

        // Cloud users have an accountId and no name; Server users the reverse. The wrong flavour would search the wrong way.
        if (settings.IsCloud ? accountId is null : accountId is not null && name is null)
        {
            return CheckResult.Failed(FailureKind.Configuration,
                $"The site answers like Jira {(settings.IsCloud ? "Server/Data Center" : "Cloud")}: set 'flavor' to '{(settings.IsCloud ? "server" : "cloud")}'.");
        }

        var who = (string?)response.Body?["displayName"] ?? id;
        return CheckResult.Ok($"Connected to {flavour} (REST v{settings.ApiVersion}) as {who}.");
    }
}
