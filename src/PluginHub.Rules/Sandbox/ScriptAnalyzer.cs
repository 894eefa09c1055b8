using Acornima;
using Acornima.Ast;
using Jint;

namespace PluginHub.Rules.Sandbox;

/// <summary>What a parsed, structurally valid rule script declares.</summary>
/// <param name="Prepared">The parsed script, shared by every engine of the rule.</param>
/// <param name="Functions">Where <c>filter</c>/<c>transform</c> are declared (1-based), for errors about what they return.</param>
/// <param name="ConstNames">Top-level constants, frozen after the top level ran.</param>
internal sealed record ScriptShape(Prepared<Script> Prepared, IReadOnlyDictionary<string, (int Line, int Column)> Functions, IReadOnlyList<string> ConstNames)
{
    public bool HasFilter => Functions.ContainsKey(ScriptAnalyzer.FilterName);

    public bool HasTransform => Functions.ContainsKey(ScriptAnalyzer.TransformName);
}

/// <summary>
/// Parses a rule (strict mode) and checks its top level. Top-level code runs once per pooled engine, so only function and
/// <c>const</c> declarations are allowed there: a top-level <c>let</c>/<c>var</c>/statement would make a record's result depend
/// on which engine, and which earlier records, it happened to meet.
/// </summary>
internal static class ScriptAnalyzer
{
    public const string FilterName = "filter";
    public const string TransformName = "transform";

    public static ScriptShape? Analyze(string script, string name, List<RuleSyntaxError> errors)
    {
        Prepared<Script> prepared;
        try
        {
            prepared = Engine.PrepareScript(script, name, strict: true);
        }
        catch (ScriptPreparationException ex) when (ex.InnerException is ParseErrorException parse)
        {
            errors.Add(new RuleSyntaxError(parse.Description, parse.LineNumber, parse.Column + 1));
            return null;
        }

        var functions = new Dictionary<string, (int Line, int Column)>(StringComparer.Ordinal);
        var constNames = new List<string>();
        foreach (var statement in prepared.Program!.Body)
        {
            switch (statement)
            {
                case Directive or EmptyStatement:
                    break;
                case FunctionDeclaration function:
                    CheckFunction(function.Id?.Name, function.Async, function.Generator, function, errors, functions);
                    break;
                case VariableDeclaration { Kind: VariableDeclarationKind.Const } declaration:
                    foreach (var declarator in declaration.Declarations)
                    {
                        var before = constNames.Count;
                        CollectNames(declarator.Id, constNames);
                        if (declarator.Id is Identifier { Name: FilterName or TransformName } id)
                        {
                            constNames.RemoveAt(before);
                            if (declarator.Init is ArrowFunctionExpression or FunctionExpression)
                            {
                                var (isAsync, isGenerator) = declarator.Init is FunctionExpression f ? (f.Async, f.Generator) : (((ArrowFunctionExpression)declarator.Init).Async, false);
                                CheckFunction(id.Name, isAsync, isGenerator, declarator, errors, functions);
                            }
                            else
                            {
                                errors.Add(At(declarator, $"'{id.Name}' must be a function."));
                            }
                        }
                    }

                    break;
                case VariableDeclaration declaration:
                    errors.Add(At(statement, $"Top-level '{Keyword(declaration.Kind)}' would keep state between records; use 'const', or declare it inside the function."));
                    break;
                default:
                    errors.Add(At(statement, "Only function and 'const' declarations are allowed at the top level of a rule; put other code inside filter or transform."));
                    break;
            }
        }

        if (functions.Count == 0 && errors.Count == 0)
        {
            errors.Add(new RuleSyntaxError("A rule must define function filter(record, ctx) and/or function transform(record, target, ctx).", 1, 1));
        }

        return errors.Count == 0 ? new ScriptShape(prepared, functions, constNames) : null;
    }

    private static void CheckFunction(string? name, bool isAsync, bool isGenerator, Node node, List<RuleSyntaxError> errors, Dictionary<string, (int Line, int Column)> functions)
    {
        if (name is not (FilterName or TransformName))
        {
            return;
        }

        if (isAsync || isGenerator)
        {
            errors.Add(At(node, $"'{name}' must be a plain function: rules run synchronously, so async and generator functions are not allowed."));
        }

        functions[name] = (node.Location.Start.Line, node.Location.Start.Column + 1);
    }

    private static void CollectNames(Node? pattern, List<string> names)
    {
        switch (pattern)
        {
            case Identifier id:
                names.Add(id.Name);
                break;
            case ArrayPattern array:
                foreach (var element in array.Elements)
                {
                    CollectNames(element, names);
                }

                break;
            case ObjectPattern obj:
                foreach (var property in obj.Properties)
                {
                    CollectNames(property is Property p ? p.Value : property, names);
                }

                break;
            case RestElement rest:
                CollectNames(rest.Argument, names);
                break;
            case AssignmentPattern assignment:
                CollectNames(assignment.Left, names);
                break;
        }
    }

    private static string Keyword(VariableDeclarationKind kind) => kind switch
    {
        VariableDeclarationKind.Var => "var",
        VariableDeclarationKind.Let => "let",
        _ => "using",
    };

    private static RuleSyntaxError At(Node node, string message) =>
        new(message, node.Location.Start.Line, node.Location.Start.Column + 1);
}
