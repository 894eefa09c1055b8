namespace PluginHub.Sandbox.Jira.Jql;

/// <summary>A JQL operand: a single value (quoted or not), a list, a function call, or EMPTY/NULL.</summary>
internal abstract record JqlOperand;

internal sealed record JqlValue(string Text, bool Quoted) : JqlOperand;

internal sealed record JqlList(IReadOnlyList<JqlOperand> Items) : JqlOperand;

internal sealed record JqlFunction(string Name, IReadOnlyList<string> Args) : JqlOperand;

internal sealed record JqlEmpty : JqlOperand;

internal abstract record JqlNode;

internal sealed record JqlAnd(IReadOnlyList<JqlNode> Terms) : JqlNode;

internal sealed record JqlOr(IReadOnlyList<JqlNode> Terms) : JqlNode;

internal sealed record JqlNot(JqlNode Term) : JqlNode;

/// <summary><c>field operator operand</c>; operators are upper-cased (<c>=</c>, <c>IN</c>, <c>NOT IN</c>, <c>IS NOT</c>, …).</summary>
internal sealed record JqlClause(string Field, string Operator, JqlOperand Operand) : JqlNode;

internal sealed record JqlSort(string Field, bool Descending);

internal sealed record JqlQuery(JqlNode? Where, IReadOnlyList<JqlSort> OrderBy);
