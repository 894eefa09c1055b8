using System.Collections.Concurrent;
using System.Text.Json;
using PluginHub.Connectors.Salesforce.Api;
using PluginHub.Connectors.Salesforce.Read;

namespace PluginHub.Connectors.Salesforce.Users;

/// <summary>
/// Users matched by e-mail, both ways, cached for the connector instance (one SOQL <c>IN</c> per batch of unknown keys).
/// E-mail is not unique in Salesforce: active users win, then standard (licensed) users, then the oldest.
/// </summary>
internal sealed class UserDirectory(SalesforceApi api)
{
    private readonly ConcurrentDictionary<string, string?> _idByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string?> _emailById = new(StringComparer.Ordinal);

    /// <summary>E-mail → user id for those found; unknown e-mails are absent.</summary>
    public async Task<IReadOnlyDictionary<string, string>> IdsByEmailAsync(IEnumerable<string> emails, CancellationToken cancellationToken)
    {
        var wanted = emails.Where(e => !string.IsNullOrWhiteSpace(e)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var missing = wanted.Where(e => !_idByEmail.ContainsKey(e)).ToList();
        foreach (var chunk in Soql.Chunks(missing))
        {
            var rows = new List<JsonElement>();
            await foreach (var row in api.QueryRecordsAsync($"SELECT Id, Email, IsActive, UserType, CreatedDate FROM User WHERE Email IN {Soql.InList(chunk)}", all: false, cancellationToken))
            {
                rows.Add(row);
            }

            foreach (var email in chunk)
            {
                var best = rows
                    .Where(r => string.Equals(r.GetProperty("Email").GetString(), email, StringComparison.OrdinalIgnoreCase))
                    .OrderByDescending(r => r.GetProperty("IsActive").ValueKind == JsonValueKind.True)
                    .ThenByDescending(r => r.TryGetProperty("UserType", out var t) && t.GetString() == "Standard")
                    .ThenBy(r => r.TryGetProperty("CreatedDate", out var c) ? c.GetString() : null, StringComparer.Ordinal)
                    .FirstOrDefault();
                var id = best.ValueKind == JsonValueKind.Object ? best.GetProperty("Id").GetString() : null;
                _idByEmail[email] = id;
                if (id is not null)
                {
                    _emailById.TryAdd(id, email);
                }
            }
        }

        return wanted.Select(e => (Email: e, Id: _idByEmail.GetValueOrDefault(e))).Where(p => p.Id is not null).ToDictionary(p => p.Email, p => p.Id!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>User id → e-mail for those found.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EmailsByIdAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Where(Soql.IsId).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in Soql.Chunks(wanted.Where(id => !_emailById.ContainsKey(id))))
        {
            await foreach (var row in api.QueryRecordsAsync($"SELECT Id, Email FROM User WHERE Id IN {Soql.InList(chunk)}", all: false, cancellationToken))
            {
                _emailById[row.GetProperty("Id").GetString()!] = row.TryGetProperty("Email", out var e) ? e.GetString() : null;
            }

            foreach (var id in chunk)
            {
                _emailById.TryAdd(id, null);
            }
        }

        return wanted.Select(id => (Id: id, Email: _emailById.GetValueOrDefault(id))).Where(p => p.Email is not null).ToDictionary(p => p.Id, p => p.Email!, StringComparer.Ordinal);
    }
}
