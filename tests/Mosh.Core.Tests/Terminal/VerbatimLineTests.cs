using System.Buffers;
using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>
/// A row printed left to right keeps what the application wrote for it (<see cref="VerbatimLine"/>), and the server
/// stores those bytes, encoding them (<see cref="VerbatimLineEncoder"/>) only when a frame carries the line, instead of
/// encoding the row's cells. <see cref="RecordingScrollback"/> throws when the encoded bytes differ from
/// <see cref="HistoryLine.Encode"/> of the same row, so every line these tests scroll off is checked byte for byte.
/// </summary>
[TestFixture]
public class VerbatimLineTests
{
    /// <summary>A one-row terminal whose row was blanked while the scrollback listened: each line feed scrolls a line off.</summary>
    private static (Emulator Terminal, RecordingScrollback Scrollback) Primed(int width)
    {
        var (terminal, scrollback) = RecordingScrollback.NewTerminal(width, 1);
        terminal.Write("\n"u8);
        scrollback.Lines.Clear();
        return (terminal, scrollback);
    }

    private static List<string> ScrollOff(string output, int width = 20)
    {
        var (terminal, scrollback) = Primed(width);
        int before = scrollback.VerbatimLines;
        terminal.Write(Encoding.UTF8.GetBytes(output));
        Assert.That(scrollback.VerbatimLines - before, Is.EqualTo(scrollback.Lines.Count), "every line kept its bytes");
        Assert.That(scrollback.EncoderFallbacks, Is.Zero, "the encoder followed every kept row");
        return scrollback.Lines;
    }

    [Test]
    public void Coloured_words_are_kept_and_encoded_with_their_sgr_and_a_final_reset()
    {
        Assert.That(ScrollOff("\e[38;5;200mmosh\e[0m \e[1;31mssp\e[0m\r\n"),
            Is.EqualTo(new[] { "\e[0;38;5;200mmosh\e[0m \e[0;1;31mssp\e[0m" }));
    }

    [Test]
    public void Trailing_spaces_in_plain_renditions_are_dropped_and_coloured_ones_kept()
    {
        Assert.That(ScrollOff("\e[31mab\e[0m   \r\n\e[41m  \e[0m  \r\n\e[mx  y  \r\n"),
            Is.EqualTo(new[] { "\e[0;31mab\e[0m", "\e[0;41m  \e[0m", "x  y" }));
    }

    [Test]
    public void A_row_begun_under_a_coloured_background_keeps_its_coloured_blanks()
    {
        // The word wraps while its background is set, so the next row is blanked in that colour (BCE).
        Assert.That(ScrollOff("\e[44m0123456789AB\e[0m\r\n", width: 10),
            Is.EqualTo(new[] { "\e[0;44m0123456789\e[0m", "\e[0;44mAB        \e[0m" }));
    }

    [Test]
    public void Wide_characters_and_non_ascii_text_are_kept_and_encoded_as_utf8()
    {
        Assert.That(ScrollOff("λ 日本\u00A0→ \U0001F600!\r\n"), Is.EqualTo(new[] { "λ 日本\u00A0→ \U0001F600!" }));
    }

    [Test]
    public void Erasing_past_the_text_in_the_default_background_keeps_the_bytes()
    {
        // ls --color ends its coloured names with EL.
        Assert.That(ScrollOff("\e[1;34mdir\e[0m\e[K  file\e[K\r\n"), Is.EqualTo(new[] { "\e[0;1;34mdir\e[0m  file" }));
    }

