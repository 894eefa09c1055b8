using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PluginHub.Rules;

namespace PluginHub.Host.Endpoints;

/// <summary>The result of a rule tried on a sample record.</summary>
public sealed record RuleTestResponse(JsonElement? Result, IReadOnlyList<string> Logs);

internal static class RuleEndpoints
{
    public static RouteGroupBuilder MapRuleEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/rules/test", TestAsync).WithTags("Rules").WithName("TestRule")
            .WithSummary("Runs a rule's filter or transform on a sample record in the sandbox: 200 with the result and logs, "
                + "400 when the script does not parse (with line and column), 422 when the rule fails (with message and line).");
        return api;
    }

    private static async Task<Results<Ok<RuleTestResponse>, ProblemHttpResult>> TestAsync(RuleTestRequest request, RuleTester tester, CancellationToken ct)
    {
        var outcome = await tester.TestAsync(request, ct);
        return outcome.Status switch
        {
            RuleTestStatus.Ok => TypedResults.Ok(new RuleTestResponse(outcome.Result, outcome.Logs)),
            RuleTestStatus.InvalidScript => TypedResults.Problem(
                string.Join("; ", outcome.SyntaxErrors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}")),
                statusCode: StatusCodes.Status400BadRequest,
                title: "The script does not parse.",
                extensions: new Dictionary<string, object?>
                {
                    ["line"] = outcome.SyntaxErrors.FirstOrDefault()?.Line,
                    ["column"] = outcome.SyntaxErrors.FirstOrDefault()?.Column,
                    ["errors"] = outcome.SyntaxErrors,
                }),
            RuleTestStatus.RuleFailed => TypedResults.Problem(
                outcome.Error!.ToString(),
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The rule failed on this record.",
                extensions: new Dictionary<string, object?>
                {
                    ["message"] = outcome.Error.Message,
                    ["line"] = outcome.Error.Line,
                    ["column"] = outcome.Error.Column,
                    ["kind"] = outcome.Error.Kind.ToString(),
                    ["logs"] = outcome.Logs,
                }),
            _ => TypedResults.Problem(outcome.InputError, statusCode: StatusCodes.Status400BadRequest, title: "The sample record or target is not valid."),
        };
    }
}
