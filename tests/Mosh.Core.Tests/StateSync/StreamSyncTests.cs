using System.Buffers;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>The server's stream log as part of the synchronised terminal state (field 43).</summary>
[TestFixture]
public class StreamSyncTests
{
    private static byte[] Diff(CompleteTerminal current, CompleteTerminal existing) => SyncDiffs.Diff(current, existing);

    private static int StreamInstructions(byte[] diff) =>
        SyncDiffs.HostExtensionFields(diff).Count(field => field == ExtensionFields.StreamFrames);

    [Test]
    public void Stream_frames_reach_the_client_inbox_through_the_state_diff()
    {
        var log = new StreamLog();
        CompleteTerminal server = CompleteTerminal.ForServer(80, 24, null, log);
        server.AnswerHello(WireCapabilities.Streams, WireCapabilities.Streams);
        CompleteTerminal sent = server.Clone();
        byte[] entry = StreamLogTests.DataEntry(1, 100);
        log.Append(entry);
        CompleteTerminal current = server.Clone();

        var inbox = new StreamInbox();
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, new HistoryInbox(), inbox);
        Assert.That(client.TryApply(Diff(sent, CompleteTerminal.ForClient(80, 24, new HistoryInbox()))), Is.True);
        Assert.That(client.TryApply(Diff(current, sent)), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(inbox.Pending.ToArray(), Is.EqualTo(entry));
            Assert.That(client.StreamEnd, Is.EqualTo(current.StreamEnd));
            Assert.That(current.Equals(sent), Is.False, "new stream data makes the state differ");
        });
    }

    [Test]
    public void Without_the_streams_capability_no_stream_field_is_sent()
    {
        var log = new StreamLog();
        CompleteTerminal server = CompleteTerminal.ForServer(80, 24, null, log);
        server.AnswerHello(WireCapabilities.History, WireCapabilities.History | WireCapabilities.Streams);
        CompleteTerminal before = server.Clone();
        log.Append(StreamLogTests.DataEntry(1, 100));
        Assert.That(StreamInstructions(Diff(server.Clone(), before)), Is.Zero);
        Assert.That(server.Clone().Equals(before), Is.True);
    }

    [Test]
    public void A_frame_carries_at_most_the_stream_budget_and_the_rest_follows()
    {
        var log = new StreamLog();
        CompleteTerminal server = CompleteTerminal.ForServer(80, 24, null, log);
        server.AnswerHello(WireCapabilities.Streams, WireCapabilities.Streams);
        CompleteTerminal receiver = server.Clone();
        for (int i = 0; i < 20; i++)
        {
            log.Append(StreamLogTests.DataEntry(1, 16 * 1024));
        }

        CompleteTerminal current = server.Clone();
        CompleteTerminal frame = current.FrameFor(receiver);
        Assert.That(frame.StreamEnd - receiver.StreamEnd, Is.InRange(1UL, (ulong)CompleteTerminal.StreamFrameBudget));
        CompleteTerminal next = current.FrameFor(frame);
        Assert.That(next.StreamEnd, Is.GreaterThan(frame.StreamEnd));
    }

    [Test]
    public void A_smaller_frame_budget_on_the_log_cuts_frames_smaller_but_always_takes_one_entry()
    {
        var log = new StreamLog { FrameBudget = 4 * 1024 };
        CompleteTerminal server = CompleteTerminal.ForServer(80, 24, null, log);
        server.AnswerHello(WireCapabilities.Streams, WireCapabilities.Streams);
        CompleteTerminal receiver = server.Clone();
        for (int i = 0; i < 8; i++)
        {
            log.Append(StreamLogTests.DataEntry(1, 1500));
        }

        CompleteTerminal current = server.Clone();
        Assert.That(current.FrameFor(receiver).StreamEnd - receiver.StreamEnd, Is.InRange(3000UL, 4096UL), "two entries of ~1.5 KiB");
        log.FrameBudget = 100;
        Assert.That(current.FrameFor(receiver).StreamEnd - receiver.StreamEnd, Is.InRange(1500UL, 1600UL), "one entry even past the budget");
    }

    [Test]
    public void The_acknowledged_part_of_the_log_is_dropped_on_subtract()
    {
        var log = new StreamLog();
        CompleteTerminal server = CompleteTerminal.ForServer(80, 24, null, log);
        server.AnswerHello(WireCapabilities.Streams, WireCapabilities.Streams);
        log.Append(StreamLogTests.DataEntry(1, 100));
        CompleteTerminal acked = server.Clone();
        log.Append(StreamLogTests.DataEntry(1, 50));
        CompleteTerminal current = server.Clone();
        current.Subtract(acked);
        Assert.That(log.First, Is.EqualTo(acked.StreamEnd));
        Assert.That(log.End, Is.EqualTo(current.StreamEnd));
    }

    [Test]
    public void The_user_streams_frame_budget_cuts_before_the_stream_event_past_it_and_the_keystrokes_after_wait()
    {
        byte[] entry = StreamLogTests.DataEntry(1, 1500);
        var stream = new UserStream();
        stream.PushKeystrokes("a"u8);
        UserStream receiver = stream.Clone();
        for (int i = 0; i < 4; i++)
        {
            stream.PushStreamFrames(entry);
        }

        stream.PushKeystrokes("b"u8);
        Assert.That(stream.FrameFor(receiver), Is.SameAs(stream), "no budget set: the whole stream goes");

        stream.FrameBudget = 2 * entry.Length + 10;
        UserStream first = stream.FrameFor(receiver);
        Assert.That(first.StreamBytes - receiver.StreamBytes, Is.EqualTo(2 * entry.Length), "two whole events");
        Assert.That(first.Count, Is.EqualTo(3), "the keystroke before, two events; the keystroke after waits");
        UserStream second = stream.FrameFor(first);
        Assert.That(second, Is.SameAs(stream), "the rest fits the next frame, keystroke included");

        stream.FrameBudget = 100;
        Assert.That(stream.FrameFor(receiver).StreamBytes, Is.EqualTo(entry.Length), "one event even past the budget");

        // A frame is a prefix of the stream: its diff applies on the receiver and the next one continues it.
        var output = new ArrayBufferWriter<byte>();
        first.DiffFrom(receiver, output);
        UserStream applied = receiver.Clone();
        Assert.That(applied.TryApply(output.WrittenSpan), Is.True);
        Assert.That(applied.Equals(first), Is.True);
        output.ResetWrittenCount();
        stream.DiffFrom(applied, output);
        Assert.That(applied.TryApply(output.WrittenSpan), Is.True);
        Assert.That(applied.Equals(stream), Is.True);

        var typing = new UserStream { FrameBudget = 1 };
        typing.PushKeystrokes(new byte[5000]);
        Assert.That(typing.FrameFor(new UserStream()), Is.SameAs(typing), "keystrokes alone are never cut");
    }

    [Test]
    public void A_stream_frames_event_travels_in_the_user_stream_and_is_subtracted_when_acknowledged()
    {
        byte[] entry = StreamLogTests.DataEntry(3, 40);
        var stream = new UserStream();
        stream.PushKeystrokes("ab"u8);
        stream.PushStreamFrames(entry);
        stream.PushKeystrokes("c"u8);
        Assert.That(stream.StreamBytes, Is.EqualTo(entry.Length));

        var output = new ArrayBufferWriter<byte>();
        stream.InitDiff(output);
        var received = new UserStream();
        Assert.That(received.TryApply(output.WrittenSpan), Is.True);
        Assert.That(received.Equals(stream), Is.True);
        var kinds = new List<UserEventKind>();
        foreach (UserEventRun run in received)
        {
            kinds.Add(run.Kind);
            if (run.Kind == UserEventKind.StreamFrames)
            {
                Assert.That(run.Keys.ToArray(), Is.EqualTo(entry));
            }
        }

        Assert.That(kinds, Is.EqualTo(new[] { UserEventKind.Keystroke, UserEventKind.StreamFrames, UserEventKind.Keystroke }));
        UserStream acked = stream.Clone();
        stream.PushKeystrokes("d"u8);
        stream.Subtract(acked);
        Assert.That(stream.StreamBytes, Is.Zero);
        Assert.That(stream.Count, Is.EqualTo(1));
    }
}
