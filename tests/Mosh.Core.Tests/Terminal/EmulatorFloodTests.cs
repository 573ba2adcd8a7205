using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>
/// The emulator's flood path (whole plain lines that scroll through the screen within one write go to the scrollback
/// as text, never as cells) must leave the same screen, cursor and scrollback as printing every line. A write of one
/// byte never takes the path (no whole line follows a line feed in it), so an emulator fed a byte at a time is the
/// reference.
/// </summary>
[TestFixture]
public class EmulatorFloodTests
{
    private static void AssertSame(Emulator actual, RecordingScrollback actualLines, Emulator expected, RecordingScrollback expectedLines)
    {
        Framebuffer a = actual.Framebuffer, e = expected.Framebuffer;
        Assert.That(actualLines.Lines, Is.EqualTo(expectedLines.Lines), "scrollback");
        Assert.That(a.ToString(), Is.EqualTo(e.ToString()), "screen text");
        Assert.That(a.Equals(e), Is.True, "screen (cells, wrap flags, displayed state)");
        for (int row = 0; row < a.Height; row++)
        {
            Assert.That(a.GetRow(row).Wrap, Is.EqualTo(e.GetRow(row).Wrap), $"wrap flag of row {row}");
        }

        DrawState sa = a.State, se = e.State;
        Assert.That((sa.CursorRow, sa.CursorColumn, sa.CombiningRow, sa.CombiningColumn, sa.NextPrintWillWrap),
            Is.EqualTo((se.CursorRow, se.CursorColumn, se.CombiningRow, se.CombiningColumn, se.NextPrintWillWrap)), "cursor");
        Assert.That(sa.Renditions, Is.EqualTo(se.Renditions), "renditions");
    }

    [TestCase(1000)]
    [TestCase(20000)] // a write of 129 KB: scanned 16 KiB at a time
    public void A_flood_of_numbered_lines_reaches_the_scrollback_as_text_and_leaves_the_last_lines_on_the_screen(int count)
    {
        const int width = 10, height = 4;
        var builder = new StringBuilder();
        for (int n = 1; n <= count; n++)
        {
            builder.Append(n).Append("\r\n");
        }

        byte[] flood = Encoding.ASCII.GetBytes(builder.ToString());
        var (terminal, scrollback) = RecordingScrollback.NewTerminal(width, height);
        terminal.Write(flood);

        // count line feeds from the top row: all but the last three lines scrolled off, which are above a blank bottom row.
        Assert.That(scrollback.Lines, Is.EqualTo(Enumerable.Range(1, count - 3).Select(n => n.ToString()).ToList()));
        Assert.That(terminal.Framebuffer.ToString(), Is.EqualTo($"{count - 2,-10}\n{count - 1,-10}\n{count,-10}\n          "));
        Assert.That((terminal.Framebuffer.State.CursorRow, terminal.Framebuffer.State.CursorColumn), Is.EqualTo((3, 0)));
        Assert.That(scrollback.PlainLines, Is.GreaterThan(count * 9 / 10), "the flood path took most lines");

        var (reference, referenceLines) = RecordingScrollback.NewTerminal(width, height);
        foreach (byte b in flood)
        {
            reference.Write([b]);
        }

        Assert.That(referenceLines.PlainLines, Is.Zero, "a byte at a time never takes the flood path");
        AssertSame(terminal, scrollback, reference, referenceLines);
    }

    [Test]
    public void Trailing_spaces_of_flooded_lines_are_dropped_as_a_rows_trailing_blanks_are()
    {
        var (terminal, scrollback) = RecordingScrollback.NewTerminal(12, 2);
        terminal.Write("a b  \r\n   \r\n\r\nx \r\ny\r\n"u8);
        Assert.That(scrollback.Lines, Is.EqualTo(new[] { "a b", "", "", "x" }));
        Assert.That(scrollback.PlainLines, Is.EqualTo(3), "the lines after the first line feed (which reaches the bottom row)");
        Assert.That(terminal.Framebuffer.ToString(), Is.EqualTo("y           \n            "));
    }

