using Mosh.Protobufs;
using Mosh.StateSync;
using Mosh.Tests.Network;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class TransportTraceTests
{
    private readonly List<string> _lines = [];

    [SetUp]
    public void Clear() => _lines.Clear();

    private TransportTrace NewTrace(long now = 1_234_567, int sendInterval = 125) =>
        new(_lines.Add, new ManualClock(now), () => sendInterval);

    [Test]
    public void A_sent_fragment_is_traced_in_upstreams_words_with_the_time_modulo_100000()
    {
        var instruction = new TransportInstruction { ProtocolVersion = 2, OldNum = 3, NewNum = 5, AckNum = 7, ThrowawayNum = 2 };
        NewTrace().Sent(instruction, fragmentId: 41, fragmentNumber: 0, contentLength: 87, timeoutMs: 1000, srtt: 12.345);
        Assert.That(_lines, Is.EqualTo(new[]
        {
            "[34567] Sent [3=>5] id 41, frag 0 ack=7, throwaway=2, len=87, frame rate=8.00, timeout=1000, srtt=12.3",
        }));
    }

    [Test]
    public void The_shutdown_state_number_prints_as_minus_one_as_through_upstreams_int_cast()
    {
        var instruction = new TransportInstruction { OldNum = 9, NewNum = ulong.MaxValue, AckNum = 4, ThrowawayNum = 9 };
        NewTrace(now: 100, sendInterval: 20).Sent(instruction, 2, 1, 0, 50, 0);
        Assert.That(_lines.Single(), Is.EqualTo("[100] Sent [9=>-1] id 2, frag 1 ack=4, throwaway=9, len=0, frame rate=50.00, timeout=50, srtt=0.0"));
    }

    [Test]
    public void New_out_of_order_and_refused_states_are_traced_and_other_outcomes_are_not()
    {
        var instruction = new TransportInstruction { OldNum = 1, NewNum = 2, AckNum = 6 };
        TransportTrace trace = NewTrace(now: 200_042);
        trace.Received(instruction, ReceiveOutcome.Accepted);
        trace.Received(instruction, ReceiveOutcome.AcceptedOutOfOrder);
        trace.Received(instruction, ReceiveOutcome.Quenched);
        trace.Received(instruction, ReceiveOutcome.Duplicate);
        trace.Received(instruction, ReceiveOutcome.UnknownReference);
        Assert.That(_lines, Is.EqualTo(new[]
        {
            "[42] Received state 2 [coming from 1, ack 6]",
            "[42] Received OUT-OF-ORDER state 2 [ack 6]",
            "[42] Receiver queue full, discarding 2 (malicious sender or long-unidirectional connectivity?)",
        }));
    }
}