    [TestCase("abcdef\rXY\r\n", "XYcdef", TestName = "Overwriting_after_a_carriage_return_abandons_the_bytes")]
    [TestCase("abc\e[1D\e[KZ\r\n", "abZ", TestName = "Erasing_printed_cells_abandons_the_bytes")]
    [TestCase("a\tb\r\n", "a       b", TestName = "A_tab_that_skips_cells_abandons_the_bytes")]
    [TestCase("e\u0301x\r\n", "e\u0301x", TestName = "A_combining_mark_abandons_the_bytes")]
    [TestCase("abc\e[4h\e[2DZ\e[4l\r\n", "aZbc", TestName = "Insert_mode_abandons_the_bytes")]
    [TestCase("ab\e[41m\e[K\e[0mc\r\n", "abc\e[0;41m                 \e[0m", TestName = "Erasing_in_a_colour_abandons_the_bytes")]
    public void Changes_the_bytes_do_not_follow_leave_the_line_to_the_cells(string output, string expected)
    {
        var (terminal, scrollback) = Primed(20);
        int before = scrollback.VerbatimLines;
        terminal.Write(Encoding.UTF8.GetBytes(output + "\e[mnext\r\n")); // an SGR keeps it off the flood path
        Assert.That(scrollback.Lines, Is.EqualTo(new[] { expected, "next" }));
        Assert.That(scrollback.VerbatimLines - before, Is.EqualTo(1), "only the changed row did not keep its bytes");
    }

    [Test]
    public void A_row_copied_for_a_snapshot_keeps_its_bytes_in_the_copy_the_screen_goes_on_writing()
    {
        var (terminal, scrollback) = Primed(20);
        int before = scrollback.VerbatimLines;
        terminal.Write("\e[32mhalf"u8);
        Framebuffer snapshot = terminal.Framebuffer.Clone(); // shares the row being printed: the next print copies it
        terminal.Write(" line\e[0m\r\n\e[mnext\r\n"u8);
        Assert.That(scrollback.Lines, Is.EqualTo(new[] { "\e[0;32mhalf line\e[0m", "next" }));
        Assert.That(snapshot.GetRow(0).ToString().TrimEnd(), Is.EqualTo("half"));
        Assert.That(scrollback.VerbatimLines - before, Is.EqualTo(2), "the copy took the row's bytes over");
        Assert.That(snapshot.GetRow(0).TryTakeVerbatim(out _, out _, out _), Is.False, "the snapshot's row keeps none");
    }

    [Test]
    public void A_row_made_a_copy_of_another_keeps_no_bytes_and_a_reset_lets_it_start_afresh()
    {
        Row row = Row.CreateBlank(10, default);
        row.EnableVerbatim(default);
        Assert.That(row.TryStartVerbatim(default), Is.True);
        row.SetAscii(0, "mine"u8, default);
        row.AppendVerbatim("mine"u8);
        row.CloseVerbatim();
        Row other = Row.CreateBlank(10, default);
        other.SetAscii(0, "theirs"u8, default);

        row.CopyFrom(other, owner: 0); // a frame's spare row reused for a copy
        Assert.That(row.TryTakeVerbatim(out _, out _, out _), Is.False, "the copy's line comes from its cells");

        row.Reset(default);
        Assert.That(row.TryStartVerbatim(default), Is.True);
        row.SetAscii(0, "again"u8, default);
        row.AppendVerbatim("again"u8);
        Assert.That(row.TryTakeVerbatim(out _, out _, out _), Is.False, "not before the application finished the row");
        row.CloseVerbatim();
        Assert.That(row.TryTakeVerbatim(out _, out _, out ReadOnlySpan<byte> bytes), Is.True);
        Assert.That(Encoding.ASCII.GetString(bytes), Is.EqualTo("again"));
        row.SetAscii(5, "!"u8, default);
        Assert.That(row.TryTakeVerbatim(out _, out _, out _), Is.False, "a print after the row was finished abandons it");
    }

    [Test]
    public void Bytes_the_encoder_does_not_follow_are_encoded_from_a_one_row_emulator_s_cells()
    {
        // A tab is never in a kept row's bytes; were it there, the line would still be what the emulator makes of them.
        var encoder = new VerbatimLineEncoder();
        var line = new ArrayBufferWriter<byte>();
        encoder.Encode(12, Renditions.Of(TerminalColor.Indexed(1), default, TextAttributes.None), default, "ab\tc\e[0m"u8, line);

        var terminal = new Emulator(12, 1);
        terminal.Write("\e[31mab\tc\e[0m"u8);
        var expected = new ArrayBufferWriter<byte>();
        HistoryLine.Encode(terminal.Framebuffer.GetRow(0), expected);
        Assert.That(line.WrittenSpan.ToArray(), Is.EqualTo(expected.WrittenSpan.ToArray()));
        Assert.That(encoder.Fallbacks, Is.EqualTo(1));
    }

