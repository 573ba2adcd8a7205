using System.Diagnostics;

namespace Mosh.Network;

/// <summary>A monotonic millisecond clock (upstream's <c>timestamp()</c>); injectable so timing logic tests are deterministic.</summary>
internal interface IClock
{
    long NowMilliseconds { get; }
}

/// <summary>The process's monotonic clock.</summary>
internal sealed class MonotonicClock : IClock
{
    public static readonly MonotonicClock Instance = new();

    private MonotonicClock()
    {
    }

    public long NowMilliseconds => Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1000);
}
