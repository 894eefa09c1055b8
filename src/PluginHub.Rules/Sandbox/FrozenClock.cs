using System.Globalization;
using Jint.Runtime;

namespace PluginHub.Rules.Sandbox;

/// <summary><c>Date.now()</c> and <c>new Date()</c> return the batch's frozen time, like <c>ctx.now</c>, so a rule is deterministic per run.</summary>
internal sealed class FrozenClock : ITimeSystem
{
    private readonly DefaultTimeSystem _utc = new(TimeZoneInfo.Utc, CultureInfo.InvariantCulture);

    public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

    public TimeZoneInfo DefaultTimeZone => TimeZoneInfo.Utc;

    public DateTimeOffset GetUtcNow() => Now;

    public TimeSpan GetUtcOffset(long epochMilliseconds) => TimeSpan.Zero;

    public bool TryParse(string date, out long epochMilliseconds) => _utc.TryParse(date, out epochMilliseconds);
}