    [Test]
    public void A_terminal_without_a_scrollback_keeps_no_bytes()
    {
        var terminal = new Emulator(20, 3);
        terminal.Write("\n\n\n\e[31mred\e[0m\r\n"u8);
        Assert.That(terminal.Framebuffer.GetRow(1).TryTakeVerbatim(out _, out _, out _), Is.False);
    }

    [Test]
    public void A_row_written_across_many_writes_keeps_every_byte()
    {
        var (terminal, scrollback) = Primed(20);
        foreach (byte b in "\e[38;5;200mmo\u03BBsh\e[0m \e[1;31mssp\e[0m\r\n"u8)
        {
            terminal.Write([b]); // escape sequences and characters cut anywhere
        }

        Assert.That(scrollback.Lines, Is.EqualTo(new[] { "\e[0;38;5;200mmo\u03BBsh\e[0m \e[0;1;31mssp\e[0m" }));
        Assert.That(scrollback.VerbatimLines, Is.EqualTo(1));
    }

    /// <summary>
    /// Random styled output of the kinds that keep and that abandon their bytes (SGR of every form, hyperlinks, wide and
    /// combining characters, wraps under a coloured background, erases, tabs, cursor moves, insert mode, autowrap off,
    /// scrolling regions, the alternate screen, snapshots, resizes) in random writes: every line encoded from kept bytes equals its
    /// row's encoding (the recording scrollback checks each).
    /// </summary>
    [Test]
    public void Random_styled_output_keeps_bytes_that_encode_exactly_as_the_cells([Range(1, 60)] int seed)
    {
        RecordingScrollback scrollback = null!;
        Assert.DoesNotThrow(() => scrollback = RunRandom(seed)); // the recording scrollback throws on kept bytes unlike their row
        Assert.That(scrollback.EncoderFallbacks, Is.Zero, "the encoder followed every kept row");
    }

    [Test]
    public void Many_lines_of_the_random_styled_outputs_keep_their_bytes()
    {
        int lines = 0, kept = 0;
        for (int seed = 1; seed <= 60; seed++)
        {
            RecordingScrollback scrollback = RunRandom(seed);
            lines += scrollback.Lines.Count;
            kept += scrollback.VerbatimLines;
        }

        // Cursor moves, erases, tabs, mode changes and hyperlinks (all frequent here) leave many rows to their cells.
        Assert.That(kept, Is.GreaterThan(lines / 5), $"{kept} of {lines} lines kept their bytes");
    }

    /// <summary>Bulk coloured output as the performance comparison's (coloured words, wide characters, wrapped lines).</summary>
    [Test]
    public void Bulk_coloured_lines_keep_their_bytes_through_writes_and_snapshots()
    {
        var random = new Random(5);
        var (terminal, scrollback) = RecordingScrollback.NewTerminal(80, 24);
        string[] words = ["mosh", "state", "sync", "terminal", "λ", "näive", "日本", "→"];
        var text = new StringBuilder();
        for (int n = 0; n < 3000; n++)
        {
            text.Append($"{n:0000000} ");
            for (int visible = 0; visible < 70;)
            {
                string word = words[random.Next(words.Length)];
                text.Append(random.Next(3) switch
                {
                    0 => $"\e[38;5;{random.Next(256)}m",
                    1 => $"\e[1;3{random.Next(8)}m",
                    _ => $"\e[48;5;{random.Next(256)};38;5;{random.Next(256)}m",
                }).Append(word).Append("\e[0m ");
                visible += (word == "日本" ? 4 : word.Length) + 1;
            }

            text.Append("\r\n"); // the pty's ONLCR turns a program's LF into CR LF
        }

        byte[] output = Encoding.UTF8.GetBytes(text.ToString());
        int snapshots = 0;
        for (int at = 0; at < output.Length; at += 4095)
        {
            terminal.Write(output.AsSpan(at, Math.Min(4095, output.Length - at)));
            if (at % (10 * 4095) == 0)
            {
                _ = terminal.Framebuffer.Clone();
                snapshots++;
            }
        }

        Assert.That(scrollback.Lines.Count, Is.GreaterThan(3000));
        Assert.That(snapshots, Is.GreaterThan(10));
        // A wrap taken by a character cut between two writes (decoded a byte at a time) leaves its row to the cells.
        int writes = (output.Length + 4094) / 4095;
        Assert.That(scrollback.VerbatimLines, Is.GreaterThanOrEqualTo(scrollback.Lines.Count - 24 - (writes / 10)),
            "all but the first screenful and a few rows at the writes' edges");
        Assert.That(scrollback.EncoderFallbacks, Is.Zero);
    }

