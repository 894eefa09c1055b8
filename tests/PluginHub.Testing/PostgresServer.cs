using System.Diagnostics;
using Npgsql;

namespace PluginHub.Testing;

/// <summary>
/// The PostgreSQL server the tests use: the one named by <c>PLUGINHUB_TEST_POSTGRES</c> (a full Npgsql connection string),
/// or else the throwaway server that <c>.ci/postgres.sh</c> starts (and installs when needed). Resolved once per test process.
/// When no server can be reached the tests fail with the reason: they are never skipped.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "PLUGINHUB_TEST_POSTGRES";

    public const string StartScript = ".ci/postgres.sh";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private static readonly Lazy<Task<string>> Server = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The connection string of a server that answers, to its maintenance database; throws with a clear message when there is none.</summary>
    public static Task<string> GetConnectionStringAsync() => Server.Value;

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            await WaitUntilAnswersAsync(configured, $"The server named by {EnvironmentVariable}");
            return configured;
        }

        var started = await RunStartScriptAsync();
        await WaitUntilAnswersAsync(started, $"The server started by {StartScript}");
        return started;
    }

    private static async Task<string> RunStartScriptAsync()
    {
        var root = RepositoryRoot.Find();
        var script = Path.Combine(root, StartScript);
        if (!File.Exists(script))
        {
            throw Failure($"{script} does not exist.");
        }

        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(script);

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw Failure($"bash could not be started to run {StartScript}: {ex.Message}");
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(stdout, stderr).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw Failure($"bash {StartScript} did not finish within {ScriptTimeout.TotalMinutes} minutes.");
        }

        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw Failure($"bash {StartScript} exited with code {process.ExitCode}:{Environment.NewLine}{errors.Trim()}");
        }

        var connectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (string.IsNullOrEmpty(connectionString))
        {
            throw Failure($"bash {StartScript} succeeded but printed no connection string:{Environment.NewLine}{errors.Trim()}");
        }

        return connectionString;
    }

    private static async Task WaitUntilAnswersAsync(string connectionString, string source)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw Failure($"{source} has an invalid connection string: {ex.Message}");
        }

        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (watch.Elapsed < ConnectTimeout)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The server may still be starting up.
                last = ex;
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }

        builder.Remove("Password");
        throw Failure($"{source} ({builder.ConnectionString}) does not answer after {ConnectTimeout.TotalSeconds} s: {last?.Message}", last);
    }

    private static InvalidOperationException Failure(string reason, Exception? inner = null) => new(
        $"These tests need a PostgreSQL server and none could be used. {reason}{Environment.NewLine}" +
        $"Fix: let `bash {StartScript}` start one (it installs the Debian package postgresql when missing), " +
        $"or set {EnvironmentVariable} to the Npgsql connection string of a server where the user may CREATE DATABASE.",
        inner);
}
