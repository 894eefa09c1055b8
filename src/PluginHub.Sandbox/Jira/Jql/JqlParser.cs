using System.Globalization;
using System.Text;

namespace PluginHub.Sandbox.Jira.Jql;

/// <summary>A JQL syntax or validation error; the message is Jira's.</summary>
internal sealed class JqlException : Exception
{
    public JqlException()
    {
    }

    public JqlException(string message)
        : base(message)
    {
    }

    public JqlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Recursive-descent JQL parser: <c>query := orExpr? (ORDER BY sort (, sort)*)?</c>, <c>orExpr := andExpr (OR andExpr)*</c>,
/// <c>andExpr := notExpr (AND notExpr)*</c>, <c>notExpr := (NOT | !) notExpr | '(' orExpr ')' | clause</c>.
/// Errors carry Jira's wording and 1-based character positions.
/// </summary>
internal sealed class JqlParser
{
    private enum Kind
    {
        Word,
        Quoted,
        Operator,
        LParen,
        RParen,
        Comma,
        End,
    }

    private readonly record struct Token(Kind Kind, string Text, int Position)
    {
        public bool Is(string keyword) => Kind == Kind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

        public string Display => Kind == Kind.End ? "EOF" : Text;
    }

    private const string ValidOperators = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

    private readonly List<Token> _tokens;
    private int _index;

    private JqlParser(List<Token> tokens) => _tokens = tokens;

    public static JqlQuery Parse(string jql)
    {
        var parser = new JqlParser(Lex(jql));
        return parser.ParseQuery();
    }

    private Token Peek => _tokens[_index];

    private Token Next() => _tokens[_index++];

    private static JqlException Error(string message, Token at) =>
        new($"Error in the JQL Query: {message} (line 1, character {at.Position + 1})");

    private JqlQuery ParseQuery()
    {
        JqlNode? where = null;
        if (Peek.Kind != Kind.End && !Peek.Is("order"))
        {
            where = ParseOr();
        }

        var sorts = new List<JqlSort>();
        if (Peek.Is("order"))
        {
            var order = Next();
            if (!Peek.Is("by"))
            {
                throw Error($"Expecting 'BY' but got '{Peek.Display}'.", Peek);
            }

            Next();
            do
            {
                var field = Next();
                if (field.Kind is not (Kind.Word or Kind.Quoted))
                {
                    throw Error($"Expecting a field name but got '{field.Display}'.", field);
                }

                var descending = false;
                if (Peek.Is("asc") || Peek.Is("desc"))
                {
                    descending = Next().Is("desc");
                }

                sorts.Add(new JqlSort(field.Text, descending));
            }
            while (Peek.Kind == Kind.Comma && Next().Kind == Kind.Comma);

            _ = order;
        }

        if (Peek.Kind != Kind.End)
        {
            throw where is null
                ? Error($"Expecting a field name but got '{Peek.Display}'.", Peek)
                : Error($"Expecting either 'OR' or 'AND' but got '{Peek.Display}'.", Peek);
        }

        return new JqlQuery(where, sorts);
    }

    private JqlNode ParseOr()
    {
        var terms = new List<JqlNode> { ParseAnd() };
        while (Peek.Is("or") || (Peek.Kind == Kind.Operator && Peek.Text == "||"))
        {
            Next();
            terms.Add(ParseAnd());
        }

        return terms.Count == 1 ? terms[0] : new JqlOr(terms);
    }

    private JqlNode ParseAnd()
    {
        var terms = new List<JqlNode> { ParseNot() };
        while (Peek.Is("and") || (Peek.Kind == Kind.Operator && Peek.Text == "&&"))
        {
            Next();
            terms.Add(ParseNot());
        }

        return terms.Count == 1 ? terms[0] : new JqlAnd(terms);
    }

    private JqlNode ParseNot()
    {
        if (Peek.Is("not") || (Peek.Kind == Kind.Operator && Peek.Text == "!"))
        {
            Next();
            return new JqlNot(ParseNot());
        }

        if (Peek.Kind == Kind.LParen)
        {
            Next();
            var inner = ParseOr();
            if (Peek.Kind != Kind.RParen)
            {
                throw Error($"Expecting ')' but got '{Peek.Display}'.", Peek);
            }

            Next();
            return inner;
        }

        return ParseClause();
    }

    private JqlClause ParseClause()
    {
        var field = Next();
        if (field.Kind is not (Kind.Word or Kind.Quoted) || IsReserved(field))
        {
            throw Error($"Expecting a field name but got '{field.Display}'.", field);
        }

        var op = ParseOperator();
        JqlOperand operand;
        if (op is "IN" or "NOT IN")
        {
            operand = Peek.Kind == Kind.LParen ? ParseList() : ParseSingle();
        }
        else if (op is "IS" or "IS NOT")
        {
            var value = Next();
            if (!value.Is("empty") && !value.Is("null"))
            {
                throw Error($"Expecting 'EMPTY' or 'NULL' but got '{value.Display}'.", value);
            }

            operand = new JqlEmpty();
        }
        else
        {
            operand = ParseSingle();
        }

        return new JqlClause(field.Text, op, operand);
    }

