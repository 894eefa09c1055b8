namespace PluginHub.Sandbox.Salesforce.Data;

/// <summary>One entry of Salesforce's error array: <c>{"message","errorCode","fields"}</c>.</summary>
internal sealed record SfError(string ErrorCode, string Message, IReadOnlyList<string>? Fields = null)
{
    public static SfError NotFound() => new("NOT_FOUND", "The requested resource does not exist");

    public static SfError Required(IReadOnlyList<string> fields) => new("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", fields)}]", fields);

    public static SfError InvalidField(string field, string type) => new("INVALID_FIELD", $"No such column '{field}' on sobject of type {type}", []);

    public static SfError ReadOnly(IReadOnlyList<string> fields) =>
        new("INVALID_FIELD_FOR_INSERT_UPDATE", $"Unable to create/update fields: {string.Join(", ", fields)}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", fields);

    public static SfError EntityIsDeleted() => new("ENTITY_IS_DELETED", "entity is deleted", []);
}

/// <summary>A request that fails with the given status and error array.</summary>
internal sealed class SfException : Exception
{
    public SfException(int status, params SfError[] errors)
        : base(errors.Length > 0 ? errors[0].Message : "error")
    {
        Status = status;
        Errors = errors;
    }

    public SfException()
        : this(400)
    {
    }

    public SfException(string message)
        : this(400, new SfError("UNKNOWN_EXCEPTION", message))
    {
    }

    public SfException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Errors = [new SfError("UNKNOWN_EXCEPTION", message)];
    }

    public int Status { get; }

    public IReadOnlyList<SfError> Errors { get; }

    public static SfException BadRequest(string code, string message, params string[] fields) => new(400, new SfError(code, message, fields));
}
