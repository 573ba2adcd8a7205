using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>
/// Typing keeps priority over forwarded streams: while frames carry stream data at the frame rate, an expedited
/// change (the echo of typed keys) goes out after its collection delay in a frame of its own without stream data,
/// instead of waiting for the next frame-rate slot; the stream data follows at the frame rate. Without stream data
/// in flight the frame rate applies as before.
/// </summary>
[TestFixture]
public class TransportSenderExpediteTests
{
    private FakeClock _clock = null!;
    private RecordingSink _sink = null!;
    private StreamLog _log = null!;
    private CompleteTerminal _terminal = null!;
    private TransportSender<CompleteTerminal> _sender = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeClock();
        // 100 ms SRTT: one frame per 50 ms.
        var connection = new FakeConnection { SmoothedRoundTripTime = 100, RetransmissionTimeout = 200 };
        _sink = new RecordingSink(_clock);
        _log = new StreamLog();
        _terminal = CompleteTerminal.ForServer(80, 24, null, _log);
        _terminal.AnswerHello(WireCapabilities.Streams, WireCapabilities.Streams);
        _sender = new TransportSender<CompleteTerminal>(_terminal.Clone(), connection, _sink, _clock, new Random(1));
        _sender.Tick(); // the first empty ack
        _sender.ProcessAcknowledgmentThrough(1);
        _clock.Advance(1000);
    }

    private static int StreamInstructions(byte[] diff) =>
        SyncDiffs.HostExtensionFields(diff).Count(field => field == ExtensionFields.StreamFrames);

    /// <summary>A bulk frame goes out: far more stream data is waiting than one frame carries.</summary>
    private void SendBulkFrame()
    {
        for (int i = 0; i < 20; i++)
        {
            _log.Append(StreamLogTests.DataEntry(1, 16 * 1024));
        }

        _sender.SetCurrentState(_terminal);
        _clock.Advance(Math.Max(0, _sender.WaitTime()));
        int before = _sink.Sent.Count;
        _sender.Tick();
        Assert.That(_sink.Sent, Has.Count.EqualTo(before + 1));
        Assert.That(StreamInstructions(_sink.Last.Diff), Is.GreaterThan(0), "the first frame carries stream data");
    }

    /// <summary>The application echoes a typed key 5 ms after the last frame.</summary>
    private void Echo(bool expedite)
    {
        _clock.Advance(5);
        _terminal.Write("x"u8);
        _sender.SendMinDelay = EchoSendTiming.EchoSendMinDelay;
        _sender.SetCurrentState(_terminal);
        if (expedite)
        {
            _sender.Expedite();
        }
    }

    [Test]
    public void An_expedited_echo_goes_out_at_once_without_stream_data_while_stream_frames_keep_the_frame_rate_busy()
    {
        SendBulkFrame();
        long bulkSentAt = _clock.Now;
        Echo(expedite: true);

        Assert.That(_sender.WaitTime(), Is.Zero, "the echo waits for the frame-rate slot");
        _sender.Tick();
        SentInstruction echo = _sink.Last;
        Assert.Multiple(() =>
        {
            Assert.That(echo.Time, Is.EqualTo(bulkSentAt + 5));
            Assert.That(echo.Diff, Is.Not.Empty);
            Assert.That(StreamInstructions(echo.Diff), Is.Zero, "the echo's frame carries stream data");
        });

        // The stream data follows at the frame rate, counted from the echo's frame.
        int wait = _sender.WaitTime();
        Assert.That(wait, Is.EqualTo(_sender.SendInterval));
        _clock.Advance(wait);
        _sender.Tick();
        Assert.That(StreamInstructions(_sink.Last.Diff), Is.GreaterThan(0));
    }

    [Test]
    public void An_echo_not_expedited_waits_for_the_frame_rate_behind_stream_frames()
    {
        SendBulkFrame();
        Echo(expedite: false);
        Assert.That(_sender.WaitTime(), Is.EqualTo(_sender.SendInterval - 5));
    }

    [Test]
    public void Without_stream_data_in_flight_an_expedited_change_keeps_the_frame_rate()
    {
        _terminal.Write("screen output"u8);
        _sender.SetCurrentState(_terminal);
        _clock.Advance(Math.Max(0, _sender.WaitTime()));
        _sender.Tick();
        Assert.That(StreamInstructions(_sink.Last.Diff), Is.Zero);

        Echo(expedite: true);
        Assert.That(_sender.WaitTime(), Is.EqualTo(_sender.SendInterval - 5));
    }
}
