using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Salesforce.Soql;

/// <summary>A recursive-descent parser for the SOQL subset of reference §10.4, with Salesforce's caret error messages.</summary>
internal sealed partial class SoqlParser
{
    private static readonly HashSet<string> DateLiteralNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "YESTERDAY", "TODAY", "TOMORROW", "LAST_WEEK", "THIS_WEEK", "NEXT_WEEK", "LAST_MONTH", "THIS_MONTH", "NEXT_MONTH",
        "LAST_90_DAYS", "NEXT_90_DAYS", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR",
        "LAST_N_DAYS", "NEXT_N_DAYS", "N_DAYS_AGO", "LAST_N_HOURS", "NEXT_N_HOURS", "LAST_N_WEEKS", "NEXT_N_WEEKS", "LAST_N_MONTHS", "NEXT_N_MONTHS",
    };

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _i;

    private SoqlParser(string text)
    {
        _text = text;
        _tokens = Lex(text);
    }

    private enum Tk
    {
        Ident,
        String,
        Number,
        Date,
        DateTime,
        LParen,
        RParen,
        Comma,
        Op,
        Colon,
        End,
    }

    private Token Cur => _tokens[_i];

    public static SoqlQuery Parse(string text)
    {
        var p = new SoqlParser(text);
        var q = p.ParseQuery();
        if (p.Cur.Kind != Tk.End)
        {
            throw p.Unexpected();
        }

        return q;
    }

    /// <summary>The Salesforce error message: the query line, a caret under the column, the row/column and the detail.</summary>
    public static SfException Error(string text, int pos, string code, string detail)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, Math.Min(pos, text.Length) - 1)) + 1;
        if (pos == 0)
        {
            lineStart = 0;
        }

        var lineEnd = text.IndexOf('\n', lineStart);
        var line = lineEnd < 0 ? text[lineStart..] : text[lineStart..lineEnd];
        var row = text[..lineStart].Count(c => c == '\n') + 1;
        var column = pos - lineStart + 1;
        var message = $"\n{line}\n{new string(' ', Math.Max(0, column - 1))}^\nERROR at Row:{row}:Column:{column}\n{detail}";
        return SfException.BadRequest(code, message);
    }

    private SoqlQuery ParseQuery()
    {
        var q = new SoqlQuery();
        Expect("SELECT");
        do
        {
            q.Select.Add(ParseSelectItem());
        }
        while (Accept(Tk.Comma));

        Expect("FROM");
        var from = ExpectIdent();
        q.From = from.Text;
        q.FromPos = from.Pos;
        if (Cur.Kind == Tk.Ident && !IsKeyword(Cur.Text))
        {
            _i++; // alias of the FROM object: accepted and ignored
        }

        if (AcceptWord("WHERE"))
        {
            q.Where = ParseCondition();
        }

        if (AcceptWord("WITH"))
        {
            ExpectIdent(); // WITH SECURITY_ENFORCED / USER_MODE: nothing to enforce in the sandbox
        }

        if (AcceptWord("GROUP"))
        {
            Expect("BY");
            do
            {
                var t = ExpectIdent();
                q.GroupBy.Add(new SoqlPath(t.Text, t.Pos));
            }
            while (Accept(Tk.Comma));
        }

        if (AcceptWord("ORDER"))
        {
            Expect("BY");
            do
            {
                var t = ExpectIdent();
                var desc = false;
                if (AcceptWord("DESC"))
                {
                    desc = true;
                }
                else
                {
                    AcceptWord("ASC");
                }

                bool? nullsFirst = null;
                if (AcceptWord("NULLS"))
                {
                    if (AcceptWord("FIRST"))
                    {
                        nullsFirst = true;
                    }
                    else
                    {
                        Expect("LAST");
                        nullsFirst = false;
                    }
                }

                q.OrderBy.Add(new OrderItem(new SoqlPath(t.Text, t.Pos), desc, nullsFirst));
            }
            while (Accept(Tk.Comma));
        }

        if (AcceptWord("LIMIT"))
        {
            q.Limit = ExpectInt();
        }

        if (AcceptWord("OFFSET"))
        {
            q.Offset = ExpectInt();
            if (q.Offset > 2000)
            {
                throw SfException.BadRequest("NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000");
            }
        }

        if (AcceptWord("FOR"))
        {
            ExpectIdent(); // FOR VIEW / FOR REFERENCE / FOR UPDATE
        }

        return q;
    }

    private SelectItem ParseSelectItem()
    {
        var start = Cur;
        if (Accept(Tk.LParen))
        {
            var sub = ParseQuery();
            Expect(Tk.RParen);
            return new SubQueryItem(sub, start.Pos);
        }

        var name = ExpectIdent();
        if (Cur.Kind == Tk.LParen && name.Text.ToUpperInvariant() is "COUNT" or "MAX" or "MIN" or "SUM" or "AVG" or "COUNT_DISTINCT" or "FIELDS")
        {
            _i++;
            if (name.Text.Equals("FIELDS", StringComparison.OrdinalIgnoreCase))
            {
                var kind = ExpectIdent();
                if (kind.Text.ToUpperInvariant() is not ("ALL" or "STANDARD" or "CUSTOM"))
                {
                    throw Unexpected(kind);
                }

                Expect(Tk.RParen);
                return new FieldsItem(kind.Text.ToUpperInvariant(), name.Pos);
            }

            SoqlPath? path = null;
            if (Cur.Kind == Tk.Ident)
            {
                var f = ExpectIdent();
                path = new SoqlPath(f.Text, f.Pos);
            }
            else if (!name.Text.Equals("COUNT", StringComparison.OrdinalIgnoreCase))
            {
                throw Unexpected();
            }

            Expect(Tk.RParen);
            string? alias = null;
            if (Cur.Kind == Tk.Ident && !IsKeyword(Cur.Text))
            {
                alias = ExpectIdent().Text;
            }

            return new AggregateItem(name.Text.ToUpperInvariant(), path, alias, name.Pos);
        }

        // An alias ("CreatedBy.Username u") is followed by ',' or FROM; "Id FORM Case" stays a syntax error at FORM.
        string? fieldAlias = null;
        var following = _tokens[Math.Min(_i + 1, _tokens.Count - 1)];
        if (Cur.Kind == Tk.Ident && !IsKeyword(Cur.Text) && (following.Kind == Tk.Comma || (following.Kind == Tk.Ident && following.Text.Equals("FROM", StringComparison.OrdinalIgnoreCase))))
        {
            fieldAlias = ExpectIdent().Text;
        }

        return new FieldItem(new SoqlPath(name.Text, name.Pos), fieldAlias);
    }

    // SOQL does not let AND and OR mix without parentheses: "a AND b OR c" is a syntax error.
    private Cond ParseCondition()
    {
        var first = ParseNot();
        if (Cur.Kind == Tk.Ident && (Cur.Text.Equals("AND", StringComparison.OrdinalIgnoreCase) || Cur.Text.Equals("OR", StringComparison.OrdinalIgnoreCase)))
        {
            var op = Cur.Text.ToUpperInvariant();
            var items = new List<Cond> { first };
            while (AcceptWord(op))
            {
                items.Add(ParseNot());
            }

            if (Cur.Kind == Tk.Ident && Cur.Text.ToUpperInvariant() is "AND" or "OR")
            {
                throw Unexpected();
            }

            return op == "AND" ? new AndCond(items) : new OrCond(items);
        }

        return first;
    }

    private Cond ParseNot()
    {
        if (AcceptWord("NOT"))
        {
            return new NotCond(ParseNot());
        }

        if (Accept(Tk.LParen))
        {
            var inner = ParseCondition();
            Expect(Tk.RParen);
            return inner;
        }

        var field = ExpectIdent();
        var path = new SoqlPath(field.Text, field.Pos);
        if (Cur.Kind == Tk.Op)
        {
            var op = Cur.Text == "<>" ? "!=" : Cur.Text;
            _i++;
            return new CompareCond(path, op, ParseLiteral());
        }

        if (AcceptWord("LIKE"))
        {
            return new CompareCond(path, "LIKE", ParseLiteral());
        }

        var not = AcceptWord("NOT");
        if (AcceptWord("IN"))
        {
            Expect(Tk.LParen);
            if (Cur.Kind == Tk.Ident && Cur.Text.Equals("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                var sub = ParseQuery();
                Expect(Tk.RParen);
                return new InCond(path, not, [], sub);
            }

            var values = ParseLiteralList();
            return new InCond(path, not, values, null);
        }

        if (!not && Cur.Kind == Tk.Ident && Cur.Text.ToUpperInvariant() is "INCLUDES" or "EXCLUDES")
        {
            var excludes = Cur.Text.Equals("EXCLUDES", StringComparison.OrdinalIgnoreCase);
            _i++;
            Expect(Tk.LParen);
            return new IncludesCond(path, excludes, ParseLiteralList());
        }

        throw Unexpected();
    }

    private List<Literal> ParseLiteralList()
    {
        var values = new List<Literal>();
        do
        {
            values.Add(ParseLiteral());
        }
        while (Accept(Tk.Comma));

        Expect(Tk.RParen);
        return values;
    }

    private Literal ParseLiteral()
    {
        var t = Cur;
        switch (t.Kind)
        {
            case Tk.String:
                _i++;
                return new Literal(LitKind.String, t.Value, t.Pos, t.Text);
            case Tk.Number:
                _i++;
                return new Literal(LitKind.Number, decimal.Parse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture), t.Pos, t.Text);
            case Tk.Date:
                _i++;
                return new Literal(LitKind.Date, t.Value, t.Pos, t.Text);
            case Tk.DateTime:
                _i++;
                return new Literal(LitKind.DateTime, t.Value, t.Pos, t.Text);
            case Tk.Ident:
                var word = t.Text.ToUpperInvariant();
                if (word is "TRUE" or "FALSE")
                {
                    _i++;
                    return new Literal(LitKind.Bool, word == "TRUE", t.Pos, t.Text);
                }

                if (word == "NULL")
                {
                    _i++;
                    return new Literal(LitKind.Null, null, t.Pos, t.Text);
                }

                if (DateLiteralNames.Contains(word))
                {
                    _i++;
                    var n = 0;
                    if (word.Contains("_N_", StringComparison.Ordinal) || word == "N_DAYS_AGO")
                    {
                        Expect(Tk.Colon);
                        n = ExpectInt();
                    }

                    return new Literal(LitKind.Relative, (word, n), t.Pos, t.Text);
                }

                break;
        }

        throw Unexpected();
    }

    private static bool IsKeyword(string word) => word.ToUpperInvariant() is "FROM" or "WHERE" or "ORDER" or "GROUP" or "LIMIT" or "OFFSET" or "AND" or "OR" or "NOT" or "WITH" or "FOR" or "HAVING" or "USING";

    private bool Accept(Tk kind)
    {
        if (Cur.Kind != kind)
        {
            return false;
        }

        _i++;
        return true;
    }

    private bool AcceptWord(string word)
    {
        if (Cur.Kind != Tk.Ident || !Cur.Text.Equals(word, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        _i++;
        return true;
    }

    private void Expect(string word)
    {
        if (!AcceptWord(word))
        {
            throw Unexpected();
        }
    }

    private void Expect(Tk kind)
    {
        if (!Accept(kind))
        {
            throw Unexpected();
        }
    }

    private Token ExpectIdent()
    {
        if (Cur.Kind != Tk.Ident)
        {
            throw Unexpected();
        }

        return _tokens[_i++];
    }

    private int ExpectInt()
    {
        if (Cur.Kind != Tk.Number || !int.TryParse(Cur.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw Unexpected();
        }

        _i++;
        return n;
    }

    private SfException Unexpected(Token? token = null)
    {
        var t = token ?? Cur;
        return Error(_text, t.Pos, "MALFORMED_QUERY", $"unexpected token: '{(t.Kind == Tk.End ? "<EOF>" : t.Text)}'");
    }

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new Token(Tk.End, string.Empty, text.Length, null));
                return tokens;
            }

            var c = text[i];
            var start = i;
            if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var m = DateLiteral().Match(text, i);
                if (m.Success && m.Index == i)
                {
                    i += m.Length;
                    if (m.Groups[1].Success)
                    {
                        SfTime.TryParseDateTime(m.Value, out var dt);
                        tokens.Add(new Token(Tk.DateTime, m.Value, start, dt));
                    }
                    else
                    {
                        SfTime.TryParseDate(m.Value, out var d);
                        tokens.Add(new Token(Tk.Date, m.Value, start, d));
                    }

                    continue;
                }

                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new Token(Tk.Number, text[start..i], start, null));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(Tk.Ident, text[start..i], start, null));
                continue;
            }

            switch (c)
            {
                case '\'':
                    tokens.Add(LexString(text, ref i));
                    continue;
                case '(':
                    tokens.Add(new Token(Tk.LParen, "(", i++, null));
                    continue;
                case ')':
                    tokens.Add(new Token(Tk.RParen, ")", i++, null));
                    continue;
                case ',':
                    tokens.Add(new Token(Tk.Comma, ",", i++, null));
                    continue;
                case ':':
                    tokens.Add(new Token(Tk.Colon, ":", i++, null));
                    continue;
                case '=':
                    tokens.Add(new Token(Tk.Op, "=", i++, null));
                    continue;
                case '!' when i + 1 < text.Length && text[i + 1] == '=':
                    tokens.Add(new Token(Tk.Op, "!=", i, null));
                    i += 2;
                    continue;
                case '<' or '>':
                    var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                    var op = two is "<=" or ">=" or "<>" ? two : c.ToString();
                    tokens.Add(new Token(Tk.Op, op, i, null));
                    i += op.Length;
                    continue;
                default:
                    throw Error(text, i, "MALFORMED_QUERY", $"unexpected token: '{c}'");
            }
        }
    }

    private static Token LexString(string text, ref int i)
    {
        var start = i++;
        var sb = new StringBuilder();
        while (i < text.Length && text[i] != '\'')
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                var e = text[i + 1];
                i += 2;
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'u' when i + 4 <= text.Length:
                        sb.Append((char)int.Parse(text.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    case '%' or '_':
                        sb.Append('\\').Append(e); // kept escaped for LIKE; unescaped by the comparison
                        break;
                    case '\'' or '"' or '\\':
                        sb.Append(e);
                        break;
                    default:
                        throw Error(text, i - 2, "MALFORMED_QUERY", $"Invalid string literal '{text[start..Math.Min(text.Length, i)]}'. Illegal character sequence '\\{e}' in string literal.");
                }

                continue;
            }

            sb.Append(text[i++]);
        }

        if (i >= text.Length)
        {
            throw Error(text, start, "MALFORMED_QUERY", $"unexpected token: '{text[start..]}'");
        }

        i++;
        return new Token(Tk.String, text[start..i], start, sb.ToString());
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2}))?", RegexOptions.CultureInvariant)]
    private static partial Regex DateLiteral();

    private readonly record struct Token(Tk Kind, string Text, int Pos, object? Value);
}
