using System.Text;
using Mosh.Protobufs;
using Mosh.StateSync;
using Mosh.Terminal;

namespace Mosh.Tests.StateSync;

/// <summary>
/// Large OSC 52 clipboards (field 44, capability bit 8): whole to a client that announced them, in pieces of at
/// most one budget per frame behind the screen; cut to upstream's 16 KiB limit, exactly as before, for anyone else;
/// malformed or hostile pieces change nothing.
/// </summary>
[TestFixture]
public class ClipboardSyncTests
{
    private static byte[] Diff(CompleteTerminal current, CompleteTerminal existing) => SyncDiffs.Diff(current, existing);

    private static string Base64Of(int bytes)
    {
        var random = new Random(bytes);
        byte[] data = new byte[bytes];
        random.NextBytes(data);
        return Convert.ToBase64String(data);
    }

    private static CompleteTerminal Server(WireCapabilities announced)
    {
        CompleteTerminal server = CompleteTerminal.ForServer(80, 24, history: null);
        if (announced != WireCapabilities.None)
        {
            server.AnswerHello(announced, WireCapabilities.LargeClipboard | WireCapabilities.SessionNotices);
        }

        return server;
    }

    private static void Copy(CompleteTerminal server, string base64) =>
        server.Write(Encoding.UTF8.GetBytes($"\e]52;c;{base64}\a"));

    /// <summary>Sends frames as the transport does (each cut by the budget) until nothing is left; returns how many.</summary>
    private static int Deliver(CompleteTerminal server, CompleteTerminal client, ref CompleteTerminal assumed, List<int> pieceSizes)
    {
        int frames = 0;
        while (!server.Equals(assumed) && frames < 1000)
        {
            CompleteTerminal frame = server.FrameFor(assumed);
            byte[] diff = Diff(frame, assumed);
            Assert.That(HostMessage.TryParse(diff, out HostMessage message), Is.True);
            foreach (HostInstruction instruction in message)
            {
                if (instruction.ExtensionField == ExtensionFields.Clipboard)
                {
                    pieceSizes.Add(instruction.ExtensionBody.Length);
                }
            }

            Assert.That(client.TryApply(diff), Is.True);
            assumed = frame.Clone();
            frames++;
        }

        return frames;
    }

    [Test]
    public void A_one_megabyte_copy_reaches_a_client_that_takes_large_clipboards_whole_in_pieces_of_at_most_one_budget_per_frame()
    {
        CompleteTerminal server = Server(WireCapabilities.LargeClipboard);
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, new HistoryInbox());
        CompleteTerminal assumed = client.Clone();
        Deliver(server, client, ref assumed, []);

        string base64 = Base64Of(1024 * 1024);
        Copy(server, base64);
        server.Write("after the copy"u8);
        var pieces = new List<int>();
        int frames = Deliver(server, client, ref assumed, pieces);

