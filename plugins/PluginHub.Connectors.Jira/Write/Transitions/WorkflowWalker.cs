using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using PluginHub.Connectors.Jira.Api;
using PluginHub.Connectors.Jira.Describe;

namespace PluginHub.Connectors.Jira.Write.Transitions;

/// <summary>
/// Moves an issue to a status by name through its workflow's transitions, several steps when there is no direct one.
/// </summary>
/// <remarks>
/// Jira only lists the transitions available from an issue's <em>current</em> status (the workflow graph itself needs admin
/// APIs), so the walker learns the graph as it goes and keeps it for the connector's life: each step takes a direct transition
/// when there is one, else the first step of the shortest path through the part of the graph already learned, else explores
/// the transition whose status category is closest to the target's (To Do → In Progress → Done). A status that is not in the
/// workflow at all is refused before anything moves; a walk that explores into a dead end leaves the issue where it stopped
/// and says so (the next write starts from there, with the graph learned so far). Once the initial status and the
/// transitions from it are learned, the first step of a new issue can ride with its create (<see cref="PlanCreateStepAsync"/>,
/// Cloud's create <c>transition</c>) and the walk goes on from there (<see cref="ContinueAsync"/>).
/// </remarks>
internal sealed class WorkflowWalker(JiraApi api, JiraCatalog catalog)
{
    private const int MaxSteps = 8;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, IReadOnlyList<Transition>>> _graphs = new(StringComparer.OrdinalIgnoreCase);

    // The status a new issue starts in, per project and issue type, learned from the first one created: later creates skip reading it.
    private readonly ConcurrentDictionary<string, string> _initial = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Moves the issue; returns null when it is in <paramref name="target"/>, else why it could not get there.</summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="target">The status name.</param>
    /// <param name="createdIn">For an issue just created: its project key and issue type name; null for an existing issue.</param>
    /// <param name="cancellationToken">Cancels between steps.</param>
    public async Task<string?> MoveAsync(string issueId, string target, (string Project, string IssueType)? createdIn, CancellationToken cancellationToken)
    {
        string current, project, issueType;
        if (createdIn is { } created && _initial.TryGetValue($"{created.Project}|{created.IssueType}", out var initial))
        {
            (current, project, issueType) = (initial, created.Project, created.IssueType);
        }
        else
        {
            var issue = await api.GetAsync($"{api.Root}/issue/{Uri.EscapeDataString(issueId)}", "Reading an issue's status", cancellationToken, new { fields = "status,project,issuetype" });
            var fields = issue.Body?["fields"];
            current = (string?)fields?["status"]?["name"] ?? "";
            project = (string?)fields?["project"]?["key"] ?? "";
            issueType = (string?)fields?["issuetype"]?["name"] ?? "";
            if (createdIn is not null && current.Length > 0)
            {
                _initial[$"{project}|{issueType}"] = current;
            }
        }

        return await WalkAsync(issueId, target, project, issueType, current, [], cancellationToken);
    }

    /// <summary>
    /// The first step towards <paramref name="target"/> that a new issue can take as part of its create (Cloud's create
    /// <c>transition</c>), once the workflow's initial status and the transitions from it are learned; null when they are not
    /// yet, when the issue would start in the target, when the status is not in the workflow, or when the step's screen needs
    /// values (a create cannot fill a transition screen). It is the step <see cref="MoveAsync"/> would take first.
    /// </summary>
    public async Task<CreateStep?> PlanCreateStepAsync(string project, string issueType, string target, CancellationToken cancellationToken)
    {
        var key = $"{project}|{issueType}";
        if (!_initial.TryGetValue(key, out var initial) || Same(initial, target)
            || !_graphs.TryGetValue(key, out var graph) || !graph.TryGetValue(initial, out var available))
        {
            return null;
        }

        var statuses = await catalog.StatusesAsync(project, issueType, cancellationToken);
        var wanted = statuses.FirstOrDefault(s => Same(s.Name, target));
        if (statuses.Count > 0 && wanted is null)
        {
            return null;
        }

        var next = Choose(initial, target, available, graph, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { initial }, wanted);
        return next is { RequiredFields.Count: 0 } ? new CreateStep(project, issueType, initial, next) : null;
    }

    /// <summary>Whether the status new issues of the project and type start in is known (learned from the first one created).</summary>
    public bool Knows(string project, string issueType) => _initial.ContainsKey($"{project}|{issueType}");

    /// <summary>Moves on an issue created with <paramref name="step"/> applied (it is in the step's status); as <see cref="MoveAsync"/>.</summary>
    public Task<string?> ContinueAsync(string issueId, string target, CreateStep step, CancellationToken cancellationToken) =>
        WalkAsync(issueId, target, step.Project, step.IssueType, step.Transition.To, [step.From], cancellationToken);

