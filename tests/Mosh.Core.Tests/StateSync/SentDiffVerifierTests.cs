using System.Text;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class SentDiffVerifierTests
{
    // Upstream's words, spelled out here rather than taken from the class so that a changed constant fails.
    private const string RoundTripWarning = "Warning, round-trip Instruction verification failed!";
    private const string TargetStateWarning = "Warning, target state Instruction verification failed!";

    private readonly List<string> _lines = [];

    [SetUp]
    public void Clear() => _lines.Clear();

    private static byte[] Diff<T>(T current, T existing)
        where T : class, ISyncState<T> => SyncDiffs.Diff(current, existing);

    /// <summary>Pieces of output a session shows: colours, wide and combining characters, scrolling, regions,
    /// editing, titles, the alternate screen, modes, and text that fills the last column.</summary>
    private static readonly string[] s_output =
    [
        "\e[1;31mred\e[0m \e[38;5;208morange\e[48;2;10;20;30m true colour \e[0m\e[4;7munder\e[0m\r\n",
        "wide: 你好世界 😀 e\u0301 a\u0308\u0332 ｆｕｌｌ\r\n",
        string.Concat(Enumerable.Range(0, 40).Select(i => $"scrolling line {i}\r\n")),
        "\e[5;10r\e[10;1H" + string.Concat(Enumerable.Range(0, 12).Select(i => $"region {i}\r\n")) + "\e[r",
        "\e[3;1H\e[2L\e[4;5H\e[3P\e[6;1H\e[1M\e[K\e[1J",
        "\e]0;title with 漢字\a\e]1;icon\a",
        "\e[?1049h\e[H\e[2Jalternate screen \e[32mgreen\e[0m\e[?1049l",
        "\e[?25l\e[?5h\e[?2004h\e[?1000h\e[?1006h",
        "\e[?25h\e[?5l\e[?2004l\e[?1000l",
        new string('x', 200) + "\r\n",
        "\e[1;1H" + new string('y', 79) + "界\r\n",
        "\e[2J\e[H\e[44m\e[K blue background erase\e[0m\r\n",
        "\e[12;40H\e[7mcursor moved\e[0m\e7\e[20;1Hsaved\e8",
        "\a\a bells",
        "\t tab\e[3g\e[1;20H\eH\r\t\e[0m",
        "\e]8;id=x;http://example.com/\alink\e]8;;\a after",
        "\e]8;;http://a/\apen still linked",
    ];

    /// <summary>
    /// Runs <paramref name="steps"/> random pieces of output (and some resizes) through a terminal, checking each
    /// diff from one of the last four states sent as the sender would; returns the warnings.
    /// </summary>
    private List<string> VerifyRandomSession(string[] output, int steps, bool resize)
    {
        var verifier = new SentDiffVerifier<CompleteTerminal>(_lines.Add);
        var random = new Random(20260714);
        var current = new CompleteTerminal(80, 24);
        List<CompleteTerminal> sent = [current.Clone()];
        (int Width, int Height)[] sizes = [(80, 24), (60, 20), (100, 30), (40, 10), (132, 43)];
        for (int step = 0; step < steps; step++)
        {
            if (resize && random.Next(10) == 0)
            {
                (int width, int height) = sizes[random.Next(sizes.Length)];
                current.Resize(width, height);
            }

            current.Write(Encoding.UTF8.GetBytes(output[random.Next(output.Length)]));
            // The sender diffs from whichever recent state it assumes the receiver holds, not just the last one.
            CompleteTerminal assumed = sent[Math.Max(0, sent.Count - 1 - random.Next(4))];
            _ = verifier.Verify(assumed, Diff(current, assumed), current);
            sent.Add(current.Clone());
        }

        return _lines;
    }

    [Test]
    public void A_real_terminals_diffs_over_colours_wide_characters_links_scrolling_and_resizes_always_round_trip()
    {
        List<string> warnings = VerifyRandomSession(s_output, 400, resize: true);

        // The target-state check may fire here, as upstream's does: see the erased-cells test below.
        Assert.That(warnings, Has.None.EqualTo(RoundTripWarning));
        Assert.That(warnings, Is.All.EqualTo(TargetStateWarning));
    }

    [Test]
    public void A_real_terminals_diffs_that_never_blank_out_text_verify_silently()
    {
        // Everything but erasing written text in place (which the display may redraw as spaces).
        string[] output =
        [
            "\e[1;31mred\e[0m \e[38;5;208morange\e[48;2;10;20;30m true colour \e[0m\e[4;7munder\e[0m\r\n",
            "wide: 你好世界 😀 e\u0301 a\u0308\u0332 ｆｕｌｌ\r\n",
            string.Concat(Enumerable.Range(0, 40).Select(i => $"scrolling line {i}\r\n")),
            "\e]0;title with 漢字\a\e]1;icon\a",
            "\e]8;id=x;http://example.com/\alink\e]8;;\a after\r\n",
            "\e[?25l\e[?5h\e[?2004h\e[?1000h\e[?1006h",
            "\e[?25h\e[?5l\e[?2004l\e[?1000l",
            new string('x', 200) + "\r\n",
            "\a\a bells\r\n",
        ];

        List<string> warnings = VerifyRandomSession(output, 300, resize: false);

        Assert.That(warnings, Is.Empty);
    }

    /// <summary>Writes each piece as one frame and checks its diff from the frame before, as the sender does.</summary>
    private List<string> VerifyFrames(params string[] frames)
    {
        var verifier = new SentDiffVerifier<CompleteTerminal>(_lines.Add);
        var current = new CompleteTerminal(80, 24);
        CompleteTerminal sent = current.Clone();
        foreach (string frame in frames)
        {
            current.Write(Encoding.UTF8.GetBytes(frame));
            _ = verifier.Verify(sent, Diff(current, sent), current);
            sent = current.Clone();
        }

        return _lines;
    }

    [Test]
    public void Rows_filled_to_the_last_column_on_one_frame_and_wrapped_on_the_next_verify_silently()
    {
        // Upstream's emulation-wrap-across-frames: the sender's own state holds a pending wrap at the end of each
        // frame, and the diff replayed onto it must not print one column to the right.
        List<string> frames = ["\e[H\e[J"];
        for (int i = 0; i < 10; i++)
        {
            frames.Add("abcd" + new string('X', 72) + "1234");
            frames.Add("ABCD" + new string('x', 72) + "5678");
        }

        frames.Add("\r\n");

        Assert.That(VerifyFrames([.. frames]), Is.Empty);
    }

    [Test]
    public void A_combining_character_printed_on_a_fresh_row_verifies_silently()
    {
        // Upstream's unicode-later-combining: U+0302 alone on a row is stored as a fallback cell by the sender and
        // reaches the receiver as a no-break space plus U+0302; both print the same.
        Assert.That(VerifyFrames("abc\r\n", "\u0302\r\n", "def\r\n"), Is.Empty);
        Assert.That(VerifyFrames("abc\r\n\u0302\r\ndef\r\n"), Is.Empty);
    }

    [Test]
    public void Text_erased_in_place_round_trips_but_fails_the_target_state_check_as_upstreams_does()
    {
        // A short erase over text reaches the client as spaces (upstream's display does the same), so the client
        // holds spaces where the server holds erased cells: equal to upstream's compare(), which takes a blank for a
        // space, but each draws its own init diff. Upstream's e2e test skips this warning for that reason.
        var verifier = new SentDiffVerifier<CompleteTerminal>(_lines.Add);
        var receiver = new CompleteTerminal(80, 24);
        receiver.Write("abcdefgh"u8);
        CompleteTerminal current = receiver.Clone();
        current.Write("\e[1;3H\e[3X"u8);

        bool passed = verifier.Verify(receiver, Diff(current, receiver), current);

        Assert.That(passed, Is.False);
        Assert.That(_lines, Is.EqualTo(new[] { TargetStateWarning }));
    }

    [Test]
    public void An_unchanged_state_and_its_empty_diff_verify_silently()
    {
        var verifier = new SentDiffVerifier<CompleteTerminal>(_lines.Add);
        var terminal = new CompleteTerminal(80, 24);
        terminal.Write("some \e[1mtext\e[0m"u8);

        Assert.That(verifier.Verify(terminal.Clone(), [], terminal), Is.True);
        Assert.That(_lines, Is.Empty);
    }

    [Test]
    public void A_user_streams_diffs_verify_silently()
    {
        var verifier = new SentDiffVerifier<UserStream>(_lines.Add);
        var current = new UserStream();
        current.PushKeystrokes("ls -l"u8);
        UserStream older = current.Clone();
        current.PushResize(100, 30);
        current.PushKeystrokes("\r"u8);

        Assert.That(verifier.Verify(older, Diff(current, older), current), Is.True);
        Assert.That(verifier.Verify(new UserStream(), Diff(current, new UserStream()), current), Is.True);
        Assert.That(_lines, Is.Empty);
    }

    [Test]
    public void A_failed_terminal_round_trip_first_names_the_cells_and_cursor_that_differ_in_upstreams_words()
    {
        var verifier = new SentDiffVerifier<CompleteTerminal>(_lines.Add);
        var receiver = new CompleteTerminal(80, 24);
        CompleteTerminal current = receiver.Clone();
        current.Write("\e[2;3Hx"u8);

        _ = verifier.Verify(receiver, [], current); // a diff that lost everything

        Assert.That(_lines, Is.EqualTo(new[]
        {
            "Graphemes: 'x' vs. ' '",
            "Cell (1, 2) differs.",
            "Cursor mismatch: (1, 3) vs. (0, 0).",
            RoundTripWarning,
            TargetStateWarning,
        }));
    }

    [Test]
    public void A_lost_combining_character_on_its_own_is_named_after_a_no_break_space_as_upstream_prints_it()
    {
        var verifier = new SentDiffVerifier<CompleteTerminal>(_lines.Add);
        var receiver = new CompleteTerminal(80, 24);
        CompleteTerminal current = receiver.Clone();
        current.Write("\u0301"u8);

        _ = verifier.Verify(receiver, [], current);

        Assert.That(_lines[0], Is.EqualTo("Graphemes: '\u00A0\u0301' vs. ' '"));
    }

    [Test]
    public void A_lost_resize_is_named_as_upstreams_framebuffer_size_difference()
    {
        var verifier = new SentDiffVerifier<CompleteTerminal>(_lines.Add);
        var receiver = new CompleteTerminal(80, 24);
        CompleteTerminal current = receiver.Clone();
        current.Resize(100, 30);

        _ = verifier.Verify(receiver, [], current);

        Assert.That(_lines.Take(2), Is.EqualTo(new[] { "Framebuffer size (100x30, 80x24) differs.", RoundTripWarning }));
    }

    [Test]
    public void A_diff_that_loses_content_on_the_way_prints_upstreams_round_trip_warning()
    {
        var verifier = new SentDiffVerifier<NotedLog>(_lines.Add);
        var receiver = new NotedLog { DroppedByte = (byte)'!' };
        NotedLog current = receiver.Clone();
        current.Append("hello!"u8);

        bool passed = verifier.Verify(receiver, Diff(current, receiver), current);

        // The lost byte is in the init diff too, so the target-state check fails after it, in upstream's order.
        Assert.That(passed, Is.False);
        Assert.That(_lines, Is.EqualTo(new[] { RoundTripWarning, TargetStateWarning }));
    }

    [Test]
    public void A_diff_whose_lost_part_equality_ignores_prints_only_the_target_state_warning()
    {
        // As upstream's compare() looks at cells and cursor but not at the title its init diff draws.
        var verifier = new SentDiffVerifier<NotedLog>(_lines.Add);
        var receiver = new NotedLog { DropsNote = true };
        NotedLog current = receiver.Clone();
        current.Append("text"u8);
        current.Note = "title";

        bool passed = verifier.Verify(receiver, Diff(current, receiver), current);

        Assert.That(passed, Is.False);
        Assert.That(_lines, Is.EqualTo(new[] { TargetStateWarning }));
    }

    [Test]
    public void A_diff_the_receiver_refuses_fails_the_round_trip_when_the_state_changed()
    {
        var verifier = new SentDiffVerifier<CompleteTerminal>(_lines.Add);
        var receiver = new CompleteTerminal(80, 24);
        CompleteTerminal current = receiver.Clone();
        current.Write("changed"u8);

        bool passed = verifier.Verify(receiver, [0xff, 0xff, 0xff], current);

        Assert.That(passed, Is.False);
        Assert.That(_lines, Has.Member(RoundTripWarning));
    }

    [Test]
    public void The_check_leaves_the_assumed_receiver_state_untouched()
    {
        var verifier = new SentDiffVerifier<CompleteTerminal>(_lines.Add);
        var receiver = new CompleteTerminal(80, 24);
        receiver.Write("before"u8);
        CompleteTerminal snapshot = receiver.Clone();
        CompleteTerminal current = receiver.Clone();
        current.Write("\r\nafter \e[31mred"u8);

        _ = verifier.Verify(receiver, Diff(current, receiver), current);

        Assert.That(receiver, Is.EqualTo(snapshot));
        Assert.That(receiver, Is.Not.EqualTo(current));
    }

    private static TransportSender<NotedLog> LossySender(FakeClock clock, RecordingSink sink) =>
        new(new NotedLog { DroppedByte = (byte)'!' }, new FakeConnection(), sink, clock, new Random(1));

    [Test]
    public void A_verbose_sender_checks_the_diff_it_is_about_to_send_and_still_sends_it()
    {
        var clock = new FakeClock();
        var sink = new RecordingSink(clock);
        TransportSender<NotedLog> sender = LossySender(clock, sink);
        sender.Verifier = new SentDiffVerifier<NotedLog>(_lines.Add);
        sender.Tick(); // the first empty ack: nothing to warn about
        Assert.That(_lines, Is.Empty);

        sender.CurrentState.Append("hi!"u8);
        _ = sender.WaitTime(); // as the event loop asks after input: the send is due SEND_MINDELAY later
        clock.Advance(1000);
        sender.Tick();

        Assert.That(_lines, Is.EqualTo(new[] { RoundTripWarning, TargetStateWarning }));
        Assert.That(sink.Last.Diff, Is.EqualTo(Diff(sender.CurrentState, new NotedLog())), "the check changes nothing sent");
    }
}
