using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;

namespace PluginHub.Connectors.Jira.Write;

/// <summary>
/// Finds the Jira user for an e-mail (<c>/user/search</c>: <c>query</c> on Cloud, <c>username</c> on Server) and says how
/// to reference it in a write (<c>accountId</c> on Cloud, <c>name</c> on Server). Cached per connector instance.
/// </summary>
internal sealed class UserDirectory(JiraApi api)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<JsonObject?>>> _byEmail = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The value for a user field, or null when no Jira user has that e-mail.</summary>
    public async Task<JsonObject?> ReferenceAsync(UserRef user, CancellationToken cancellationToken)
    {
        if (user.Email is not { Length: > 0 } email)
        {
            return null;
        }

        var lazy = _byEmail.GetOrAdd(email, e => new Lazy<Task<JsonObject?>>(() => FindAsync(e, cancellationToken)));
        JsonObject? found;
        try
        {
            found = await lazy.Value;
        }
        catch
        {
            _byEmail.TryRemove(email, out _);
            throw;
        }

        return found is null ? null
            : api.Settings.IsCloud ? new JsonObject { ["accountId"] = (string?)found["accountId"] }
            : new JsonObject { ["name"] = (string?)found["name"] };
    }

    private async Task<JsonObject?> FindAsync(string email, CancellationToken cancellationToken)
    {
        object query = api.Settings.IsCloud ? new { query = email, maxResults = 50 } : new { username = email, maxResults = 50 };
        var response = await api.GetAsync($"{api.Root}/user/search", "Looking up a user by e-mail", cancellationToken, query);
        var users = (response.Body as JsonArray ?? []).OfType<JsonObject>().Where(u => (bool?)u["active"] != false).ToList();
        var exact = users.Find(u => string.Equals((string?)u["emailAddress"], email, StringComparison.OrdinalIgnoreCase));
        // Cloud hides some users' e-mail but still matches an exact address: a single such answer is that user.
        return exact ?? (api.Settings.IsCloud && users.Count == 1 && string.IsNullOrEmpty((string?)users[0]["emailAddress"]) ? users[0] : null);
    }
}
