using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace PluginHub.Testing;

/// <summary>Writes log messages to xunit's test output, so that a failing test shows what the code under test logged.</summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output, LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName, minimum);

    public void Dispose()
    {
    }

    private sealed class TestOutputLogger(ITestOutputHelper output, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"[{logLevel}] {category}: {formatter(state, exception)}";
            try
            {
                output.WriteLine(exception is null ? line : line + Environment.NewLine + exception);
            }
            catch (InvalidOperationException)
            {
                // Background work (a scheduler thread) may log after the test ended; xunit then has no test to write to.
            }
        }
    }
}

public static class TestOutputLoggingExtensions
{
    /// <summary>Adds a provider that writes to the test's output.</summary>
    public static ILoggingBuilder AddTestOutput(this ILoggingBuilder builder, ITestOutputHelper output, LogLevel minimum = LogLevel.Information)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddProvider(new TestOutputLoggerProvider(output, minimum));
        builder.SetMinimumLevel(minimum);
        return builder;
    }
}
