using System.Collections;
using System.Diagnostics;

namespace PluginHub.Testing;

/// <summary>Bounded waiting for a condition that becomes true in the background: checks every 50 ms, gives up after 15 s (by default) with a message.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="condition"/> returns true.</summary>
    /// <param name="condition">Checked at once, then every <see cref="Interval"/>.</param>
    /// <param name="what">What is awaited, for the failure message ("the job is scheduled").</param>
    /// <param name="timeout">How long to wait at most; <see cref="DefaultTimeout"/> when null.</param>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(condition, static done => done, what, timeout);

    /// <summary>Reads a value until <paramref name="done"/> accepts it, and returns that value.</summary>
    /// <param name="probe">Reads the current value, at once and then every <see cref="Interval"/>.</param>
    /// <param name="done">True when the value is the awaited one.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="timeout">How long to wait at most; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">The value was not accepted in time; the message names <paramref name="what"/> and the last value.</exception>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var limit = timeout ?? DefaultTimeout;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (watch.Elapsed >= limit)
            {
                throw new TimeoutException($"Gave up after {limit.TotalSeconds:0.#} s waiting until {what}; the last value was {Describe(value)}.");
            }

            await Task.Delay(Interval);
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        ICollection c => $"{c.Count} item(s): [{string.Join(", ", c.Cast<object?>())}]",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
