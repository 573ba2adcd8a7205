using Mosh.Network;

namespace Mosh.Tests.StateSync;

/// <summary>A monotonic millisecond clock that only moves when a test moves it.</summary>
internal sealed class FakeClock(long startMilliseconds = 1_000_000) : IClock
{
    public long Now { get; private set; } = startMilliseconds;

    public long NowMilliseconds => Now;

    public void Advance(long milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        Now += milliseconds;
    }

    public void AdvanceTo(long milliseconds) => Advance(milliseconds - Now);
}
