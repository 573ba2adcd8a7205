using System.Text;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>
/// Scrollback history as part of the synchronised terminal state: the server's sender carries what the client
/// lacks in field 41 within a per-frame budget, the client's inbox takes each line once and in order, whatever the
/// network loses and whatever a hostile client acknowledges.
/// </summary>
[TestFixture]
public class HistorySyncTests
{
    private static byte[] Diff(CompleteTerminal current, CompleteTerminal existing) => SyncDiffs.Diff(current, existing);

    /// <summary>
    /// The server's next frame, cut for what the client is assumed to hold, applied by the client (which then holds
    /// it); returns the frame's diff.
    /// </summary>
    private static byte[] SendFrame(CompleteTerminal server, CompleteTerminal client, ref CompleteTerminal assumed)
    {
        CompleteTerminal cut = server.Clone().FrameFor(assumed);
        byte[] diff = Diff(cut, assumed);
        Assert.That(client.TryApply(diff), Is.True);
        assumed = cut.Clone();
        return diff;
    }

    /// <summary>Bytes of field-41 bodies in a diff, and their number.</summary>
    private static (int Instructions, int Bytes, int HostBytesInstructions) HistoryIn(byte[] diff)
    {
        Assert.That(HostMessage.TryParse(diff, out HostMessage message), Is.True);
        int instructions = 0, bytes = 0, hostBytes = 0;
        bool historySeen = false;
        foreach (HostInstruction instruction in message)
        {
            if (instruction.ExtensionField == ExtensionFields.History)
            {
                instructions++;
                bytes += instruction.ExtensionBody.Length;
                historySeen = true;
            }
            else if (instruction.HasHostBytes)
            {
                Assert.That(historySeen, Is.False, "the screen diff comes before the history");
                hostBytes++;
            }
        }

        return (instructions, bytes, hostBytes);
    }

    private static CompleteTerminal Server(int lines, int width = 80, int height = 24, int capacity = 10000)
    {
        CompleteTerminal server = CompleteTerminal.ForServer(width, height, new HistoryRing(capacity));
        server.AnswerHello(WireCapabilities.History, WireCapabilities.History);
        WriteLines(server, 1, lines);
        return server;
    }

    private static void WriteLines(CompleteTerminal terminal, int from, int count)
    {
        var text = new StringBuilder();
        for (int i = from; i < from + count; i++)
        {
            text.Append("line-").Append(i).Append("\r\n");
        }

        terminal.Write(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static List<string> Drain(HistoryInbox inbox)
    {
        var lines = new List<string>();
        while (inbox.TryTake(out byte[] line))
        {
            lines.Add(Encoding.UTF8.GetString(line));
        }

        return lines;
    }

    private static List<string> Expected(int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(i => $"line-{i}").ToList();

    [Test]
    public void Rows_scrolled_off_the_whole_screen_reach_a_client_that_took_history_once_and_in_order()
    {
        CompleteTerminal server = Server(100); // 100 lines + a blank row on 24 rows: 77 scrolled off
        var inbox = new HistoryInbox();
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, inbox);
        CompleteTerminal blank = client.Clone();

        Assert.That(server.HistoryEnd, Is.EqualTo(77UL));
        Assert.That(client.TryApply(Diff(server, blank)), Is.True);
        Assert.That(client.TryApply(Diff(server, blank)), Is.True, "the same diff again (a retransmission)");
        Assert.Multiple(() =>
        {
            Assert.That(Drain(inbox), Is.EqualTo(Expected(1, 77)));
            Assert.That(client.HistoryEnd, Is.EqualTo(77UL));
            Assert.That(server.RoundTripsTo(client, null), Is.True);
        });
    }

    [Test]
    public void A_client_that_did_not_announce_history_gets_no_history_and_history_never_makes_states_differ()
    {
        CompleteTerminal server = CompleteTerminal.ForServer(80, 24, new HistoryRing(100));
        CompleteTerminal before = server.Clone();
        WriteLines(server, 1, 10);
        CompleteTerminal snapshot = server.Clone();
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.HistoryEnd, Is.Zero, "no hello: history is not part of the state");
            Assert.That(HistoryIn(Diff(snapshot, before)).Instructions, Is.Zero);
            Assert.That(snapshot.FrameFor(before), Is.SameAs(snapshot));
        });

