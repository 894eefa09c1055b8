using System.Globalization;
using PluginHub.Connectors.Abstractions;

namespace PluginHub.Connectors.Jira.Read;

/// <summary>
/// What an incremental read has certified: every change up to <see cref="Millis"/> (an <c>updated</c> in epoch
/// milliseconds), never looking earlier than <see cref="Floor"/>. <see cref="Seen"/> lists the versions (<c>id@millis</c>)
/// already returned inside the overlap window, so that a resume re-reading the window does not return them again, while
/// issues sharing the last millisecond but not yet returned are still read.
/// Text form: <c>j1;millis;floor;id@millis,…</c>.
/// </summary>
internal sealed record Checkpoint(long Millis, long Floor, IReadOnlySet<string> Seen)
{
    /// <summary>Versions remembered at most; older ones are simply re-read, never lost.</summary>
    private const int MaxSeen = 2000;

    private const string Prefix = "j1";

    public static Checkpoint Start(long millis) => new(millis, millis, new HashSet<string>(StringComparer.Ordinal));

    public static string Version(string id, long millis) => id + "@" + millis.ToString(CultureInfo.InvariantCulture);

    public static Checkpoint Parse(string text)
    {
        var parts = text.Split(';');
        if (parts.Length != 4 || parts[0] != Prefix
            || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var millis)
            || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var floor))
        {
            throw new ConnectorException(FailureKind.Configuration, "The watermark was not written by this Jira connector.");
        }

        return new Checkpoint(millis, floor, parts[3].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Where a resume starts searching: the overlap window before <see cref="Millis"/>, not before <see cref="Floor"/>.</summary>
    public long SearchFrom(TimeSpan overlap) => Math.Max(Millis - (long)overlap.TotalMilliseconds, Floor);

    /// <summary>The checkpoint after a page whose last issue changed at <paramref name="lastMillis"/>.</summary>
    public Checkpoint Advance(long lastMillis, IEnumerable<(string Id, long Millis)> read, TimeSpan overlap)
    {
        var millis = Math.Max(Millis, lastMillis);
        var horizon = millis - (long)overlap.TotalMilliseconds;
        var seen = Seen.Select(Split).Concat(read)
            .Where(v => v.Millis >= horizon)
            .OrderByDescending(v => v.Millis)
            .Take(MaxSeen)
            .Select(v => Version(v.Id, v.Millis))
            .ToHashSet(StringComparer.Ordinal);
        return new Checkpoint(millis, Floor, seen);
    }

    public override string ToString() =>
        string.Join(';', Prefix, Millis.ToString(CultureInfo.InvariantCulture), Floor.ToString(CultureInfo.InvariantCulture), string.Join(',', Seen.Order(StringComparer.Ordinal)));

    private static (string Id, long Millis) Split(string version)
    {
        var at = version.LastIndexOf('@');
        return (version[..at], long.Parse(version.AsSpan(at + 1), NumberStyles.Integer, CultureInfo.InvariantCulture));
    }
}