    private async Task<string?> WalkAsync(string issueId, string target, string project, string issueType, string current, IReadOnlyCollection<string> walked, CancellationToken cancellationToken)
    {
        if (Same(current, target))
        {
            return null;
        }

        // The workflow's statuses, from the issue's own project and type: a status outside it is refused before anything moves.
        var statuses = project.Length == 0 ? [] : await catalog.StatusesAsync(project, issueType, cancellationToken);
        var wanted = statuses.FirstOrDefault(s => Same(s.Name, target));
        if (statuses.Count > 0 && wanted is null)
        {
            return "The status is not part of this issue type's workflow.";
        }

        var graph = _graphs.GetOrAdd($"{project}|{issueType}", _ => new ConcurrentDictionary<string, IReadOnlyList<Transition>>(StringComparer.OrdinalIgnoreCase));
        var visited = new HashSet<string>(walked, StringComparer.OrdinalIgnoreCase);
        for (var step = walked.Count; step <= MaxSteps; step++)
        {
            if (Same(current, target))
            {
                return null;
            }

            visited.Add(current);

            // Transitions already learned from this status are tried as they are (one call per step); when Jira refuses one
            // (a condition of this issue), the issue's own transitions are read and the step is planned again.
            var learned = graph.TryGetValue(current, out var known);
            var available = known ?? await AvailableAsync(issueId, cancellationToken);
            graph[current] = available;
            var (next, response) = await StepAsync(issueId, current, target, available, graph, visited, wanted, cancellationToken);
            if (learned && next is not null && !response!.IsSuccess)
            {
                available = await AvailableAsync(issueId, cancellationToken);
                graph[current] = available;
                (next, response) = await StepAsync(issueId, current, target, available, graph, visited, wanted, cancellationToken);
            }

            if (next is null)
            {
                return step == 0
                    ? "No workflow transition leads from the issue's current status towards the status."
                    : "No path of workflow transitions reaches the status from the issue's status.";
            }

            if (!response!.IsSuccess)
            {
                return $"Jira refused the transition '{next.Name}': {response.Errors.Describe()}";
            }

            current = next.To;
        }

        return $"The status is more than {MaxSteps} transitions away.";
    }

    /// <summary>Chooses the next transition and performs it; no transition when none leads on.</summary>
    private async Task<(Transition? Next, JiraResponse? Response)> StepAsync(string issueId, string current, string target, IReadOnlyList<Transition> available,
        ConcurrentDictionary<string, IReadOnlyList<Transition>> graph, HashSet<string> visited, JiraStatus? wanted, CancellationToken cancellationToken)
    {
        var next = Choose(current, target, available, graph, visited, wanted);
        if (next is null)
        {
            return (null, null);
        }

        var body = new JsonObject { ["transition"] = new JsonObject { ["id"] = next.Id } };
        if (next.RequiredFields.Count > 0)
        {
            body["fields"] = next.RequiredFields.DeepClone();
        }

        var response = await api.SendAsync(HttpMethod.Post, $"{api.Root}/issue/{Uri.EscapeDataString(issueId)}/transitions", "Transitioning an issue", cancellationToken, body,
            handled: status => status is 400 or 409);
        return (next, response);
    }

    /// <summary>A direct transition, else the first step of the shortest learned path, else the closest unvisited status category.</summary>
    private static Transition? Choose(string current, string target, IReadOnlyList<Transition> available, ConcurrentDictionary<string, IReadOnlyList<Transition>> graph,
        HashSet<string> visited, JiraStatus? wanted) =>
        available.FirstOrDefault(t => Same(t.To, target))
        ?? FirstStepOfShortestPath(graph, current, target, available)
        ?? available.Where(t => !visited.Contains(t.To)).OrderBy(t => Distance(t.ToCategory, wanted?.Category)).FirstOrDefault();

    /// <summary>Breadth-first over the learned graph, starting with the transitions available now.</summary>
    private static Transition? FirstStepOfShortestPath(ConcurrentDictionary<string, IReadOnlyList<Transition>> graph, string from, string target, IReadOnlyList<Transition> available)
    {
        var queue = new Queue<(string Status, Transition First)>(available.Select(t => (t.To, t)));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { from };
        while (queue.TryDequeue(out var node))
        {
            if (Same(node.Status, target))
            {
                return node.First;
            }

            if (!seen.Add(node.Status) || !graph.TryGetValue(node.Status, out var edges))
            {
                continue;
            }

            foreach (var edge in edges)
            {
                queue.Enqueue((edge.To, node.First));
            }
        }

        return null;
    }

    /// <summary>How far apart two status categories are along To Do → In Progress → Done.</summary>
    private static int Distance(string? from, string? to)
    {
        static int Rank(string? category) => category switch
        {
            "new" => 0,
            "indeterminate" => 1,
            "done" => 2,
            _ => 1,
        };
        return Math.Abs(Rank(from) - Rank(to));
    }

    private async Task<IReadOnlyList<Transition>> AvailableAsync(string issueId, CancellationToken cancellationToken)
    {
        var response = await api.GetAsync($"{api.Root}/issue/{Uri.EscapeDataString(issueId)}/transitions", "Reading an issue's transitions", cancellationToken, new { expand = "transitions.fields" });
        return [.. (response.Body?["transitions"] as JsonArray ?? []).OfType<JsonObject>().Select(Transition.From)];
    }

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