        // Answered without the history bit (the server keeps none for this client): still nothing.
        server.AnswerHello(WireCapabilities.SessionNotices, WireCapabilities.History | WireCapabilities.SessionNotices);
        WriteLines(server, 11, 40);
        Assert.That(HistoryIn(Diff(server.Clone(), before)).Instructions, Is.Zero);
    }

    [Test]
    public void A_frame_carries_at_most_the_budget_of_history_after_the_screen_and_the_rest_follows()
    {
        CompleteTerminal server = Server(5000);
        var inbox = new HistoryInbox();
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, inbox);
        CompleteTerminal assumed = client.Clone();
        int frames = 0;
        while (assumed.HistoryEnd < server.HistoryEnd)
        {
            CompleteTerminal frame = server.FrameFor(assumed);
            byte[] diff = Diff(frame, assumed);
            (int instructions, int bytes, _) = HistoryIn(diff);
            Assert.That(instructions, Is.EqualTo(1));
            Assert.That(bytes, Is.LessThanOrEqualTo(CompleteTerminal.HistoryFrameBudget + 16));
            Assert.That(client.TryApply(diff), Is.True);
            Assert.That(frame.RoundTripsTo(client, null), Is.True, "the client holds exactly the frame sent");
            assumed = frame.Clone();
            frames++;
        }

        Assert.That(Drain(inbox), Is.EqualTo(Expected(1, 4977)));
        Assert.That(frames, Is.GreaterThan(4977 * 10 / CompleteTerminal.HistoryFrameBudget), "several frames");
        Assert.That(server.FrameFor(assumed), Is.SameAs(server), "nothing held back once the client has it all");
    }

    [Test]
    public void Only_scrollback_beyond_the_frame_sent_is_background_and_a_screen_change_or_nothing_new_is_not()
    {
        CompleteTerminal server = Server(5000);
        CompleteTerminal assumed = CompleteTerminal.ForClient(80, 24, new HistoryInbox()).Clone();
        CompleteTerminal sent = server.Clone().FrameFor(assumed); // the screen, and a budget's worth of the lines
        Assert.Multiple(() =>
        {
            Assert.That(sent.HistoryEnd, Is.LessThan(server.HistoryEnd), "the frame held lines back");
            Assert.That(server.OnlyBackgroundBeyond(sent), Is.True, "the rest of the lines alone");
            Assert.That(server.OnlyBackgroundBeyond(server.Clone()), Is.False, "nothing beyond");
        });

        server.Write("x"u8);
        Assert.That(server.OnlyBackgroundBeyond(sent), Is.False, "the screen changed too");
    }

    [Test]
    public void Frames_that_carry_only_scrollback_go_at_half_the_frame_rate_and_a_screen_change_at_the_frame_rate()
    {
        var clock = new FakeClock();
        var connection = new FakeConnection { SmoothedRoundTripTime = 100, RetransmissionTimeout = 200 }; // frames 50 ms apart
        var sink = new RecordingSink(clock);
        CompleteTerminal server = Server(0);
        var sender = new TransportSender<CompleteTerminal>(server, connection, sink, clock, new Random(1));
        WriteLines(server, 1, 20000); // the ring keeps 10,000 lines: several frames' budgets to catch up
        sender.SetCurrentState(server); // as the server's loop hands the sender a snapshot

        // Ticks when the sender asks to; the client acknowledges every frame at once. Stops after the first frame
        // (not an empty ack) once stopAfterFrame, else at the deadline.
        SentInstruction? RunUntil(long until, bool stopAfterFrame = false)
        {
            while (true)
            {
                long next = clock.Now + Math.Max(sender.WaitTime(), 1);
                if (next > until)
                {
                    clock.AdvanceTo(until);
                    return null;
                }

                clock.AdvanceTo(next);
                int before = sink.Sent.Count;
                sender.Tick();
                if (sink.Sent.Count > before)
                {
                    sender.RemoteHeard(clock.Now);
                    sender.ProcessAcknowledgmentThrough(sink.Last.NewNum);
                    if (stopAfterFrame && !sink.Last.IsEmptyAck)
                    {
                        return sink.Last;
                    }
                }
            }
        }

        _ = RunUntil(clock.Now + 450);
        List<long> frames = sink.Sent.Where(s => !s.IsEmptyAck).Select(s => s.Time).ToList();
        Assert.That(frames, Has.Count.GreaterThan(3), "the catch-up is under way");
        List<long> gaps = frames.Skip(1).Zip(frames, (later, earlier) => later - earlier).ToList();
        Assert.That(gaps, Has.All.GreaterThanOrEqualTo(2 * sender.SendInterval), "scrollback alone: every other frame interval");

        // Right after a catch-up frame the screen changes: the next frame comes a frame interval after it.
        SentInstruction last = RunUntil(clock.Now + 1000, stopAfterFrame: true)!;
        server.Write("typed"u8);
        sender.SetCurrentState(server);
        SentInstruction screen = RunUntil(clock.Now + 1000, stopAfterFrame: true)!;
        Assert.That(screen.Time - last.Time, Is.LessThanOrEqualTo(sender.SendInterval + TransportConstants.SEND_MINDELAY),
            "a screen change goes at the frame rate");
    }

    [Test]
    public void History_the_ring_already_dropped_lines_of_waits_while_output_keeps_coming_then_the_newest_follow()
    {
        CompleteTerminal server = Server(6000, capacity: 2000); // 5977 scrolled off, 2000 kept
        var inbox = new HistoryInbox();
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, inbox);
        CompleteTerminal assumed = client.Clone();

        // A flood: every frame finds the history grown, and the client is behind by more than the ring keeps.
        for (int frame = 0; frame < 3; frame++)
        {
            byte[] diff = SendFrame(server, client, ref assumed);
            Assert.That(HistoryIn(diff).Instructions, Is.Zero, $"frame {frame}: the screen alone");
            Assert.That(HistoryIn(diff).HostBytesInstructions, Is.EqualTo(1), "the screen still goes");
            WriteLines(server, 6001 + frame * 3000, 3000); // more than a frame's budget of lines each frame
        }

        // The output stopped: the newest lines the ring holds follow, in order, within the budget per frame.
        var frames = 0;
        while (assumed.HistoryEnd < server.HistoryEnd)
        {
            byte[] diff = SendFrame(server, client, ref assumed);
            Assert.That(HistoryIn(diff).Bytes, Is.LessThanOrEqualTo(CompleteTerminal.HistoryFrameBudget + 16));
            Assert.That(++frames, Is.LessThan(100));
        }

        Assert.That(Drain(inbox), Is.EqualTo(Expected(14977 - 1999, 14977)), "the last 2000 lines once each, in order");
    }

    [Test]
    public void History_behind_the_ring_catches_up_while_output_goes_on_at_a_pace_frames_carry()
    {
        // After a gap (a blackout during a flood), output that goes on slowly must not hold the history back until
        // it stops: a long build log would leave the scrollback empty for as long as it runs.
        CompleteTerminal server = Server(3000, capacity: 1000);
        var inbox = new HistoryInbox();
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, inbox);
        CompleteTerminal assumed = client.Clone();
        int line = 3001;
        for (int frame = 0; frame < 200; frame++)
        {
            SendFrame(server, client, ref assumed);
            WriteLines(server, line, 20);
            line += 20;
        }

        Assert.That(server.HistoryEnd - assumed.HistoryEnd, Is.LessThanOrEqualTo(20UL), "caught up while the output went on");
        List<string> received = Drain(inbox);
        Assert.That(received[^1], Is.EqualTo(Expected((int)assumed.HistoryEnd, (int)assumed.HistoryEnd)[0]));
    }

    [Test]
    public void History_the_client_keeps_up_with_goes_out_while_output_keeps_coming()
    {
        CompleteTerminal server = Server(500, capacity: 1000);
        var inbox = new HistoryInbox();
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, inbox);
        CompleteTerminal assumed = client.Clone();
        for (int frame = 0; frame < 5; frame++)
        {
            byte[] diff = SendFrame(server, client, ref assumed);
            Assert.That(HistoryIn(diff).Instructions, Is.EqualTo(1), $"frame {frame} carries history");
            WriteLines(server, 501 + frame * 100, 100);
        }

        Assert.That(Drain(inbox), Is.EqualTo(Expected(1, (int)assumed.HistoryEnd)));
    }

    [Test]
    public void A_shrink_for_a_history_client_keeps_the_cursors_row_and_the_rows_its_terminal_saved_never_become_history()
    {
        CompleteTerminal server = Server(30); // 30 lines and the cursor on the bottom row: lines 8..30 shown
        var inbox = new HistoryInbox();
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, inbox);
        CompleteTerminal before = server.Clone();
        Assert.That(client.TryApply(Diff(before, client.Clone())), Is.True);
        Assert.That(Drain(inbox), Is.EqualTo(Expected(1, 7)));

        server.Resize(80, 16);
        Assert.Multiple(() =>
        {
            Assert.That(server.HistoryEnd, Is.EqualTo(7UL), "the terminal put the top rows into its own scrollback");
            Assert.That(server.Framebuffer.GetRow(14).ToString().Trim(), Is.EqualTo("line-30"));
            Assert.That(server.Framebuffer.State.CursorRow, Is.EqualTo(15));
        });

        WriteLines(server, 31, 3);
        Assert.That(client.TryApply(Diff(server.Clone(), before)), Is.True);
        Assert.That(Drain(inbox), Is.EqualTo(Expected(16, 18)), "the rows after the ones the terminal saved");

        CompleteTerminal upstreamClient = CompleteTerminal.ForServer(80, 24, new HistoryRing(100));
        WriteLines(upstreamClient, 1, 30);
        upstreamClient.Resize(80, 16);
        Assert.That(upstreamClient.Framebuffer.GetRow(15).ToString().Trim(), Is.EqualTo("line-23"), "rows cut at the bottom, as upstream");
    }

    [Test]
    public void A_line_larger_than_the_budget_still_goes_alone_and_blank_lines_are_empty()
    {
        CompleteTerminal server = CompleteTerminal.ForServer(2048, 3, new HistoryRing(100));
        server.AnswerHello(WireCapabilities.History, WireCapabilities.History);
        var giant = new StringBuilder();
        for (int i = 0; i < 1024; i++)
        {
            giant.Append("\e[38;5;").Append(16 + (i % 240)).Append(";48;5;").Append(16 + ((i + 1) % 240)).Append("m\u4e00"); // wide, coloured
        }

        server.Write(Encoding.UTF8.GetBytes(giant + "\e[0m\r\n\r\n\r\n\r\n\r\n"));
        var inbox = new HistoryInbox();
        CompleteTerminal client = CompleteTerminal.ForClient(2048, 3, inbox);
        CompleteTerminal assumed = client.Clone();
        CompleteTerminal frame = server.FrameFor(assumed);
        Assert.That(frame.HistoryEnd, Is.EqualTo(1UL), "the giant line alone");
        Assert.That(client.TryApply(Diff(frame, assumed)), Is.True);
        frame = server.FrameFor(client);
        Assert.That(client.TryApply(Diff(frame, client.Clone())), Is.True);
        List<string> lines = Drain(inbox);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.EqualTo(3), "the giant row and two blank rows scrolled off");
            Assert.That(lines[0], Does.StartWith("\e[0;38;5;16;48;5;17m\u4e00\e[0;38;5;17;48;5;18m\u4e00"));
            Assert.That(lines[0].Length, Is.GreaterThan(CompleteTerminal.HistoryFrameBudget).And.LessThan(2 * CompleteTerminal.HistoryFrameBudget));
            Assert.That(lines.Skip(1), Is.All.Empty, "blank rows are empty lines");
        });
    }

    [Test]
    public void Lines_leaving_a_scrolling_region_or_deleted_never_enter_the_history()
    {
        var ring = new HistoryRing(100);
        CompleteTerminal server = CompleteTerminal.ForServer(80, 10, ring);
        server.Write("\e[2;9r\e[9;1H"u8); // region rows 2-9
        WriteLines(server, 1, 30);
        server.Write("\e[r\e[1;1H\e[3M"u8); // DL at the top: deleted, not scrolled off
        Assert.That(ring.End, Is.Zero);
        server.Write("\e[10;1H\n\n\e[2S"u8); // LF at the bottom and SU of the whole screen: 4 rows
        Assert.That(ring.End, Is.EqualTo(4UL));
    }

    [TestCase(1049)]
    [TestCase(1047)]
    [TestCase(47)]
    public void Lines_scrolled_on_the_alternate_screen_never_enter_the_history_and_the_primary_screen_feeds_it_again(int mode)
    {
        string enter = $"\e[?{mode}h";
        var ring = new HistoryRing(100);
        CompleteTerminal server = CompleteTerminal.ForServer(80, 10, ring);
        server.Write(Encoding.ASCII.GetBytes(enter));
        WriteLines(server, 1, 30); // a pager scrolling its own screen
        server.Write("\e[2S"u8);
        Assert.That(ring.End, Is.Zero);
        server.Write(Encoding.ASCII.GetBytes(enter.Replace('h', 'l')));
        server.Write("\e[10;1H\n\n"u8);
        Assert.That(ring.End, Is.EqualTo(2UL));
    }

    /// <summary>The alternate-screen flags of the History instructions in a diff, in order.</summary>
    private static List<bool?> AlternateFlagsIn(byte[] diff)
    {
        Assert.That(HostMessage.TryParse(diff, out HostMessage message), Is.True);
        var flags = new List<bool?>();
        foreach (HostInstruction instruction in message)
        {
            if (instruction.ExtensionField == ExtensionFields.History)
            {
                Assert.That(HistoryMessage.TryParse(instruction.ExtensionBody, out HistoryMessage history), Is.True);
                flags.Add(history.AlternateScreen);
            }
        }

        return flags;
    }

    [Test]
    public void Which_screen_the_server_shows_reaches_a_history_client_even_without_new_lines_and_round_trips()
    {
        CompleteTerminal server = Server(30);
        var inbox = new HistoryInbox();
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, inbox);
        CompleteTerminal assumed = client.Clone();
        Assert.That(client.TryApply(Diff(server, assumed)), Is.True);
        Assert.That(client.AlternateScreen, Is.False);
        assumed = server.Clone();

        server.Write("\e[?1049hvim here"u8);
        CompleteTerminal inVim = server.Clone();
        byte[] enter = Diff(inVim, assumed);
        Assert.Multiple(() =>
        {
            Assert.That(inVim.AlternateScreen, Is.True);
            Assert.That(inVim.HistoryEnd, Is.EqualTo(assumed.HistoryEnd), "no line scrolled off");
            Assert.That(AlternateFlagsIn(enter), Is.EqualTo(new bool?[] { true }), "a History with no line carries the switch");
            Assert.That(inVim.Equals(assumed), Is.False);
        });
        Assert.That(client.TryApply(enter), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(client.AlternateScreen, Is.True);
            Assert.That(inVim.RoundTripsTo(client, null), Is.True);
            Assert.That(client.Clone().AlternateScreen, Is.True, "copies of the client's state keep it");
        });

        server.Write("\e[?1049l"u8);
        WriteLines(server, 31, 5);
        CompleteTerminal back = server.Clone();
        Assert.That(client.TryApply(Diff(back, inVim)), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(AlternateFlagsIn(Diff(back, inVim)), Is.EqualTo(new bool?[] { false }));
            Assert.That(client.AlternateScreen, Is.False);
            Assert.That(back.RoundTripsTo(client, null), Is.True);
            Assert.That(Drain(inbox), Is.EqualTo(Expected(1, 12)), "the lines scrolled off before and after, once");
        });
    }

    [Test]
    public void A_client_without_history_never_learns_the_alternate_screen_and_it_never_makes_states_differ()
    {
        CompleteTerminal server = CompleteTerminal.ForServer(80, 24, new HistoryRing(100));
        server.AnswerHello(WireCapabilities.SessionNotices, WireCapabilities.History | WireCapabilities.SessionNotices);
        server.Write("line\r\n"u8);
        CompleteTerminal before = server.Clone();
        server.Write("\e[?1049h"u8); // nothing visible changes on the blank alternate screen but the cursor
        server.Write("\e[1;1H"u8);
        CompleteTerminal after = server.Clone();
        Assert.Multiple(() =>
        {
            Assert.That(after.AlternateScreen, Is.False);
            Assert.That(AlternateFlagsIn(Diff(after, before)), Is.Empty);
        });
    }

    [Test]
    public void A_history_body_without_the_screen_flag_leaves_the_clients_flag_as_it_was()
    {
        var client = CompleteTerminal.ForClient(80, 24, new HistoryInbox());
        var body = new System.Buffers.ArrayBufferWriter<byte>();
        HistoryMessage.WriteFirst(0, body);
        HistoryMessage.WriteAlternateScreen(true, body);
        var withFlag = new System.Buffers.ArrayBufferWriter<byte>();
        _ = HostInstruction.ForExtension(ExtensionFields.History, body.WrittenSpan).WriteTo(withFlag);
        Assert.That(client.TryApply(withFlag.WrittenSpan), Is.True);
        Assert.That(client.AlternateScreen, Is.True);

        body.ResetWrittenCount();
        HistoryMessage.WriteFirst(0, body);
        HistoryMessage.WriteLine("text"u8, body);
        var withoutFlag = new System.Buffers.ArrayBufferWriter<byte>();
        _ = HostInstruction.ForExtension(ExtensionFields.History, body.WrittenSpan).WriteTo(withoutFlag);
        Assert.That(client.TryApply(withoutFlag.WrittenSpan), Is.True);
        Assert.That(client.AlternateScreen, Is.True);
    }

    [Test]
    public void The_verbose_self_check_does_not_re_encode_the_history_and_still_passes_with_it()
    {
        CompleteTerminal server = Server(10000);
        CompleteTerminal assumed = server.Clone();
        WriteLines(server, 10001, 3);
        CompleteTerminal current = server.Clone();
        var initDiff = new System.Buffers.ArrayBufferWriter<byte>();
        current.InitDiff(initDiff);
        var warnings = new List<string>();
        var verifier = new SentDiffVerifier<CompleteTerminal>(warnings.Add);
        byte[] diff = Diff(current, assumed);
        Assert.Multiple(() =>
        {
            Assert.That(current.HistoryEnd, Is.EqualTo(9980UL));
            Assert.That(initDiff.WrittenCount, Is.LessThan(4096), "the screen, not 10,000 lines of history");
            Assert.That(verifier.Verify(assumed, diff, current), Is.True, string.Join("\n", warnings));
        });
    }

    [Test]
    public void Frames_sent_before_an_ack_each_carry_the_next_history_not_the_same_again()
    {
        var clock = new FakeClock();
        var connection = new FakeConnection { SmoothedRoundTripTime = 40, RetransmissionTimeout = 1000 };
        var sink = new RecordingSink(clock);
        CompleteTerminal live = Server(0);
        var sender = new TransportSender<CompleteTerminal>(live, connection, sink, clock, new Random(1));
        WriteLines(live, 10000, 3000); // lines of equal length, so every frame's history is the same size
        sender.SetCurrentState(live);
        for (int i = 0; i < 20; i++)
        {
            clock.Advance(25);
            sender.Tick();
            if (i == 0)
            {
                sender.ProcessAcknowledgmentThrough(sink.Last.NewNum); // the screen is acknowledged; then no acks
            }
        }

        var firsts = new List<ulong>();
        foreach (SentInstruction sent in sink.Sent.Where(s => !s.IsEmptyAck))
        {
            Assert.That(HostMessage.TryParse(sent.Diff, out HostMessage message), Is.True);
            foreach (HostInstruction instruction in message)
            {
                if (instruction.ExtensionField == ExtensionFields.History)
                {
                    Assert.That(HistoryMessage.TryParse(instruction.ExtensionBody, out HistoryMessage history), Is.True);
                    firsts.Add(history.First);
                }
            }
        }

        Assert.That(firsts, Has.Count.GreaterThanOrEqualTo(3), "about 30 KB of history: several frames");
        Assert.That(firsts, Is.Ordered.Ascending.And.Unique, "each frame advances from the one before");
    }

    /// <summary>The server's sender and the client's receiver, with a lossy link both ways and a hostile acker.</summary>
    [TestCase(0.0, false)]
    [TestCase(0.3, false)]
    [TestCase(0.3, true)]
    public void Over_a_lossy_link_with_a_resize_in_flight_every_line_arrives_once_and_in_order(double loss, bool hostileAcks)
    {
        var random = new Random(7);
        var clock = new FakeClock();
        var connection = new FakeConnection { SmoothedRoundTripTime = 100, RetransmissionTimeout = 300 };
        var sink = new RecordingSink(clock);
        CompleteTerminal live = CompleteTerminal.ForServer(80, 24, new HistoryRing(2000));
        var sender = new TransportSender<CompleteTerminal>(live, connection, sink, clock, new Random(1));
        live.AnswerHello(WireCapabilities.History, WireCapabilities.History);
        var inbox = new HistoryInbox();
        var receiver = new TransportReceiver<CompleteTerminal>(CompleteTerminal.ForClient(80, 24, inbox), clock);
        var received = new List<string>();
        int written = 0;
        var inFlight = new List<(long At, SentInstruction Instruction)>();

        for (int step = 0; step < 4000 && (written < 3000 || received.Count < (int)live.HistoryEnd); step++)
        {
            if (written < 3000 && step % 5 == 0)
            {
                WriteLines(live, written + 1, 30);
                written += 30;
                if (written == 1500)
                {
                    live.Resize(50, 10); // resize mid-flight: lines already recorded keep their text
                }

                sender.SetCurrentState(live);
            }

            clock.Advance(10);
            int before = sink.Sent.Count;
            sender.Tick();
            foreach (SentInstruction sent in sink.Sent.Skip(before))
            {
                if (random.NextDouble() >= loss)
                {
                    inFlight.Add((clock.Now + 50, sent));
                }
            }

            foreach ((long at, SentInstruction sent) in inFlight.Where(f => f.At <= clock.Now).ToList())
            {
                inFlight.Remove((at, sent));
                TransportInstruction instruction = sent.Parse();
                _ = receiver.Receive(in instruction);
                received.AddRange(Drain(inbox));
                if (random.NextDouble() >= loss)
                {
                    sender.ProcessAcknowledgmentThrough(receiver.RemoteStateNum);
                }

                if (hostileAcks)
                {
                    sender.ProcessAcknowledgmentThrough(ulong.MaxValue - 1);
                    sender.ProcessAcknowledgmentThrough((ulong)random.NextInt64());
                    sender.ProcessAcknowledgmentThrough(0);
                }
            }
        }

        var expected = new List<string>();
        for (ulong n = live.History!.First; n < live.HistoryEnd; n++)
        {
            expected.Add(Encoding.UTF8.GetString(live.History[n]));
        }

        Assert.Multiple(() =>
        {
            Assert.That(received, Has.Count.EqualTo((int)live.HistoryEnd), "every recorded line");
            Assert.That(received[^expected.Count..], Is.EqualTo(expected), "once each, in order");
            Assert.That(received.Distinct().Count(), Is.EqualTo(received.Count), "no duplicates");
            Assert.That(received[0], Is.EqualTo("line-1"));
            Assert.That(sender.SentStateCount, Is.LessThanOrEqualTo(TransportConstants.SENT_STATES_LIMIT));
            Assert.That(receiver.LatestRemoteState.State.Framebuffer.Width, Is.EqualTo(50));
        });
    }

    [Test]
    public void The_size_a_diff_is_said_to_take_at_least_never_exceeds_the_diff_and_counts_the_lines_it_must_carry()
    {
        // Coloured and plain lines (stored packed, sent as SGR), snapshots at random points, diffs between any two.
        var random = new Random(1717);
        CompleteTerminal server = CompleteTerminal.ForServer(60, 6, new HistoryRing(300));
        server.AnswerHello(WireCapabilities.History, WireCapabilities.History);
        var snapshots = new List<CompleteTerminal> { server.Clone() };
        for (int step = 0; step < 60; step++)
        {
            var text = new StringBuilder();
            for (int line = random.Next(0, 40); line > 0; line--)
            {
                text.Append(random.Next(3) == 0 ? $"plain {step} {line}" : $"\e[38;5;{random.Next(256)}m{step}\e[1;4;4{random.Next(8)}m {line}\e[0m x")
                    .Append("\r\n");
            }

            server.Write(Encoding.UTF8.GetBytes(text.ToString()));
            snapshots.Add(server.Clone());
        }

        int pending = 0;
        foreach (CompleteTerminal newer in snapshots)
        {
            foreach (CompleteTerminal older in snapshots)
            {
                if (older.HistoryEnd > newer.HistoryEnd)
                {
                    continue;
                }

                long atLeast = newer.DiffSizeAtLeast(older, long.MaxValue);
                int diff = Diff(newer, older).Length;
                Assert.That(atLeast, Is.LessThanOrEqualTo(diff));
                if (newer.HistoryEnd > Math.Max(older.HistoryEnd, server.History!.First))
                {
                    pending++;
                    ulong lines = newer.HistoryEnd - Math.Max(older.HistoryEnd, server.History!.First);
                    Assert.That(atLeast, Is.GreaterThanOrEqualTo(2 * (long)lines), "each line the diff carries counts");
                }
                else
                {
                    Assert.That(atLeast, Is.Zero);
                }

                Assert.That(newer.DiffSizeAtLeast(older, 100), Is.LessThan(100 + 200), "counting stops once enough");
            }
        }

        Assert.That(pending, Is.GreaterThan(500));
    }
}
