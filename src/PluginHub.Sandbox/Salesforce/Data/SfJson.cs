using System.Globalization;
using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Salesforce.Data;

/// <summary>Records and values in Salesforce's JSON shape (reference §3.2, §3.3).</summary>
internal static class SfJson
{
    public static string RecordUrl(string version, string type, string id) => $"/services/data/v{version}/sobjects/{type}/{id}";

    public static JsonObject Attributes(string type, string? url) =>
        url is null ? new JsonObject { ["type"] = type } : new JsonObject { ["type"] = type, ["url"] = url };

    public static JsonObject Record(SfRecord r, IEnumerable<SfField> fields, string version)
    {
        var o = new JsonObject { ["attributes"] = Attributes(r.Type.Name, RecordUrl(version, r.Type.Name, r.Id)) };
        foreach (var f in fields)
        {
            o[f.Name] = Value(f, r, version);
        }

        return o;
    }

    public static JsonNode? Value(SfField f, SfRecord r, string version)
    {
        if (f.Name == "IsDeleted")
        {
            return r.IsDeleted;
        }

        var v = r[f];
        return v switch
        {
            null => null,
            byte[] => RecordUrl(version, r.Type.Name, r.Id) + "/" + f.Name, // blobs are read through their URL, never inline
            _ => Scalar(f, v),
        };
    }

    public static JsonNode? Scalar(SfField? f, object? v) => v switch
    {
        null => null,
        string s => s,
        bool b => b,
        decimal d when f?.Type == SfType.Int => (long)d,
        decimal d => d,
        DateTime dt => SfTime.Format(dt),
        DateOnly date => SfTime.FormatDate(date),
        long l => l,
        int i => i,
        _ => Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    public static JsonArray Errors(IEnumerable<SfError> errors, bool statusCode = false)
    {
        var array = new JsonArray();
        foreach (var e in errors)
        {
            var o = statusCode
                ? new JsonObject { ["statusCode"] = e.ErrorCode, ["message"] = e.Message }
                : new JsonObject { ["message"] = e.Message, ["errorCode"] = e.ErrorCode };
            if (e.Fields is not null || statusCode)
            {
                o["fields"] = new JsonArray((e.Fields ?? []).Select(x => (JsonNode?)x).ToArray());
            }

            array.Add(o);
        }

        return array;
    }
}
