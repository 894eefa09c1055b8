using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using PluginHub.Testing;

namespace PluginHub.Host.Tests;

/// <summary>The built host started as a real process, as a user would start it; killed on dispose.</summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private HostProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The URL the host listens on; known once it has started.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts the host from its own build output on a free port and waits until it listens.</summary>
    /// <param name="environment">Environment variables (configuration) of the process.</param>
    /// <param name="timeout">How long to wait for it to listen.</param>
    /// <param name="arguments">Command-line arguments, such as <c>--demo</c>.</param>
    public static async Task<HostProcess> StartAsync(IDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(HostAssemblyPath())!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostAssemblyPath());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The host process did not start.");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = new HostProcess(process);
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (host._output)
            {
                host._output.Add(e.Data);
            }

            if (ListeningPattern().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(timeout));
        if (first != listening.Task)
        {
            await host.DisposeAsync();
            throw new InvalidOperationException($"The host did not start listening within {timeout}. Output:\n{host.Output}");
        }

        host.BaseAddress = await listening.Task;
        return host;
    }

    /// <summary>The host's own build output, built with the same configuration as the tests.</summary>
    private static string HostAssemblyPath()
    {
        var configuration = typeof(HostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return Path.Combine(RepositoryRoot.Find(), "src", "PluginHub.Host", "bin", configuration, "net10.0", "PluginHub.Host.dll");
    }

    /// <summary>Waits until the output has a line matching <paramref name="pattern"/> and returns the match.</summary>
    public Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout) => Poll.UntilAsync(
        () => Task.FromResult(pattern.Match(Output)), m => m.Success, $"output matching {pattern}", timeout);

    /// <summary>Kills the process at once, as a crash or a power cut would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningPattern();
}
