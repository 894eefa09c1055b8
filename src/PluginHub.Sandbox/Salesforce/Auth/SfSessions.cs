using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Salesforce.Auth;

/// <summary>A login: the user it acts as and when it was last used (sessions slide with activity, as Salesforce's do).</summary>
internal sealed class SfSession(string token, string userId, DateTimeOffset issued)
{
    public string Token { get; } = token;

    public string UserId { get; } = userId;

    public DateTimeOffset Issued { get; } = issued;

    public DateTimeOffset LastUsed { get; set; } = issued;

    public bool Revoked { get; set; }
}

/// <summary>
/// The connected app, the users' passwords and security tokens (DESIGN §9) and the issued access and refresh tokens.
/// Session lifetime and revocation are configurable so that clients' re-authentication on 401 can be tested.
/// </summary>
internal sealed class SfSessions
{
    public const string ClientId = "pluginhub-sandbox";
    public const string ClientSecret = "sandbox-secret";
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(2);

    private readonly Dictionary<string, SfSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Password, string Token)> _credentials = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly SfOrg _org;

    public SfSessions(SfOrg org, TimeProvider time)
    {
        _org = org;
        _time = time;
        Reset();
    }

    public TimeSpan Lifetime { get; set; } = DefaultLifetime;

    /// <summary>The connected app's certificate for the JWT flow (PEM); without one any signature is accepted.</summary>
    public string? JwtCertificatePem { get; set; }

    public DateTimeOffset Now() => _time.GetUtcNow();

    public bool VerifyJwtSignature(string signedPart, byte[] signature)
    {
        if (JwtCertificatePem is not { } pem)
        {
            return true;
        }

        using var rsa = RSA.Create();
        if (pem.Contains("CERTIFICATE", StringComparison.Ordinal))
        {
            using var cert = X509Certificate2.CreateFromPem(pem);
            using var key = cert.GetRSAPublicKey();
            return key?.VerifyData(Encoding.ASCII.GetBytes(signedPart), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) == true;
        }

        rsa.ImportFromPem(pem);
        return rsa.VerifyData(Encoding.ASCII.GetBytes(signedPart), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>The id of an active user by username, or null.</summary>
    public string? UserByName(string? username)
    {
        if (username is null)
        {
            return null;
        }

        lock (_org.Gate)
        {
            var users = _org.Table(_org.Object("User")!);
            var user = users.FindByKey(users.Type["Username"], username).FirstOrDefault();
            return user is not null && user.Get("IsActive") is true ? user.Id : null;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            Lifetime = DefaultLifetime;
            JwtCertificatePem = null;
            _credentials.Clear();
            _credentials["integration@pluginhub.test"] = ("sandbox-password", "SANDBOXTOKEN");
            _credentials["agent@pluginhub.test"] = ("agent-password", "AGENTTOKEN");
        }
    }

    public void SetCredential(string username, string password, string token)
    {
        lock (_gate)
        {
            _credentials[username] = (password, token);
        }
    }

    /// <summary>The user id when the password is the user's password immediately followed by the security token.</summary>
    public string? CheckPassword(string? username, string? passwordAndToken)
    {
        if (username is null || passwordAndToken is null)
        {
            return null;
        }

        lock (_gate)
        {
            if (!_credentials.TryGetValue(username, out var cred) || !string.Equals(passwordAndToken, cred.Password + cred.Token, StringComparison.Ordinal))
            {
                return null;
            }
        }

        return UserByName(username);
    }

    public SfSession Issue(string userId)
    {
        var token = $"{_org.OrgId[..15]}!{Random(72)}";
        var session = new SfSession(token, userId, _time.GetUtcNow());
        lock (_gate)
        {
            _sessions[token] = session;
        }

        return session;
    }

    public string IssueRefreshToken(string userId)
    {
        var token = "5Aep861" + Random(80);
        lock (_gate)
        {
            _refreshTokens[token] = userId;
        }

        return token;
    }

    public string? RefreshUser(string? refreshToken)
    {
        lock (_gate)
        {
            return refreshToken is not null && _refreshTokens.TryGetValue(refreshToken, out var user) ? user : null;
        }
    }

    /// <summary>The live session of an access token (touching it), or null when unknown, revoked or idle past the lifetime.</summary>
    public SfSession? Validate(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_sessions.TryGetValue(token, out var s) || s.Revoked || now - s.LastUsed > Lifetime)
            {
                return null;
            }

            s.LastUsed = now;
            return s;
        }
    }

    /// <summary>Revokes an access or refresh token (<c>/services/oauth2/revoke</c>); false when it is unknown.</summary>
    public bool Revoke(string token)
    {
        lock (_gate)
        {
            if (_sessions.TryGetValue(token, out var s))
            {
                s.Revoked = true;
                return true;
            }

            if (_refreshTokens.Remove(token, out var user))
            {
                foreach (var other in _sessions.Values.Where(x => x.UserId == user))
                {
                    other.Revoked = true;
                }

                return true;
            }

            return false;
        }
    }

    /// <summary>Expires every access token (of one user when given), as an org admin's "revoke sessions" or a timeout would.</summary>
    public int RevokeAll(string? userId)
    {
        lock (_gate)
        {
            var n = 0;
            foreach (var s in _sessions.Values.Where(s => !s.Revoked && (userId is null || s.UserId == userId)))
            {
                s.Revoked = true;
                n++;
            }

            return n;
        }
    }

    public static string Signature(string id, string issuedAt)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(ClientSecret), Encoding.UTF8.GetBytes(id + issuedAt));
        return Convert.ToBase64String(mac);
    }

    private static string Random(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