    private static RecordingScrollback RunRandom(int seed)
    {
        var random = new Random(seed);
        int width = random.Next(4, 90), height = random.Next(2, 12);
        var (terminal, scrollback) = RecordingScrollback.NewTerminal(width, height);
        byte[] output = RandomStyledOutput(random, width, height);
        for (int at = 0; at < output.Length;)
        {
            int length = Math.Min(output.Length - at, random.Next(1, 3000));
            terminal.Write(output.AsSpan(at, length));
            at += length;
            if (random.Next(40) == 0)
            {
                _ = terminal.Framebuffer.Clone(); // a snapshot: the rows it shares are copied before the next write
            }

            if (random.Next(200) == 0)
            {
                width = Math.Max(4, width + random.Next(-3, 4));
                terminal.Resize(width, height);
            }
        }

        return scrollback;
    }

    private static byte[] RandomStyledOutput(Random random, int width, int height)
    {
        string[] words = ["mosh", "ssp", "λ", "näive", "日本", "→", "✓", "\u00A0", " ", "  ", "e\u0301", "\U0001F600"];
        string[] sgrs =
        [
            "\e[0m", "\e[m", "\e[31m", "\e[1;32m", "\e[4;95m", "\e[38;5;200m", "\e[48;5;17;38;5;230m", "\e[44m",
            "\e[38:2:1:2:3m", "\e[7m", "\e[22;24m", "\e[39;49m",
        ];
        string[] others =
        [
            "\e[K", "\e[1K", "\e[2K", "\e[3X", "\t", "\b", "\r", "\e[2D", "\e[5C", "\e[4h", "\e[4l", "\e[?7l", "\e[?7h",
            "\e[2@", "\e[2P", "\e[L", "\e[M", "\e[S", "\e[?1049h", "\e[?1049l", "\e]8;;http://x\e\\", "\e]8;;\e\\",
            "\e#8",
        ];
        var text = new StringBuilder();
        int pieces = random.Next(400, 1500);
        for (int p = 0; p < pieces; p++)
        {
            int kind = random.Next(40);
            if (kind < 30)
            {
                // A coloured line of words, as bulk coloured output has them, sometimes wider than the screen.
                int columns = random.Next(0, width * 3 / 2);
                for (int c = 0; c < columns;)
                {
                    string word = random.Next(3) == 0 ? words[random.Next(words.Length)] : new string((char)random.Next('a', 'z' + 1), random.Next(1, 9));
                    text.Append(sgrs[random.Next(sgrs.Length)]).Append(word);
                    if (random.Next(2) == 0)
                    {
                        text.Append("\e[0m");
                    }

                    text.Append(' ');
                    c += word.Length + 1;
                }

                text.Append(random.Next(20) switch { 0 => "\n", 1 => "\e[0m\r\n", 2 => "", _ => "\r\n" });
            }
            else if (kind < 33)
            {
                text.Append($"\e[{random.Next(1, height + 1)};{random.Next(1, width + 1)}H");
            }
            else if (kind == 33)
            {
                int top = random.Next(1, height + 1);
                text.Append(random.Next(2) == 0 ? "\e[r" : $"\e[{top};{random.Next(top, height + 1)}r");
            }
            else
            {
                text.Append(others[random.Next(others.Length)]);
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
