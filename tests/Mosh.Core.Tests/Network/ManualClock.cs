using Mosh.Network;

namespace Mosh.Tests.Network;

internal sealed class ManualClock(long start = 1_000_000) : IClock
{
    public long NowMilliseconds { get; set; } = start;

    public void Advance(long milliseconds) => NowMilliseconds += milliseconds;
}
