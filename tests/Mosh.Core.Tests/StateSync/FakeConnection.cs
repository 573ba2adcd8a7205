using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>RTT figures set by the test, and a record of what the transport reported back.</summary>
internal sealed class FakeConnection : ITransportConnection
{
    public double SmoothedRoundTripTime { get; set; } = 100;

    public int RetransmissionTimeout { get; set; } = 200;

    public bool HasRemoteAddress { get; set; } = true;

    public long? LastRoundTripSuccess { get; private set; }

    public void ReportRoundTripSuccess(long timestamp) => LastRoundTripSuccess = timestamp;
}
