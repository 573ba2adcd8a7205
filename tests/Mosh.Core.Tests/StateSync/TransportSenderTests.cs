using Mosh.StateSync;
using static Mosh.StateSync.TransportConstants;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class TransportSenderTests
{
    private FakeClock _clock = null!;
    private FakeConnection _connection = null!;
    private RecordingSink _sink = null!;
    private TransportSender<UserStream> _sender = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeClock();
        _connection = new FakeConnection { SmoothedRoundTripTime = 100, RetransmissionTimeout = 200 };
        _sink = new RecordingSink(_clock);
        _sender = new TransportSender<UserStream>(new UserStream(), _connection, _sink, _clock, new Random(1));
    }

    /// <summary>Ticks whenever the sender's wait time runs out, up to <paramref name="until"/>.</summary>
    private void RunUntil(long until)
    {
        while (true)
        {
            long next = _clock.Now + Math.Max(_sender.WaitTime(), 0);
            if (next > until)
            {
                _clock.AdvanceTo(until);
                _sender.Tick();
                return;
            }

            _clock.AdvanceTo(next);
            _sender.Tick();
        }
    }

    private static string Keys(byte[] diff)
    {
        var stream = new UserStream();
        Assert.That(stream.TryApply(diff), Is.True);
        var text = new System.Text.StringBuilder();
        foreach (UserEventRun run in stream)
        {
            text.Append(System.Text.Encoding.ASCII.GetString(run.Keys));
        }

        return text.ToString();
    }

    /// <summary>Input arrives; like the event loop, the sender is then asked how long it may sleep.</summary>
    private void Type(string keys)
    {
        _sender.CurrentState.PushKeystrokes(System.Text.Encoding.ASCII.GetBytes(keys));
        _ = _sender.WaitTime();
    }

    /// <summary>Lets the first empty ack (state 1, due at start) go out and be acknowledged, then a second of quiet.</summary>
    private void Start()
    {
        _sender.Tick();
        _sender.ProcessAcknowledgmentThrough(1);
        _clock.Advance(1000);
    }

    [Test]
    public void A_client_upload_goes_out_in_frames_within_the_user_streams_frame_budget_and_the_keystroke_after_it_follows()
    {
        Start();
        byte[] entry = StreamLogTests.DataEntry(1, 1500);
        for (int i = 0; i < 8; i++)
        {
            _sender.CurrentState.PushStreamFrames(entry);
        }

        _sender.CurrentState.PushKeystrokes("x"u8);
        _sender.CurrentState.FrameBudget = 4 * 1024;
        int before = _sink.Sent.Count;
        for (int round = 0; round < 100 && !(_sink.Sent.Count > before && Keys(_sink.Last.Diff).EndsWith('x')); round++)
        {
            _clock.Advance(Math.Max(_sender.WaitTime(), 1));
            _sender.Tick();
            if (_sink.Sent.Count > before && !_sink.Last.IsEmptyAck)
            {
                _sender.ProcessAcknowledgmentThrough(_sink.Last.NewNum); // the server got it
            }
        }

        List<SentInstruction> frames = _sink.Sent.Skip(before).Where(sent => !sent.IsEmptyAck).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(frames, Has.Count.GreaterThanOrEqualTo(4), "12 KiB in frames of at most 4 KiB");
            Assert.That(frames.Max(frame => frame.Diff.Length), Is.LessThanOrEqualTo(4 * 1024 + 64), "each frame within the budget");
            Assert.That(Keys(frames[^1].Diff), Does.EndWith("x"), "the keystroke follows the upload in order");
        });
    }

    [Test]
    public void A_frame_cut_short_after_a_timeout_and_then_behind_the_acknowledged_state_is_forgotten_and_its_number_never_reused()
    {
        Start();
        byte[] entry = StreamLogTests.DataEntry(1, 1500);
        for (int i = 0; i < 4; i++)
        {
            _sender.CurrentState.PushStreamFrames(entry);
        }

        _sender.CurrentState.FrameBudget = 1600; // one entry per frame
        int before = _sink.Sent.Count;
        // Frames 2 to 5 go out unacknowledged, one entry beyond the last each; then the timeout sends a frame from
        // the acknowledged state 1: one entry, behind frames 3 to 5.
        for (int round = 0; round < 100 && !_sink.Sent.Skip(before).Any(sent => sent.OldNum == 1 && sent.NewNum > 2); round++)
        {
            _clock.Advance(Math.Max(_sender.WaitTime(), 1));
            _sender.Tick();
        }

        SentInstruction shortFrame = _sink.Last;
        Assert.That(shortFrame.OldNum, Is.EqualTo(1UL));
        Assert.That(shortFrame.Diff.Length, Is.LessThan(1600), "one entry");

        _sender.ProcessAcknowledgmentThrough(3); // the receiver got frame 3 (two entries): the short frame is behind it
        _clock.Advance(Math.Max(_sender.WaitTime(), 1));
        _sender.Tick();

        Assert.That(_sender.SentStateNumbers(), Does.Not.Contain(shortFrame.NewNum), "the short frame is forgotten");
        List<SentInstruction> after = _sink.Sent.SkipWhile(sent => sent != shortFrame).Skip(1).Where(sent => !sent.IsEmptyAck).ToList();
        Assert.That(after, Is.Not.Empty);
        Assert.That(after.Select(sent => sent.NewNum), Is.All.GreaterThan(shortFrame.NewNum), "the receiver may hold the short frame under its number");
        Assert.That(after[0].OldNum, Is.EqualTo(3UL).Or.EqualTo(4UL));
    }

    [Test]
    public void FirstTick_SendsAnEmptyAckOfState1BuiltOnState0_WithProtocolVersion2()
    {
        _sender.Tick();
        _sender.Tick();

        Assert.That(_sink.Sent, Has.Count.EqualTo(1));
        SentInstruction first = _sink.Last;
        Assert.That(first.ProtocolVersion, Is.EqualTo(2));
        Assert.That((first.OldNum, first.NewNum, first.AckNum, first.ThrowawayNum), Is.EqualTo((0UL, 1UL, 0UL, 0UL)));
        Assert.That(first.Diff, Is.Empty);
        Assert.That(first.Parse().HasDiff, Is.True, "upstream always sets diff, even when empty");
        Assert.That(first.Chaff, Has.Length.LessThanOrEqualTo(CHAFF_MAX));
    }

    [Test]
    public void Chaff_IsZeroTo16RandomBytes()
    {
        for (int i = 0; i < 400; i++)
        {
            _sender.Tick();
            _clock.Advance(ACK_INTERVAL);
        }

        var lengths = _sink.Sent.Select(s => s.Chaff.Length).ToHashSet();
        Assert.That(lengths.Min(), Is.Zero);
        Assert.That(lengths.Max(), Is.EqualTo(CHAFF_MAX));
        Assert.That(lengths, Has.Count.EqualTo(CHAFF_MAX + 1));
        Assert.That(_sink.Sent.Where(s => s.Chaff.Length == CHAFF_MAX).Select(s => Convert.ToHexString(s.Chaff)).Distinct().Count(),
            Is.GreaterThan(1));
    }

    [Test]
    public void ANewState_GoesOutSendMinDelayAfterTheFirstChange_AsTheNextStateNumber()
    {
        Start();
        Type("a");
        Assert.That(_sender.WaitTime(), Is.EqualTo(SEND_MINDELAY));
        _sender.Tick();
        _clock.Advance(SEND_MINDELAY - 1);
        Type("b");
        _sender.Tick();
        Assert.That(_sink.Sent, Has.Count.EqualTo(1));

        _clock.Advance(1);
        _sender.Tick();

        Assert.That(_sink.Sent, Has.Count.EqualTo(2));
        Assert.That((_sink.Last.OldNum, _sink.Last.NewNum), Is.EqualTo((1UL, 2UL)));
        Assert.That(Keys(_sink.Last.Diff), Is.EqualTo("ab"));
    }

    [Test]
    public void TheClientsOneMillisecondMinDelay_IsHonoured()
    {
        _sender.SendMinDelay = CLIENT_SEND_MINDELAY;
        Start();
        Type("a");

        Assert.That(_sender.WaitTime(), Is.EqualTo(1));
    }

    [Test]
    public void ChangesGoOutAtMostOncePerSendInterval()
    {
        _connection.SmoothedRoundTripTime = 200; // interval 100 ms
        Start();
        Type("a");
        _clock.Advance(SEND_MINDELAY);
        _sender.Tick();
        long firstSend = _clock.Now;
        _clock.Advance(2);
        Type("b");

        Assert.That(_sender.WaitTime(), Is.EqualTo(firstSend + 100 - _clock.Now));
        RunUntil(firstSend + 99);
        Assert.That(_sink.Sent, Has.Count.EqualTo(2));
        RunUntil(firstSend + 100);
        Assert.That(_sink.Sent, Has.Count.EqualTo(3));
        Assert.That(_sink.Last.NewNum, Is.EqualTo(3UL));
    }

    [Test]
    public void AnEmptyAck_DoesNotHoldBackTheNextChange_ForAFrameInterval()
    {
        _connection.SmoothedRoundTripTime = 200; // interval 100 ms
        Start();
        _sender.SetAckNum(7);
        _sender.SetDataAck();
        RunUntil(_clock.Now + ACK_DELAY);
        Assert.That(_sink.Last.IsEmptyAck, Is.True);
        _clock.Advance(2);
        Type("a");

        Assert.That(_sender.WaitTime(), Is.EqualTo(SEND_MINDELAY));
        _clock.Advance(SEND_MINDELAY);
        _sender.Tick();
        Assert.That(Keys(_sink.Last.Diff), Is.EqualTo("a"));
    }

    [TestCase(0.0, 20)]
    [TestCase(10.0, 20)]
    [TestCase(40.0, 20)]
    [TestCase(41.0, 21)]
    [TestCase(100.0, 50)]
    [TestCase(100.2, 51)]
    [TestCase(499.0, 250)]
    [TestCase(1000.0, 250)]
    public void SendInterval_IsHalfTheSrttRoundedUp_ClampedTo20And250(double srtt, int expected)
    {
        _connection.SmoothedRoundTripTime = srtt;

        Assert.That(_sender.SendInterval, Is.EqualTo(expected));
    }

    [Test]
    public void AnUnacknowledgedState_IsResentAfterRtoPlusAckDelay_FromTheAcknowledgedState_WithTheSameNumber()
    {
        Start();
        _sender.RemoteHeard(_clock.Now);
        Type("a");
        _clock.Advance(SEND_MINDELAY);
        _sender.Tick();
        long sentAt = _clock.Now;
        Assert.That(_sink.Last.NewNum, Is.EqualTo(2UL));

        Assert.That(_sender.WaitTime(), Is.EqualTo(_connection.RetransmissionTimeout + ACK_DELAY));
        RunUntil(sentAt + 299);
        Assert.That(_sink.Sent, Has.Count.EqualTo(2));
        RunUntil(sentAt + 300);

        Assert.That(_sink.Sent, Has.Count.EqualTo(3));
        Assert.That((_sink.Last.OldNum, _sink.Last.NewNum), Is.EqualTo((1UL, 2UL)));
        Assert.That(Keys(_sink.Last.Diff), Is.EqualTo("a"));
        Assert.That(_sender.SentStateNumbers(), Is.EqualTo(new ulong[] { 1, 2 }), "a resend reuses the state");
    }

    [Test]
    public void TheReceiverIsAssumedToHoldTheNewestStateSentWithinRtoPlusAckDelay_ElseTheAcknowledgedOne()
    {
        Start();
        _sender.RemoteHeard(_clock.Now);
        Type("a");
        RunUntil(_clock.Now + SEND_MINDELAY);
        long sentAt = _sink.Last.Time;

        _clock.AdvanceTo(sentAt + _connection.RetransmissionTimeout + ACK_DELAY - 1);
        _ = _sender.WaitTime();
        Assert.That(_sender.AssumedReceiverStateNum, Is.EqualTo(2UL));

        _clock.Advance(1);
        _ = _sender.WaitTime();
        Assert.That(_sender.AssumedReceiverStateNum, Is.EqualTo(1UL));
    }

    [Test]
    public void AStateUnacknowledgedPastRtoPlusAckDelay_CountsOneTimeout_AndAnAcknowledgedOneNone()
    {
        Start();
        _sender.RemoteHeard(_clock.Now);
        Type("a");
        RunUntil(_clock.Now + SEND_MINDELAY);
        long sentAt = _sink.Last.Time;
        _sender.ProcessAcknowledgmentThrough(_sink.Last.NewNum);
        _clock.AdvanceTo(sentAt + _connection.RetransmissionTimeout + ACK_DELAY);
        _ = _sender.WaitTime();
        Assert.That(_sender.Timeouts, Is.Zero, "acknowledged in time");
        Assert.That(_sender.AcknowledgedStateNum, Is.EqualTo(2UL));

        Type("b");
        RunUntil(_clock.Now + SEND_MINDELAY);
        sentAt = _sink.Last.Time;
        _clock.AdvanceTo(sentAt + _connection.RetransmissionTimeout + ACK_DELAY - 1);
        _ = _sender.WaitTime();
        Assert.That(_sender.Timeouts, Is.Zero);
        _clock.Advance(1);
        _ = _sender.WaitTime();
        _ = _sender.WaitTime();
        Assert.That(_sender.Timeouts, Is.EqualTo(1), "the receiver was assumed to hold state 3; it fell back to 2, once");
    }

    [Test]
    public void WithoutHearingFromThePeerFor10Seconds_ResendsWaitForTheAckInterval()
    {
        Start();
        _sender.RemoteHeard(_clock.Now - ACTIVE_RETRY_TIMEOUT);
        Type("a");
        _clock.Advance(SEND_MINDELAY);
        _sender.Tick();
        long sentAt = _clock.Now;

        RunUntil(sentAt + ACK_INTERVAL - 1);
        Assert.That(_sink.Sent, Has.Count.EqualTo(2));
        RunUntil(sentAt + ACK_INTERVAL);
        Assert.That(_sink.Sent, Has.Count.EqualTo(3));
        Assert.That(Keys(_sink.Last.Diff), Is.EqualTo("a"));
    }

    [Test]
    public void AnAcknowledgment_DropsOlderStates_AndBecomesTheThrowawayNumber()
    {
        Start();
        _sender.RemoteHeard(_clock.Now);
        for (int i = 0; i < 5; i++)
        {
            Type("x");
            _clock.Advance(100);
            _sender.Tick();
        }

        Assert.That(_sender.SentStateNumbers(), Is.EqualTo(new ulong[] { 1, 2, 3, 4, 5, 6 }));

        _sender.ProcessAcknowledgmentThrough(4);
        Assert.That(_sender.SentStateNumbers(), Is.EqualTo(new ulong[] { 4, 5, 6 }));
        Assert.That(_sender.SentStateAcked, Is.EqualTo(4UL));

        _sender.ProcessAcknowledgmentThrough(99);
        _sender.ProcessAcknowledgmentThrough(2);
        Assert.That(_sender.SentStateNumbers(), Is.EqualTo(new ulong[] { 4, 5, 6 }), "unknown or culled numbers are ignored");

        Type("y");
        _clock.Advance(100);
        _sender.Tick();
        Assert.That(_sink.Last.ThrowawayNum, Is.EqualTo(4UL));
        Assert.That(_sender.CurrentState.Count, Is.EqualTo(3), "acknowledged input is cut from the current state");
    }

    [Test]
    public void TheSentQueue_IsCappedAt32_ByErasingTheState16FromTheEnd()
    {
        Start();
        _sender.RemoteHeard(_clock.Now);
        var held = new List<ulong> { 1 };
        for (int i = 0; i < 40; i++)
        {
            Type("x");
            _clock.Advance(100);
            _sender.Tick();
            held.Add(_sink.Last.NewNum);
            if (held.Count > SENT_STATES_LIMIT)
            {
                held.RemoveAt(held.Count - SENT_STATES_CULL_FROM_END);
            }

            Assert.That(_sender.SentStateNumbers(), Is.EqualTo(held));
        }

        Assert.That(_sender.SentStateCount, Is.EqualTo(SENT_STATES_LIMIT));
        Assert.That(_sender.SentStateAcked, Is.EqualTo(1UL));
        Assert.That(_sender.SentStateLast, Is.EqualTo(41UL));
    }

    [Test]
    public void ReceivedData_IsAcknowledgedWithin100ms()
    {
        Start();
        _sender.SetAckNum(7);
        _sender.SetDataAck();

        Assert.That(_sender.WaitTime(), Is.EqualTo(ACK_DELAY));
        _clock.Advance(ACK_DELAY - 1);
        _sender.Tick();
        Assert.That(_sink.Sent, Has.Count.EqualTo(1));
        _clock.Advance(1);
        _sender.Tick();

        Assert.That(_sink.Sent, Has.Count.EqualTo(2));
        Assert.That(_sink.Last.AckNum, Is.EqualTo(7UL));
        Assert.That(_sink.Last.IsEmptyAck, Is.True);
    }

    [Test]
    public void A_new_ack_goes_ahead_of_a_bulk_frame_of_several_datagrams_in_a_one_datagram_instruction_that_changes_no_state()
    {
        _connection.RetransmissionTimeout = 1000; // each frame stays "assumed received": the next one builds on it
        Start();
        var receiver = new TransportReceiver<UserStream>(new UserStream(), _clock);
        Assert.That(receiver.Receive(_sink.Sent[0].Parse()), Is.EqualTo(ReceiveOutcome.Accepted), "state 1, acknowledged");
        _sender.RemoteHeard(_clock.Now);

        List<SentInstruction> SendBulk(int bytes)
        {
            int before = _sink.Sent.Count;
            _sender.CurrentState.PushStreamFrames(StreamLogTests.DataEntry(1, bytes));
            RunUntil(_clock.Now + 100); // a frame interval (50 ms) and the collection delay
            return _sink.Sent.Skip(before).ToList();
        }

        _sender.SetAckNum(7); // the peer's newest state brought data, e.g. its own upload
        _sender.SetDataAck();
        List<SentInstruction> first = SendBulk(4096);
        List<SentInstruction> second = SendBulk(4096); // nothing from the peer since
        _sender.SetAckNum(8); // the peer's empty ack: nothing it waits to have acknowledged
        List<SentInstruction> afterEmpty = SendBulk(4096);
        _sender.SetAckNum(9);
        _sender.SetDataAck();
        List<SentInstruction> small = SendBulk(100); // one datagram: the ack is as safe in it
        _sender.SetAckNum(10);
        _sender.SetDataAck();
        List<SentInstruction> third = SendBulk(4096);
        Assert.Multiple(() =>
        {
            Assert.That(first, Has.Count.EqualTo(2));
            Assert.That((first[0].OldNum, first[0].NewNum, first[0].AckNum, first[0].IsEmptyAck), Is.EqualTo((1UL, 1UL, 7UL, true)),
                "the ack alone, naming the acknowledged state as old and new");
            Assert.That((first[1].OldNum, first[1].NewNum, first[1].AckNum), Is.EqualTo((1UL, 2UL, 7UL)), "then the frame, as without it");
            Assert.That(receiver.Receive(first[0].Parse()), Is.EqualTo(ReceiveOutcome.Duplicate), "the receiver holds it: no new state");
            Assert.That(receiver.Receive(first[1].Parse()), Is.EqualTo(ReceiveOutcome.Accepted));
            Assert.That(second.Select(sent => (sent.OldNum, sent.NewNum)), Is.EqualTo(new[] { (2UL, 3UL) }), "no news: the frame alone");
            Assert.That(afterEmpty.Select(sent => (sent.OldNum, sent.NewNum)), Is.EqualTo(new[] { (3UL, 4UL) }), "an empty ack needs no ack");
            Assert.That(small.Select(sent => (sent.OldNum, sent.NewNum)), Is.EqualTo(new[] { (4UL, 5UL) }), "a one-datagram frame alone");
            Assert.That(third.Select(sent => (sent.OldNum, sent.NewNum, sent.AckNum)), Is.EqualTo(new[] { (1UL, 1UL, 10UL), (5UL, 6UL, 10UL) }));
            Assert.That(_sender.SentStateNumbers(), Is.EqualTo(new ulong[] { 1, 2, 3, 4, 5, 6 }), "the acks ahead added no state");
        });
    }

    [Test]
    public void WhenIdle_AnEmptyAckGoesOutEvery3Seconds()
    {
        long start = _clock.Now;
        RunUntil(start + 30_000);

        Assert.That(_sink.Sent.Select(s => s.Time - start), Is.EqualTo(Enumerable.Range(0, 11).Select(i => i * 3000L)));
        Assert.That(_sink.Sent.Select(s => s.NewNum), Is.EqualTo(Enumerable.Range(1, 11).Select(i => (ulong)i)));
        Assert.That(_sink.Sent.All(s => s.IsEmptyAck));
    }

    [Test]
    public void ADiffFromTheAcknowledgedState_IsPreferredWhenAtMost100BytesLongerAndSmall()
    {
        _connection.RetransmissionTimeout = 1000; // state 2 stays "assumed received"
        Start();
        _sender.RemoteHeard(_clock.Now);
        Type("a");
        RunUntil(_clock.Now + 100);
        Assert.That(_sink.Last.NewNum, Is.EqualTo(2UL));

        Type("b");
        RunUntil(_clock.Now + 100);

        Assert.That((_sink.Last.OldNum, _sink.Last.NewNum), Is.EqualTo((1UL, 3UL)));
        Assert.That(Keys(_sink.Last.Diff), Is.EqualTo("ab"));
    }

    [Test]
    public void ADiffFromTheAssumedState_IsKeptWhenTheOneFromTheAcknowledgedStateIsLarge()
    {
        _connection.RetransmissionTimeout = 1000;
        Start();
        _sender.RemoteHeard(_clock.Now);
        Type(new string('p', 2000));
        RunUntil(_clock.Now + 100);
        Assert.That(_sink.Last.NewNum, Is.EqualTo(2UL));

        Type("b");
        RunUntil(_clock.Now + 100);

        Assert.That((_sink.Last.OldNum, _sink.Last.NewNum), Is.EqualTo((2UL, 3UL)));
        Assert.That(Keys(_sink.Last.Diff), Is.EqualTo("b"));
    }

    [Test]
    public void DuringShutdown_EveryInstructionCarriesTheShutdownNumber_AtFrameRate_AndGivesUpAfter16()
    {
        Start();
        _sender.StartShutdown();
        Assert.That(() => _sender.CurrentState, Throws.InvalidOperationException);
        Assert.That(() => _sender.SetCurrentState(new UserStream()), Throws.InvalidOperationException);

        for (int i = 1; i <= SHUTDOWN_RETRIES; i++)
        {
            Assert.That(_sender.ShutdownAckTimedOut, Is.False);
            Assert.That(_sender.WaitTime(), Is.EqualTo(i == 1 ? 0 : _sender.SendInterval));
            _clock.Advance(_sender.WaitTime());
            _sender.Tick();
            Assert.That(_sink.Sent, Has.Count.EqualTo(1 + i));
            Assert.That(_sink.Last.NewNum, Is.EqualTo(SHUTDOWN_STATE_NUM));
        }

        Assert.That(_sender.ShutdownAckTimedOut, Is.True);
        Assert.That(_sender.ShutdownAcknowledged, Is.False);
    }

    [Test]
    public void Shutdown_TimesOutAfter10Seconds_EvenWithoutSending()
    {
        Start();
        _connection.HasRemoteAddress = false;
        _sender.StartShutdown();

        RunUntil(_clock.Now + ACTIVE_RETRY_TIMEOUT - 1);
        Assert.That(_sender.ShutdownAckTimedOut, Is.False);
        _clock.Advance(1);
        Assert.That(_sender.ShutdownAckTimedOut, Is.True);
        Assert.That(_sink.Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public void Shutdown_IsAcknowledgedWhenThePeerAcksTheShutdownState()
    {
        Start();
        _sender.StartShutdown();
        _sender.Tick();
        Assert.That(_sender.ShutdownAcknowledged, Is.False);

        _sender.ProcessAcknowledgmentThrough(SHUTDOWN_STATE_NUM);

        Assert.That(_sender.ShutdownAcknowledged, Is.True);
    }

    [Test]
    public void APeersShutdown_IsAcknowledgedAtFrameRate_AndThenReportedAsAcknowledged()
    {
        Start();
        _sender.SetAckNum(SHUTDOWN_STATE_NUM);
        Assert.That(_sender.CounterpartyShutdownAckSent, Is.False);

        Assert.That(_sender.WaitTime(), Is.Zero, "the ack is due a send interval after the last send");
        _sender.Tick();

        Assert.That(_sink.Last.AckNum, Is.EqualTo(SHUTDOWN_STATE_NUM));
        Assert.That(_sender.CounterpartyShutdownAckSent, Is.True);
    }

    [Test]
    public void WithoutARemoteAddress_NothingIsSentAndTheWaitIsUnbounded()
    {
        _connection.HasRemoteAddress = false;
        Type("a");
        _clock.Advance(1000);
        _sender.Tick();

        Assert.That(_sender.WaitTime(), Is.EqualTo(int.MaxValue));
        Assert.That(_sink.Sent, Is.Empty);

        _connection.HasRemoteAddress = true;
        _sender.Tick();
        Assert.That(Keys(_sink.Last.Diff), Is.EqualTo("a"));
    }
}
