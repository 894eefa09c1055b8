using System.Runtime.InteropServices;
using PluginHub.Sandbox;

// dotnet run --project src/PluginHub.Sandbox -- --salesforce URL --jira URL [--jira-server URL] [--seed N]
var options = new SandboxClusterOptions();
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    options = args[i] switch
    {
        "--salesforce" => options with { SalesforceUrl = Value() },
        "--jira" => options with { JiraUrl = Value() },
        "--jira-server" => options with { JiraServerUrl = Value() },
        "--seed" => options with { Seed = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) },
        _ => throw new ArgumentException($"Unknown option {args[i]}. Usage: --salesforce URL --jira URL [--jira-server URL] [--seed N]"),
    };
}

if (options is { SalesforceUrl: null, JiraUrl: null, JiraServerUrl: null })
{
    options = options with { SalesforceUrl = "http://127.0.0.1:5081", JiraUrl = "http://127.0.0.1:5082" };
}

await using var cluster = await SandboxCluster.StartAsync(options);
foreach (var (name, server) in new[] { ("Salesforce", cluster.Salesforce), ("Jira Cloud", cluster.Jira), ("Jira Server", cluster.JiraServer) })
{
    if (server is not null)
    {
        var url = server.BaseUrl.ToString().TrimEnd('/');
        Console.WriteLine($"{name} sandbox listening on {url} (admin: {url}/_sandbox/metrics)");
    }
}

using var stop = new CancellationTokenSource();

// Each sandbox is a web host whose console lifetime swallows SIGTERM/SIGINT for itself; listen too, so the process exits.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // A signal: dispose the cluster and exit.
}
