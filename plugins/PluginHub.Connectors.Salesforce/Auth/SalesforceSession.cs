namespace PluginHub.Connectors.Salesforce.Auth;

/// <summary>An access token with where to use it and whom it acts as (from the token response's identity URL).</summary>
/// <param name="AccessToken">The session id; never logged.</param>
/// <param name="InstanceUrl">The org's base URL for every REST call.</param>
/// <param name="OrganizationId">The 18-character org id.</param>
/// <param name="UserId">The user the token acts as.</param>
internal sealed record SalesforceSession(string AccessToken, Uri InstanceUrl, string OrganizationId, string UserId);
