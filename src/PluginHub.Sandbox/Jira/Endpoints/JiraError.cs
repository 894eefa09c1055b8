using System.Text.Json.Nodes;

namespace PluginHub.Sandbox.Jira.Endpoints;

/// <summary>A Jira error answered in the real shape <c>{"errorMessages":[…],"errors":{…}}</c>.</summary>
internal sealed class JiraError : Exception
{
    public JiraError(int status, string message)
        : this(status, [message], new Dictionary<string, string>())
    {
    }

    public JiraError(int status, IReadOnlyList<string> messages, IReadOnlyDictionary<string, string> errors)
        : base(messages.Count > 0 ? messages[0] : string.Join("; ", errors.Values))
    {
        Status = status;
        Messages = messages;
        Errors = errors;
    }

    public JiraError()
        : this(500, "Internal server error")
    {
    }

    public JiraError(string message)
        : this(400, message)
    {
    }

    public JiraError(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        Messages = [message];
        Errors = new Dictionary<string, string>();
    }

    public int Status { get; }

    public IReadOnlyList<string> Messages { get; }

    public IReadOnlyDictionary<string, string> Errors { get; }

    /// <summary>Response headers to add (Retry-After and friends on 429).</summary>
    public Dictionary<string, string> Headers { get; } = [];

    public static JiraError Fields(IReadOnlyDictionary<string, string> errors) => new(400, [], errors);

    public static JsonObject Body(IEnumerable<string> messages, IReadOnlyDictionary<string, string> errors)
    {
        var e = new JsonObject();
        foreach (var (k, v) in errors)
        {
            e[k] = v;
        }

        return new JsonObject { ["errorMessages"] = new JsonArray(messages.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()), ["errors"] = e };
    }
}
