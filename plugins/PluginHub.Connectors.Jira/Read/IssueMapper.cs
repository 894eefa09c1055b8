using System.Globalization;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Abstractions;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Describe;

namespace PluginHub.Connectors.Jira.Read;

/// <summary>Turns a searched issue into a <see cref="Record"/> with the fields asked for.</summary>
/// <remarks>
/// The version is <c>updated</c> in epoch milliseconds (zone-free, changes with every change). Who made the latest change
/// comes from the embedded changelog (<c>expand=changelog</c>, no extra call): the author of the history entry written at
/// the very millisecond of <c>updated</c>, or the creator when the issue was never changed. A change that leaves no history
/// (a comment, an attachment) has no author here: <see cref="Record.ModifiedBy"/> stays null rather than guessing.
/// </remarks>
internal sealed class IssueMapper(IReadOnlyDictionary<string, JiraField> catalog)
{
    /// <summary>Fields every read needs besides the caller's: the cursor and the creation facts for <see cref="Record.ModifiedBy"/>.</summary>
    public static readonly string[] Required = ["updated", "created", "creator"];

    /// <summary>The Jira field ids to ask for: the caller's (minus the synthetic <c>id</c>/<c>key</c>) and <see cref="Required"/>.</summary>
    public static IEnumerable<string> SearchFields(IEnumerable<string> requested) =>
        requested.Where(f => f is not ("id" or "key")).Concat(Required).Distinct(StringComparer.Ordinal);

    public Record Map(string entity, JsonObject issue, IReadOnlyList<string> requested)
    {
        var id = (string?)issue["id"] ?? throw new ConnectorException(FailureKind.Internal, "Jira returned an issue without an id.");
        var key = (string?)issue["key"];
        var fields = issue["fields"] as JsonObject ?? [];
        var updated = JiraTime.Parse(fields["updated"]) ?? throw new ConnectorException(FailureKind.Internal, $"Jira returned issue {id} without 'updated'.");
        var values = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var name in requested)
        {
            if (name == "id")
            {
                values[name] = new TextValue(id);
            }
            else if (name == "key")
            {
                values[name] = key is null ? NullValue.Instance : new TextValue(key);
            }
            else if (fields.TryGetPropertyValue(name, out var node))
            {
                var field = catalog.TryGetValue(name, out var known) ? known : new JiraField(name, name, "any", null, null);
                values[name] = FieldReader.Read(field, node);
            }
        }

        return new Record
        {
            Ref = new RecordRef(entity, id) { DisplayKey = key },
            Version = Version(updated),
            ModifiedAt = updated,
            ModifiedBy = ModifiedBy(issue, fields, updated),
            Fields = values,
        };
    }

    public static string Version(DateTimeOffset updated) => updated.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static UserRef? ModifiedBy(JsonObject issue, JsonObject fields, DateTimeOffset updated)
    {
        var latest = (issue["changelog"]?["histories"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(h => (Created: JiraTime.Parse(h["created"]), Author: h["author"] as JsonObject))
            .Where(h => h.Created is not null)
            .OrderBy(h => h.Created)
            .LastOrDefault();
        if (latest.Created == updated && latest.Author is { } author)
        {
            return FieldReader.User(author);
        }

        return JiraTime.Parse(fields["created"]) == updated && fields["creator"] is JsonObject creator ? FieldReader.User(creator) : null;
    }
}
