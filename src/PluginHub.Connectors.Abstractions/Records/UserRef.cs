namespace PluginHub.Connectors.Abstractions;

/// <summary>A user of a remote system. Users are matched across systems by <see cref="Email"/>.</summary>
/// <param name="Id">The remote id (Salesforce user id, Jira accountId on Cloud or name on Server); null when only the e-mail is known.</param>
/// <param name="Email">The e-mail address; null when the system hides it (Jira Cloud privacy settings).</param>
/// <param name="DisplayName">The name people see; null when unknown.</param>
public sealed record UserRef(string? Id, string? Email, string? DisplayName);