    private string ParseOperator()
    {
        var token = Next();
        if (token.Kind == Kind.Operator && token.Text is "=" or "!=" or "<" or ">" or "<=" or ">=" or "~" or "!~")
        {
            return token.Text;
        }

        if (token.Is("in"))
        {
            return "IN";
        }

        if (token.Is("is"))
        {
            if (Peek.Is("not"))
            {
                Next();
                return "IS NOT";
            }

            return "IS";
        }

        if (token.Is("not") && Peek.Is("in"))
        {
            Next();
            return "NOT IN";
        }

        if (token.Is("was") || token.Is("changed"))
        {
            throw Error($"The operator '{token.Text.ToUpperInvariant()}' is not supported by this sandbox.", token);
        }

        throw Error($"Expecting operator but got '{token.Display}'. {ValidOperators}", token);
    }

    private JqlList ParseList()
    {
        Next();
        var items = new List<JqlOperand>();
        if (Peek.Kind != Kind.RParen)
        {
            items.Add(ParseSingle());
            while (Peek.Kind == Kind.Comma)
            {
                Next();
                items.Add(ParseSingle());
            }
        }

        if (Peek.Kind != Kind.RParen)
        {
            throw Error($"Expecting ')' but got '{Peek.Display}'.", Peek);
        }

        Next();
        return new JqlList(items);
    }

    private JqlOperand ParseSingle()
    {
        var token = Next();
        if (token.Kind == Kind.Quoted)
        {
            return new JqlValue(token.Text, true);
        }

        if (token.Kind != Kind.Word || IsReserved(token))
        {
            throw Error($"Expecting either a value, list or function but got '{token.Display}'.", token);
        }

        if (token.Is("empty") || token.Is("null"))
        {
            return new JqlEmpty();
        }

        if (Peek.Kind == Kind.LParen)
        {
            Next();
            var args = new List<string>();
            while (Peek.Kind != Kind.RParen)
            {
                var arg = Next();
                if (arg.Kind is not (Kind.Word or Kind.Quoted))
                {
                    throw Error($"Expecting ')' but got '{arg.Display}'.", arg);
                }

                args.Add(arg.Text);
                if (Peek.Kind == Kind.Comma)
                {
                    Next();
                }
            }

            Next();
            return new JqlFunction(token.Text, args);
        }

        return new JqlValue(token.Text, false);
    }

    private static bool IsReserved(Token t) => t.Kind == Kind.Word && (t.Is("and") || t.Is("or") || t.Is("not") || t.Is("order") || t.Is("in") || t.Is("is"));

    private static List<Token> Lex(string jql)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < jql.Length)
        {
            var c = jql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            switch (c)
            {
                case '(':
                    tokens.Add(new Token(Kind.LParen, "(", i++));
                    continue;
                case ')':
                    tokens.Add(new Token(Kind.RParen, ")", i++));
                    continue;
                case ',':
                    tokens.Add(new Token(Kind.Comma, ",", i++));
                    continue;
                case '"' or '\'':
                    var sb = new StringBuilder();
                    i++;
                    while (i < jql.Length && jql[i] != c)
                    {
                        if (jql[i] == '\\' && i + 1 < jql.Length)
                        {
                            i++;
                        }

                        sb.Append(jql[i++]);
                    }

                    if (i >= jql.Length)
                    {
                        throw new JqlException($"Error in the JQL Query: The quoted string '{sb}' has not been completed. (line 1, character {start + 1})");
                    }

                    i++;
                    tokens.Add(new Token(Kind.Quoted, sb.ToString(), start));
                    continue;
                case '=' or '~':
                    tokens.Add(new Token(Kind.Operator, c.ToString(), i++));
                    continue;
                case '!' or '<' or '>':
                    var two = i + 1 < jql.Length && jql[i + 1] is '=' or '~';
                    tokens.Add(new Token(Kind.Operator, jql.Substring(i, two ? 2 : 1), i));
                    i += two ? 2 : 1;
                    continue;
                case '&' or '|' when i + 1 < jql.Length && jql[i + 1] == c:
                    tokens.Add(new Token(Kind.Operator, new string(c, 2), i));
                    i += 2;
                    continue;
            }

            while (i < jql.Length && !char.IsWhiteSpace(jql[i]) && jql[i] is not ('(' or ')' or ',' or '=' or '!' or '<' or '>' or '~' or '"' or '\''))
            {
                // cf[10042] and issue.property[key].path keep their brackets; a '(' ends a function name.
                if (jql[i] == '[')
                {
                    var close = jql.IndexOf(']', i);
                    i = close < 0 ? jql.Length : close + 1;
                    continue;
                }

                i++;
            }

            if (i == start)
            {
                throw new JqlException(string.Create(CultureInfo.InvariantCulture, $"Error in the JQL Query: The character '{jql[i]}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u{(int)jql[i]:x4}' instead. (line 1, character {i + 1})"));
            }

            tokens.Add(new Token(Kind.Word, jql[start..i], start));
        }

        tokens.Add(new Token(Kind.End, "", jql.Length));
        return tokens;
    }
}
