using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Salesforce.Soql;

/// <summary>
/// A small SOSL subset for <c>GET /search?q=</c>: <c>FIND {term} [IN ALL|NAME|EMAIL|PHONE FIELDS] RETURNING Type(fields [WHERE ...]
/// [ORDER BY ...] [LIMIT n]), ... [LIMIT n]</c>. The term matches text fields case-insensitively (<c>*</c> and <c>?</c> wildcards).
/// </summary>
internal static partial class SoslSearch
{
    public static JsonObject Run(SoqlEngine engine, SfOrg org, string sosl, string version)
    {
        var m = Sosl().Match(sosl.Trim());
        if (!m.Success)
        {
            throw SfException.BadRequest("MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces.");
        }

        var term = m.Groups["term"].Value.Trim().Trim('"');
        if (term.Replace("*", string.Empty, StringComparison.Ordinal).Replace("?", string.Empty, StringComparison.Ordinal).Length < 2)
        {
            throw SfException.BadRequest("MALFORMED_SEARCH", "search term must be longer than one character");
        }

        var scope = m.Groups["scope"].Success ? m.Groups["scope"].Value.ToUpperInvariant() : "ALL";
        var pattern = new Regex(Regex.Escape(term).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var limit = m.Groups["limit"].Success ? int.Parse(m.Groups["limit"].Value, System.Globalization.CultureInfo.InvariantCulture) : 2000;
        var results = new JsonArray();
        foreach (Match target in Target().Matches(m.Groups["returning"].Value))
        {
            var type = org.Object(target.Groups["type"].Value) ?? throw SfException.BadRequest("INVALID_TYPE", $"sObject type '{target.Groups["type"].Value}' is not supported.");
            var inner = target.Groups["inner"].Success ? target.Groups["inner"].Value.Trim() : "Id";
            var split = Regex.Match(inner, @"^(?<fields>.*?)(?<rest>\s+(WHERE|ORDER\s+BY|LIMIT)\s.*)?$", RegexOptions.IgnoreCase | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
            var q = engine.Prepare($"SELECT {split.Groups["fields"].Value} FROM {type.Name}{split.Groups["rest"].Value}", false);
            var fields = type.Fields.Where(f => f.IsTextual && f.Type != SfType.Picklist && (scope switch
            {
                "NAME" => f.NameField,
                "EMAIL" => f.Type == SfType.Email,
                "PHONE" => f.Type == SfType.Phone,
                _ => true,
            })).ToList();
            var rows = engine.Execute(q).Where(r => fields.Any(f => r[f] is string s && pattern.IsMatch(s))).Take(limit - results.Count).ToList();
            foreach (var row in engine.Render(q, rows, version))
            {
                results.Add(row);
            }
        }

        return new JsonObject { ["searchRecords"] = results };
    }

    [GeneratedRegex(@"^FIND\s*\{(?<term>[^}]*)\}\s*(IN\s+(?<scope>ALL|NAME|EMAIL|PHONE)\s+FIELDS\s*)?RETURNING\s+(?<returning>.+?)(\s+LIMIT\s+(?<limit>\d+))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Sosl();

    [GeneratedRegex(@"(?<type>\w+)\s*(\((?<inner>[^)]*)\))?\s*(,|$)", RegexOptions.Singleline)]
    private static partial Regex Target();
}
