namespace PluginHub.Sandbox.Salesforce.Soql;

internal sealed class SoqlQuery
{
    public List<SelectItem> Select { get; } = [];

    public string From { get; set; } = string.Empty;

    public int FromPos { get; set; }

    public Cond? Where { get; set; }

    public List<SoqlPath> GroupBy { get; } = [];

    public List<OrderItem> OrderBy { get; } = [];

    public int? Limit { get; set; }

    public int? Offset { get; set; }
}

/// <summary>A field path as written (<c>Owner.Email</c>) and where it starts in the query text (for the caret message).</summary>
internal sealed record SoqlPath(string Text, int Pos);

internal abstract record SelectItem(int Pos);

/// <summary>A field; the alias is only legal in aggregate queries.</summary>
internal sealed record FieldItem(SoqlPath Path, string? Alias = null) : SelectItem(Path.Pos);

/// <summary><c>COUNT()</c> has no path; <c>COUNT(Id)</c>, <c>MAX(x)</c>... name their result <c>expr0</c>... unless aliased.</summary>
internal sealed record AggregateItem(string Function, SoqlPath? Path, string? Alias, int Pos) : SelectItem(Pos);

internal sealed record FieldsItem(string Kind, int Pos) : SelectItem(Pos);

internal sealed record SubQueryItem(SoqlQuery Query, int Pos) : SelectItem(Pos);

internal abstract record Cond;

internal sealed record AndCond(List<Cond> Items) : Cond;

internal sealed record OrCond(List<Cond> Items) : Cond;

internal sealed record NotCond(Cond Inner) : Cond;

internal sealed record CompareCond(SoqlPath Path, string Op, Literal Value) : Cond;

internal sealed record InCond(SoqlPath Path, bool Not, List<Literal> Values, SoqlQuery? Sub) : Cond;

internal sealed record IncludesCond(SoqlPath Path, bool Excludes, List<Literal> Values) : Cond;

internal enum LitKind
{
    String,
    Number,
    Bool,
    Null,
    Date,
    DateTime,
    Relative,
}

/// <summary>A literal; relative date literals carry (name, n) as value (<c>LAST_N_DAYS:7</c>).</summary>
internal sealed record Literal(LitKind Kind, object? Value, int Pos, string Text);

internal sealed record OrderItem(SoqlPath Path, bool Desc, bool? NullsFirst);
