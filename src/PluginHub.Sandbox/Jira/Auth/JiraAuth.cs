using System.Text;
using PluginHub.Sandbox.Jira.Model;

namespace PluginHub.Sandbox.Jira.Auth;

/// <summary>Who is calling: a user, an anonymous caller (no credentials), or credentials that failed.</summary>
internal readonly record struct Caller(JiraUser? User, bool CredentialsFailed, bool CaptchaRequired = false)
{
    public bool IsAnonymous => User is null;
}

/// <summary>
/// Basic (Cloud: e-mail + API token; Server: username or e-mail + password) and, on Server only, Bearer personal
/// access tokens. On Cloud a Bearer value is an OAuth token the sandbox cannot know, so it fails.
/// </summary>
internal static class JiraAuth
{
    public static Caller Authenticate(HttpRequest request, JiraStore store)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return new Caller(null, false);
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                return new Caller(null, true);
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return new Caller(null, true);
            }

            var login = decoded[..colon];
            var secret = decoded[(colon + 1)..];
            var user = store.Users.Find(u => string.Equals(u.Email, login, StringComparison.OrdinalIgnoreCase)
                || (!store.IsCloud && string.Equals(u.Name, login, StringComparison.OrdinalIgnoreCase)));
            if (user is null)
            {
                return new Caller(null, true);
            }

            // Server counts failed Basic logins per user; past the limit even the right password meets a CAPTCHA.
            if (!store.IsCloud && store.CaptchaAfterFailures > 0 && user.FailedLogins >= store.CaptchaAfterFailures)
            {
                return new Caller(null, true, CaptchaRequired: true);
            }

            if (user.Active && FixedTimeEquals(user.Token, secret))
            {
                user.FailedLogins = 0;
                return new Caller(user, false);
            }

            user.FailedLogins++;
            return new Caller(null, true);
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && !store.IsCloud)
        {
            var token = header[7..].Trim();
            var user = store.Users.Find(u => u.Active && FixedTimeEquals(u.Token, token));
            return user is not null ? new Caller(user, false) : new Caller(null, true);
        }

        return new Caller(null, true);
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
