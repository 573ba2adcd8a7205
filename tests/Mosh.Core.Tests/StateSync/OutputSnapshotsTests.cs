using System.Text;
using Mosh.StateSync;
using static Mosh.StateSync.TransportConstants;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class OutputSnapshotsTests
{
    private FakeClock _clock = null!;
    private RecordingSink _sink = null!;
    private CompleteTerminal _terminal = null!;
    private Transport<CompleteTerminal, UserStream> _transport = null!;
    private OutputSnapshots _snapshots = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeClock();
        _sink = new RecordingSink(_clock);
        _terminal = CompleteTerminal.ForServer(20, 4, history: null);
        _transport = new Transport<CompleteTerminal, UserStream>(_terminal, new UserStream(), new FakeConnection(), _sink,
            _clock, new Random(5));
        _snapshots = new OutputSnapshots();
    }

    private void Output(string text)
    {
        _terminal.Write(Encoding.ASCII.GetBytes(text));
        _snapshots.OutputWritten(_transport, _terminal);
    }

    /// <summary>The server loop's order: wait, snapshot if about to send, tick.</summary>
    private void Loop()
    {
        _ = _transport.WaitTime();
        _snapshots.BeforeTick(_transport, _terminal);
        _transport.Tick();
    }

    private string TransportScreenRow0 => _transport.CurrentState.Framebuffer.GetRow(0).ToString().TrimEnd();

    [Test]
    public void The_first_output_after_a_quiet_spell_reaches_the_transport_at_once()
    {
        Output("a");

        Assert.That(_snapshots.Pending, Is.False);
        Assert.That(TransportScreenRow0, Is.EqualTo("a"));
    }

    [Test]
    public void Output_while_a_frame_waits_is_snapshotted_only_right_before_the_send_which_carries_all_of_it()
    {
        Output("a");
        Loop(); // the first state goes out at once (the transport's initial ack is due)
        Assert.That(_sink.Sent, Has.Count.EqualTo(1));
        Output("b"); // nothing waits: handed over at once, which starts the collection delay
        Output("c");
        Output("d");

        Assert.That(_snapshots.Pending, Is.True);
        Assert.That(TransportScreenRow0, Is.EqualTo("ab"), "no snapshot while the frame waits");

        Loop();
        Assert.That(_sink.Sent, Has.Count.EqualTo(1), "the collection delay has not passed");
        _clock.Advance(SEND_INTERVAL_MAX);
        Loop();

        Assert.That(_sink.Sent, Has.Count.EqualTo(2));
        Assert.That(Encoding.ASCII.GetString(_sink.Last.Diff), Does.Contain("bcd"), "the frame has the newest screen");
        Assert.That(_snapshots.Pending, Is.False);

        Output("e"); // a frame just went out: nothing waits, so this starts the next one's collection delay at once
        Assert.That(TransportScreenRow0, Is.EqualTo("abcde"));
    }
}
