using System.Buffers;
using System.Text;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class CompleteTerminalTests
{
    private static byte[] Diff(CompleteTerminal current, CompleteTerminal existing) => SyncDiffs.Diff(current, existing);

    private static CompleteTerminal Server(string output, int width = 80, int height = 24)
    {
        var terminal = new CompleteTerminal(width, height);
        terminal.Write(Encoding.UTF8.GetBytes(output));
        return terminal;
    }

    /// <summary>What a client holding <paramref name="existing"/> ends up with after applying the diff to <paramref name="current"/>.</summary>
    private static CompleteTerminal Synchronise(CompleteTerminal current, CompleteTerminal existing, CompleteTerminal client)
    {
        CompleteTerminal copy = client.Clone();
        Assert.That(copy.TryApply(Diff(current, existing)), Is.True);
        return copy;
    }

    [Test]
    public void Diffing_a_frame_of_bulk_output_with_history_allocates_nothing_once_warm()
    {
        var terminal = CompleteTerminal.ForServer(80, 24, new HistoryRing(1000));
        terminal.AnswerHello(WireCapabilities.History, WireCapabilities.History);
        var lines = new StringBuilder();
        for (int i = 0; i < 200; i++)
        {
            lines.Append("\e[3").Append(i % 8).Append("mline ").Append(i).Append(" of bulk output\e[0m\r\n");
        }

        byte[] chunk = Encoding.ASCII.GetBytes(lines.ToString());
        CompleteTerminal before = terminal.Clone();
        terminal.Write(chunk);
        CompleteTerminal after = terminal.Clone();
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        after.DiffFrom(before, output); // the diff's buffers reach their size

        output.ResetWrittenCount();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        after.DiffFrom(before, output);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.That(output.WrittenCount, Is.GreaterThan(4000), "a screenful and 200 history lines");
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void A_diff_rebuilds_the_servers_screen_on_the_client()
    {
        var blank = new CompleteTerminal(80, 24);
        CompleteTerminal server = Server("hello \e[1;31mred\e[0m\r\n\e[5;10Hthere\e]0;title\a");
        CompleteTerminal client = Synchronise(server, blank, blank);
        Assert.Multiple(() =>
        {
            Assert.That(client.Framebuffer, Is.EqualTo(server.Framebuffer));
            Assert.That(client.Framebuffer.GetRow(0).ToString(), Does.StartWith("hello red"));
            Assert.That(client.Framebuffer.WindowTitle, Is.EqualTo("title"));
            Assert.That((client.Framebuffer.State.CursorRow, client.Framebuffer.State.CursorColumn), Is.EqualTo((4, 14)));
        });
    }

    [Test]
    public void Successive_diffs_keep_the_client_in_step()
    {
        var blank = new CompleteTerminal(40, 10);
        CompleteTerminal first = Server("one\r\ntwo\r\n", 40, 10);
        CompleteTerminal client = Synchronise(first, blank, blank);
        CompleteTerminal second = first.Clone();
        second.Write("\e[2J\e[Hthree"u8);
        client = Synchronise(second, first, client);
        Assert.That(client.Framebuffer, Is.EqualTo(second.Framebuffer));
    }

    [Test]
    public void The_initial_diff_builds_the_screen_from_a_blank_terminal_of_the_same_size()
    {
        CompleteTerminal server = Server("\e[7mreverse\e[m text", 30, 5);
        var output = new ArrayBufferWriter<byte>();
        server.InitDiff(output);
        var client = new CompleteTerminal(30, 5);
        Assert.That(client.TryApply(output.WrittenSpan), Is.True);
        Assert.That(client.Framebuffer, Is.EqualTo(server.Framebuffer));
    }

    [Test]
    public void Equal_states_have_an_empty_diff_and_a_change_makes_them_unequal()
    {
        CompleteTerminal server = Server("abc");
        CompleteTerminal snapshot = server.Clone();
        Assert.That(snapshot, Is.EqualTo(server));
        Assert.That(Diff(server, snapshot), Is.Empty);
        server.Write("d"u8);
        Assert.That(snapshot, Is.Not.EqualTo(server));
        Assert.That(Diff(server, snapshot), Is.Not.Empty);
    }

    [Test]
    public void A_snapshot_is_unaffected_by_later_output_and_can_itself_be_changed()
    {
        CompleteTerminal server = Server("first");
        CompleteTerminal snapshot = server.Clone();
        server.Write("\rsecond"u8);
        Assert.That(snapshot.Framebuffer.GetRow(0).ToString(), Does.StartWith("first"));
        snapshot.Write("!"u8);
        Assert.That(snapshot.Framebuffer.GetRow(0).ToString(), Does.StartWith("first!"));
        Assert.That(server.Framebuffer.GetRow(0).ToString(), Does.StartWith("second"));
    }

    [Test]
    public void A_size_change_is_sent_as_a_resize_before_the_host_bytes()
    {
        var blank = new CompleteTerminal(80, 24);
        CompleteTerminal server = Server("x");
        server.Resize(100, 30);
        byte[] diff = Diff(server, blank);
        Assert.That(HostMessage.TryParse(diff, out HostMessage message), Is.True);
        var kinds = new List<string>();
        foreach (HostInstruction instruction in message)
        {
            kinds.Add(instruction.HasResize ? $"resize {instruction.Resize.Width}x{instruction.Resize.Height}"
                : instruction.HasHostBytes ? "hostbytes" : "other");
        }

        Assert.That(kinds, Is.EqualTo(new[] { "resize 100x30", "hostbytes" }));
        CompleteTerminal client = Synchronise(server, blank, blank);
        Assert.That((client.Framebuffer.Width, client.Framebuffer.Height), Is.EqualTo((100, 30)));
    }

    [Test]
    public void Input_frames_are_acknowledged_as_echoed_after_fifty_milliseconds()
    {
        var server = new CompleteTerminal(80, 24);
        server.RegisterInputFrame(3, 1000);
        server.RegisterInputFrame(4, 1020);
        Assert.That(server.SetEchoAck(1049), Is.False);
        Assert.That(server.EchoAck, Is.Zero);
        Assert.That(server.SetEchoAck(1050), Is.True);
        Assert.That(server.EchoAck, Is.EqualTo(3));
        Assert.That(server.WaitTime(1050), Is.EqualTo(20), "frame 4 becomes due at 1070");
        Assert.That(server.SetEchoAck(1070), Is.True);
        Assert.That(server.EchoAck, Is.EqualTo(4));
        Assert.That(server.SetEchoAck(2000), Is.False);
    }

    [Test]
    public void Echo_ack_wait_time_is_unbounded_without_two_pending_frames()
    {
        var server = new CompleteTerminal(80, 24);
        Assert.That(server.WaitTime(0), Is.EqualTo(int.MaxValue));
        server.RegisterInputFrame(1, 0);
        Assert.That(server.WaitTime(0), Is.EqualTo(int.MaxValue));
    }

    [Test]
    public void An_echo_ack_change_alone_is_sent_and_applied()
    {
        var blank = new CompleteTerminal(80, 24);
        CompleteTerminal server = blank.Clone();
        server.RegisterInputFrame(7, 0);
        server.SetEchoAck(100);
        Assert.That(server, Is.Not.EqualTo(blank));
        CompleteTerminal client = Synchronise(server, blank, blank);
        Assert.That(client.EchoAck, Is.EqualTo(7));
        Assert.That(client, Is.EqualTo(server));
    }

    [Test]
    public void An_echo_ack_never_moves_backwards_on_the_client()
    {
        var client = new CompleteTerminal(80, 24);
        var buffer = new ArrayBufferWriter<byte>();
        HostInstruction.ForEchoAck(9).WriteTo(buffer);
        Assert.That(client.TryApply(buffer.WrittenSpan), Is.True);
        buffer.ResetWrittenCount();
        HostInstruction.ForEchoAck(4).WriteTo(buffer);
        Assert.That(client.TryApply(buffer.WrittenSpan), Is.True);
        Assert.That(client.EchoAck, Is.EqualTo(9));
    }

    [Test]
    public void A_malformed_diff_is_refused_and_changes_nothing()
    {
        CompleteTerminal client = Server("keep");
        CompleteTerminal before = client.Clone();
        Assert.That(client.TryApply(new byte[] { 0x0A, 0x05, 0x12 }), Is.False);
        Assert.That(client, Is.EqualTo(before));
    }

    [Test]
    public void Replies_to_the_application_collect_for_the_pty_and_are_dropped_on_the_client()
    {
        CompleteTerminal server = Server("\e[c");
        Assert.That(Encoding.ASCII.GetString(server.TerminalToHost), Is.EqualTo("\e[?62c"));
        server.ClearTerminalToHost();
        Assert.That(server.TerminalToHost.IsEmpty, Is.True);

        var client = new CompleteTerminal(80, 24);
        var buffer = new ArrayBufferWriter<byte>();
        HostInstruction.ForHostBytes("\e[6n"u8).WriteTo(buffer);
        Assert.That(client.TryApply(buffer.WrittenSpan), Is.True);
        Assert.That(client.TerminalToHost.IsEmpty, Is.True);
    }

    [Test]
    public void Cursor_keys_reach_the_application_in_normal_mode_unless_it_asked_for_application_mode()
    {
        var server = new CompleteTerminal(80, 24);
        server.UserInput("\eOA"u8);
        Assert.That(Encoding.ASCII.GetString(server.TerminalToHost), Is.EqualTo("\e[A"));
        server.ClearTerminalToHost();
        server.Write("\e[?1h"u8);
        server.UserInput("\eOA"u8);
        Assert.That(Encoding.ASCII.GetString(server.TerminalToHost), Is.EqualTo("\eOA"));
    }

    [TestCase(0, 24)]
    [TestCase(80, -1)]
    [TestCase(100000, 24)]
    [TestCase(80, 2049)]
    public void An_absurd_resize_from_the_peer_is_ignored(int width, int height)
    {
        var client = new CompleteTerminal(80, 24);
        var buffer = new ArrayBufferWriter<byte>();
        HostInstruction.ForResize(width, height).WriteTo(buffer);
        Assert.That(client.TryApply(buffer.WrittenSpan), Is.True);
        Assert.That((client.Framebuffer.Width, client.Framebuffer.Height), Is.EqualTo((80, 24)));
    }
}
