using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PluginHub.Testing;

namespace PluginHub.Sandbox.Tests.Clients;

/// <summary>
/// Runs a script of <c>tests/js</c> with Node, so that the official JavaScript clients (jsforce, jira.js) drive a sandbox
/// over real HTTP. Installs the npm packages once when they are missing (CI installs them in <c>.ci/setup.d</c>).
/// A script prints one JSON document on stdout; a non-zero exit fails the test with its stderr.
/// </summary>
public static class NodeClient
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string ScriptsDir { get; } = Path.Combine(RepositoryRoot.Find(), "tests", "js");

    /// <summary>Runs <paramref name="script"/> (relative to tests/js) with the environment given and returns its stdout as JSON.</summary>
    public static async Task<JsonElement> RunAsync(string script, IDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        await EnsureInstalledAsync();
        var (exitCode, stdout, stderr) = await ExecAsync("node", [script], environment, timeout ?? TimeSpan.FromSeconds(60));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited with {exitCode}.\nstderr:\n{stderr}\nstdout:\n{stdout}");
        }

        try
        {
            using var doc = JsonDocument.Parse(stdout);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"node {script} did not print JSON: {ex.Message}\nstdout:\n{stdout}\nstderr:\n{stderr}", ex);
        }
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(ScriptsDir, "node_modules", "jsforce")) && Directory.Exists(Path.Combine(ScriptsDir, "node_modules", "jira.js")))
            {
                return;
            }

            var (exitCode, stdout, stderr) = await ExecAsync("npm", ["ci", "--no-audit", "--no-fund"], new Dictionary<string, string>(), TimeSpan.FromMinutes(5));
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {ScriptsDir} failed ({exitCode}):\n{stderr}\n{stdout}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> ExecAsync(
        string file, IEnumerable<string> args, IDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = ScriptsDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.\nstderr:\n{stderr}\nstdout:\n{stdout}");
        }

        process.WaitForExit(); // flushes the redirected streams after the async wait
        return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