    /// <summary>Random output (floods of plain lines mixed with everything that must stop or change a flood) in random writes.</summary>
    [Test]
    public void Random_output_in_random_writes_leaves_the_same_screen_and_scrollback_as_a_byte_at_a_time([Range(1, 120)] int seed)
    {
        var (terminal, scrollback, reference, referenceLines) = RunRandom(seed);
        AssertSame(terminal, scrollback, reference, referenceLines);
    }

    [Test]
    public void The_random_outputs_take_the_flood_path_often()
    {
        int taken = 0;
        for (int seed = 1; seed <= 120; seed++)
        {
            taken += RunRandom(seed).Scrollback.PlainLines > 0 ? 1 : 0;
        }

        Assert.That(taken, Is.GreaterThan(60), "seeds whose output took the flood path at least once");
    }

    private static (Emulator Terminal, RecordingScrollback Scrollback, Emulator Reference, RecordingScrollback ReferenceLines) RunRandom(int seed)
    {
        var random = new Random(seed);
        int width = random.Next(2, 30), height = random.Next(1, 9);
        byte[] output = RandomOutput(random, width, height);

        var (terminal, scrollback) = RecordingScrollback.NewTerminal(width, height);
        for (int at = 0; at < output.Length;)
        {
            int length = Math.Min(output.Length - at, random.Next(3) == 0 ? random.Next(1, 40) : random.Next(40, 4000));
            terminal.Write(output.AsSpan(at, length));
            at += length;
        }

        var (reference, referenceLines) = RecordingScrollback.NewTerminal(width, height);
        foreach (byte b in output)
        {
            reference.Write([b]);
        }

        return (terminal, scrollback, reference, referenceLines);
    }

    private static byte[] RandomOutput(Random random, int width, int height)
    {
        var text = new StringBuilder();
        string[] others =
        [
            "\e[31m", "\e[0m", "\e[1;42m", "\e[m", "\e[4h", "\e[4l", "\e[?7l", "\e[?7h", "\e[?1049h", "\e[?1049l",
            "\e[2J", "\e[K", "\e[S", "\e[T", "\e[L", "\e[M", "\e[r", "\e[6h", "\e[6l", "\e[20h", "\e[20l", "\e7", "\e8",
            "\eM", "\eD", "\eE", "\t", "\b", "\r", "\n", "\v", "λ", "日本", "e\u0301", "\u0301", "\e]0;title\a",
            "\e[38;5;200mx\e[0m", "\e[41m \e[0m",
        ];
        int pieces = random.Next(50, 300);
        for (int p = 0; p < pieces; p++)
        {
            switch (random.Next(8))
            {
                case 0:
                case 1:
                case 2:
                    // A flood: plain lines, now and then one as wide as the screen, a bare LF or a CR alone.
                    int lines = random.Next(1, 4 * height + 8);
                    for (int i = 0; i < lines; i++)
                    {
                        int length = random.Next(8) == 0 ? random.Next(width - 1, width + 2) : random.Next(0, width);
                        for (int c = 0; c < length; c++)
                        {
                            text.Append(random.Next(200) switch
                            {
                                0 => '\x7F', // DEL: nothing printed
                                1 => '\a',
                                2 => '\0',
                                3 => '\x1F',
                                4 => 'é',
                                < 40 => ' ',
                                _ => (char)random.Next(0x21, 0x7F),
                            });
                        }

                        text.Append(random.Next(30) switch { 0 => "\n", 1 => "\r", 2 => "\n\r", _ => "\r\n" });
                    }

                    break;
                case 3:
                    text.Append($"\e[{random.Next(0, height + 2)};{random.Next(0, width + 2)}H");
                    break;
                case 4:
                    int top = random.Next(1, height + 1);
                    text.Append($"\e[{top};{random.Next(top, height + 2)}r");
                    break;
                default:
                    text.Append(others[random.Next(others.Length)]);
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
