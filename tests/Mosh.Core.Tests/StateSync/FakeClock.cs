namespace Mosh.Tests.StateSync;

/// <summary>A monotonic clock in whole milliseconds that only moves when a test moves it.</summary>
internal sealed class FakeClock : TimeProvider
{
    public FakeClock(long startMilliseconds = 1_000_000) => Now = startMilliseconds;

    public long Now { get; private set; }

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Now;

    public void Advance(long milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        Now += milliseconds;
    }

    public void AdvanceTo(long milliseconds) => Advance(milliseconds - Now);
}
