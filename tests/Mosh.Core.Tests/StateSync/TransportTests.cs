using System.Buffers;
using Mosh.Network;
using Mosh.Protobufs;
using Mosh.StateSync;
using static Mosh.StateSync.TransportConstants;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class TransportTests
{
    private FakeClock _clock = null!;
    private FakeConnection _connection = null!;
    private RecordingSink _sink = null!;
    private Transport<UserStream, UserStream> _transport = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeClock();
        _connection = new FakeConnection();
        _sink = new RecordingSink(_clock);
        _transport = new Transport<UserStream, UserStream>(new UserStream(), new UserStream(), _connection, _sink, _clock, new Random(3));
    }

    private static byte[] KeysDiff(string keys)
    {
        var stream = new UserStream();
        stream.PushKeystrokes(System.Text.Encoding.ASCII.GetBytes(keys));
        var output = new ArrayBufferWriter<byte>();
        stream.InitDiff(output);
        return output.WrittenSpan.ToArray();
    }

    private ReceiveOutcome Receive(ulong oldNum, ulong newNum, ulong ackNum, byte[] diff, uint version = NetworkConstants.MOSH_PROTOCOL_VERSION)
    {
        var instruction = new TransportInstruction
        {
            ProtocolVersion = version,
            OldNum = oldNum,
            NewNum = newNum,
            AckNum = ackNum,
            ThrowawayNum = 0,
            Diff = diff,
        };
        return _transport.Receive(in instruction);
    }

    [TestCase(0u)]
    [TestCase(1u)]
    [TestCase(3u)]
    public void AnotherProtocolVersion_IsRejectedAndChangesNothing(uint version)
    {
        _transport.Tick(); // state 1 sent

        Assert.That(Receive(0, 1, 1, KeysDiff("a"), version), Is.EqualTo(ReceiveOutcome.ProtocolVersionMismatch));

        Assert.That(_transport.RemoteStateNum, Is.Zero);
        Assert.That(_transport.SentStateAcked, Is.Zero);
        Assert.That(_connection.LastRoundTripSuccess, Is.Null);
    }

    [Test]
    public void AnInstructionsAck_TrimsOurQueue_AndReportsTheRoundTripOfTheAckedState()
    {
        _transport.Tick();
        long sentAt = _clock.Now;
        _clock.Advance(70);

        Assert.That(Receive(0, 1, 1, []), Is.EqualTo(ReceiveOutcome.Accepted));

        Assert.That(_transport.SentStateAcked, Is.EqualTo(1UL));
        Assert.That(_transport.Sender.SentStateCount, Is.EqualTo(1));
        Assert.That(_connection.LastRoundTripSuccess, Is.EqualTo(sentAt));
    }

    [Test]
    public void ANewRemoteStateWithData_IsAckedWithin100ms_ButAnEmptyOneWaitsForTheKeepAlive()
    {
        _transport.Tick();
        _clock.Advance(1000);

        Assert.That(Receive(0, 1, 0, []), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(_transport.WaitTime(), Is.EqualTo(ACK_INTERVAL - 1000));

        Assert.That(Receive(1, 2, 0, KeysDiff("hi")), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(_transport.WaitTime(), Is.EqualTo(ACK_DELAY));
        _clock.Advance(ACK_DELAY);
        _transport.Tick();

        Assert.That(_sink.Last.AckNum, Is.EqualTo(2UL));
    }

    [Test]
    public void AStateWeHoldSentAgainWithData_IsAcknowledgedAgainWithinAckDelay_AnEmptyDuplicateIsNot()
    {
        // The peer repeats a state when our acknowledgement of it was lost; waiting for the 3 s keep-alive would
        // make a sender of cut frames repeat its frame all that time.
        _transport.Tick();
        Receive(0, 1, 0, KeysDiff("hi"));
        Assert.That(_transport.WaitTime(), Is.EqualTo(ACK_DELAY));
        _clock.Advance(ACK_DELAY);
        _transport.Tick();
        int sent = _sink.Sent.Count;
        Assert.That(_sink.Last.AckNum, Is.EqualTo(1UL));
        _clock.Advance(500);

        Assert.That(Receive(1, 1, 0, []), Is.EqualTo(ReceiveOutcome.Duplicate));
        Assert.That(_transport.WaitTime(), Is.GreaterThan(ACK_DELAY), "an empty duplicate asks for nothing");
        Assert.That(Receive(0, 1, 0, KeysDiff("hi")), Is.EqualTo(ReceiveOutcome.Duplicate));
        Assert.That(_transport.WaitTime(), Is.EqualTo(ACK_DELAY));
        _clock.Advance(ACK_DELAY);
        _transport.Tick();

        Assert.That(_sink.Sent, Has.Count.EqualTo(sent + 1));
        Assert.That(_sink.Last.AckNum, Is.EqualTo(1UL));
    }

    [Test]
    public void ALateOlderState_DoesNotMoveTheAckBackwards()
    {
        Receive(0, 2, 0, KeysDiff("ab"));
        Assert.That(Receive(0, 1, 0, KeysDiff("a")), Is.EqualTo(ReceiveOutcome.AcceptedOutOfOrder));
        _clock.Advance(ACK_DELAY);
        _transport.Tick();

        Assert.That(_sink.Last.AckNum, Is.EqualTo(2UL));
    }

    [Test]
    public void APeersShutdownState_IsAcknowledgedWithTheShutdownNumber()
    {
        _transport.Tick();
        _clock.Advance(500);

        Assert.That(Receive(0, SHUTDOWN_STATE_NUM, 1, []), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(_transport.CounterpartyShutdownAckSent, Is.False);
        _transport.Tick();

        Assert.That(_sink.Last.AckNum, Is.EqualTo(SHUTDOWN_STATE_NUM));
        Assert.That(_transport.CounterpartyShutdownAckSent, Is.True);
    }
}