        Assert.Multiple(() =>
        {
            Assert.That(client.Framebuffer.Clipboard, Is.EqualTo(base64));
            Assert.That(client.Framebuffer.GetRow(0).ToString().TrimEnd(), Is.EqualTo("after the copy"));
            Assert.That(pieces, Has.All.LessThanOrEqualTo(CompleteTerminal.ClipboardFrameBudget + 64));
            Assert.That(frames, Is.EqualTo((base64.Length + CompleteTerminal.ClipboardFrameBudget - 1) / CompleteTerminal.ClipboardFrameBudget));
        });
    }

    [Test]
    public void The_screen_diff_of_a_frame_is_not_held_back_by_a_large_clipboard_in_transfer()
    {
        CompleteTerminal server = Server(WireCapabilities.LargeClipboard);
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, new HistoryInbox());
        CompleteTerminal assumed = client.Clone();
        Copy(server, Base64Of(512 * 1024));
        CompleteTerminal first = server.FrameFor(assumed);
        Assert.That(client.TryApply(Diff(first, assumed)), Is.True);
        assumed = first.Clone();

        server.Write("typed while copying"u8);
        CompleteTerminal second = server.FrameFor(assumed);
        Assert.That(client.TryApply(Diff(second, assumed)), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(client.Framebuffer.GetRow(0).ToString().TrimEnd(), Is.EqualTo("typed while copying"));
            Assert.That(client.Framebuffer.Clipboard, Is.Empty, "not complete yet, and never partly");
        });
    }

    [Test]
    public void A_diff_from_an_older_state_resends_from_where_that_state_stood_and_still_completes_the_clipboard()
    {
        CompleteTerminal server = Server(WireCapabilities.LargeClipboard);
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, new HistoryInbox());
        CompleteTerminal blank = client.Clone();
        string base64 = Base64Of(100 * 1024);
        Copy(server, base64);
        CompleteTerminal first = server.FrameFor(blank);
        Assert.That(client.TryApply(Diff(first, blank)), Is.True);

        // The acknowledgement was lost: the next diff is from the blank state again, and carries everything.
        CompleteTerminal retry = client.Clone();
        Assert.That(retry.TryApply(Diff(server, blank)), Is.True);
        Assert.That(retry.Framebuffer.Clipboard, Is.EqualTo(base64));
    }

    [Test]
    public void A_verbose_servers_self_check_passes_on_every_frame_of_large_clipboards()
    {
        CompleteTerminal server = Server(WireCapabilities.LargeClipboard);
        Copy(server, "c21hbGw=");
        CompleteTerminal assumed = server.Clone();
        Copy(server, Base64Of(200 * 1024));
        server.Write("a line"u8);

        var warnings = new List<string>();
        var verifier = new SentDiffVerifier<CompleteTerminal>(warnings.Add);
        int frames = 0;
        while (!server.Equals(assumed) && frames++ < 100)
        {
            CompleteTerminal frame = server.FrameFor(assumed);
            Assert.That(verifier.Verify(assumed, Diff(frame, assumed), frame), Is.True, string.Join("\n", warnings));
            assumed = frame.Clone();
            if (frames == 3)
            {
                Copy(server, Base64Of(100 * 1024)); // another copy while the first is on its way
            }
        }

        Assert.That(frames, Is.GreaterThan(5));
    }

    [Test]
    public void Without_the_capability_the_diff_carries_upstreams_16_KiB_of_the_clipboard_and_no_extension()
    {
        foreach (WireCapabilities announced in new[] { WireCapabilities.None, WireCapabilities.SessionNotices })
        {
            CompleteTerminal server = Server(announced);
            CompleteTerminal blank = CompleteTerminal.ForClient(80, 24, new HistoryInbox());
            string base64 = Base64Of(50 * 1024);
            Copy(server, base64);
            byte[] diff = Diff(server, blank);

            Assert.That(SyncDiffs.HostExtensionFields(diff), Does.Not.Contain(ExtensionFields.Clipboard));
            var upstreamLike = new Emulator(80, 24);
            Assert.That(HostMessage.TryParse(diff, out HostMessage message), Is.True);
            foreach (HostInstruction instruction in message)
            {
                if (instruction.HasHostBytes)
                {
                    upstreamLike.Write(instruction.HostString);
                }
            }

            Assert.That(upstreamLike.Framebuffer.Clipboard, Is.EqualTo(base64[..Emulator.UpstreamClipboardLength]));
        }
    }

    [Test]
    public void Malformed_gapped_oversize_and_overlong_clipboard_pieces_from_a_peer_change_nothing()
    {
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, new HistoryInbox());
        byte[] data = Encoding.ASCII.GetBytes("QUJD");
        byte[][] bodies =
        [
            [0x0a, 0xff], // a truncated field
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // a broken varint
            Piece(1, 2, 6, data), // does not start at 0
            Piece(1, 0, (ulong)ClipboardInbox.MaxClipboardBytes + 1, data), // larger than any clipboard
            Piece(1, 0, 2, data), // data past the total
            Piece(1, ulong.MaxValue, ulong.MaxValue, data), // offsets that overflow
        ];
        foreach (byte[] body in bodies)
        {
            byte[] diff = HostDiff(body);
            Assert.That(client.TryApply(diff), Is.True, "the rest of a diff still applies");
            Assert.That(client.Framebuffer.Clipboard, Is.Empty);
        }

        Assert.That(client.TryApply(HostDiff(Piece(2, 0, 4, data))), Is.True);
        Assert.That(client.Framebuffer.Clipboard, Is.EqualTo("QUJD"), "a good piece after the bad ones");
    }

    [Test]
    public void A_server_never_sends_clipboard_pieces_to_a_client_that_did_not_announce_them_and_a_client_without_an_inbox_ignores_them()
    {
        var terminal = new CompleteTerminal(80, 24); // neither a client's state (no inbox) nor answering hellos
        Assert.That(terminal.TryApply(HostDiff(Piece(1, 0, 4, "QUJD"u8.ToArray()))), Is.True);
        Assert.That(terminal.Framebuffer.Clipboard, Is.Empty);
    }

    private static byte[] Piece(ulong serial, ulong offset, ulong total, byte[] data)
    {
        var piece = new ClipboardMessage(serial, offset, total, data);
        byte[] body = new byte[piece.Size];
        return body[..piece.WriteTo(body)];
    }

    private static byte[] HostDiff(byte[] body)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        _ = HostInstruction.ForExtension(ExtensionFields.Clipboard, body).WriteTo(output);
        return output.WrittenSpan.ToArray();
    }
}
