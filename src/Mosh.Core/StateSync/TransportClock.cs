namespace Mosh.StateSync;

/// <summary>
/// The transport's notion of time: milliseconds of a <see cref="TimeProvider"/>'s monotonic timestamp (upstream's
/// <c>timestamp()</c>). Every timestamp the transport reports, e.g. to
/// <see cref="ITransportConnection.ReportRoundTripSuccess"/>, is on this scale.
/// </summary>
internal static class TransportClock
{
    public static long GetMilliseconds(this TimeProvider clock)
    {
        long ticks = clock.GetTimestamp();
        long frequency = clock.TimestampFrequency;
        return (ticks / frequency * 1000) + (ticks % frequency * 1000 / frequency);
    }
}
