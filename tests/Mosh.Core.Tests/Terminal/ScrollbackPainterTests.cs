using System.Buffers;
using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>
/// The client's writer of history lines into the user's terminal's scrollback, checked against an emulator standing
/// in for that terminal (its scrollback is the rows that scroll off its whole screen): every line arrives once and
/// in order, an empty or zero-width line takes one row, a line wider than the whole screen arrives whole (wrapped),
/// and nothing but text and colours reaches the terminal.
/// </summary>
[TestFixture]
public class ScrollbackPainterTests
{
    [Test]
    public void Empty_zero_width_giant_and_hostile_lines_reach_the_scrollback_once_in_order_and_only_as_text()
    {
        const int width = 20, height = 6;
        var terminal = new Emulator(width, height);
        var scrollback = new RecordingScrollback();
        terminal.Framebuffer.ScrollbackSink = scrollback;
        var shown = new Framebuffer(width, height);
        var painter = new ScrollbackPainter();
        var output = new ArrayBufferWriter<byte>();
        string giant = new('g', width * height * 3 + 5); // three screens and a bit
        string[] lines = ["first", "", "\u200b\u0301", giant, "a\e[2J\e]0;title\ab\e[31mred", "last"];
        foreach (string line in lines)
        {
            painter.Add(Encoding.UTF8.GetBytes(line), shown, output);
        }

        painter.Flush(shown, output);
        terminal.Write(output.WrittenSpan);

        var expected = new List<string> { "first", "" };
        expected.Add(scrollback.Lines[2]); // the zero-width line: whatever the terminal makes of it, on one row
        for (int i = 0; i < giant.Length; i += width)
        {
            expected.Add(giant.Substring(i, Math.Min(width, giant.Length - i)));
        }

        expected.Add("a[2J]0;titleb\e[0;31mred\e[0m"); // a stray sequence's parameters print as text
        expected.Add("last");
        Assert.Multiple(() =>
        {
            Assert.That(scrollback.Lines, Is.EqualTo(expected));
            Assert.That(scrollback.Lines[2], Does.Not.Contain("first").And.Not.Contain("g"));
            Assert.That(terminal.Framebuffer.WindowTitle, Is.Empty, "no OSC reached the terminal");
            Assert.That(painter.LinesWritten, Is.EqualTo(lines.Length));
        });
    }

    [Test]
    public void After_history_lines_the_next_frame_diff_leaves_the_terminal_showing_the_frame([Range(0, 19)] int seed)
    {
        var random = new Random(300 + seed);
        (int width, int height) = DisplayScreens.RandomSize(random);
        var display = new Display(hasEch: random.Next(2) == 0, hasBce: true, hasTitle: false) { PreserveScrollback = true };
        var terminal = new Emulator(width, height);
        Framebuffer server = DisplayScreens.RandomFrame(random, width, height);
        Framebuffer shown = server.Clone();
        terminal.Write(Encoding.UTF8.GetBytes(display.NewFrame(false, new Framebuffer(width, height), shown)));
        var painter = new ScrollbackPainter();
        for (int step = 0; step < 20; step++)
        {
            var output = new ArrayBufferWriter<byte>();
            for (int i = random.Next(1, 2 * height); i > 0; i--)
            {
                painter.Add(Encoding.UTF8.GetBytes($"\e[4{random.Next(8)}mline-{step}-{i}\e[0m "), shown, output);
            }

            painter.Flush(shown, output);
            Framebuffer next = DisplayScreens.Evolve(random, server);
            var frame = new ArrayBufferWriter<byte>();
            display.NewFrame(true, shown, next, frame);
            terminal.Write(output.WrittenSpan);
            if (next.Width != shown.Width || next.Height != shown.Height)
            {
                terminal.Resize(next.Width, next.Height); // the user's window changed first
            }

            terminal.Write(frame.WrittenSpan);

            // Everything, wrap flags too, except the bottom row's: a terminal sets a row's wrap flag only by wrapping
            // out of it, which on the bottom row scrolls the screen, and a display that keeps the local scrollback
            // clean never scrolls it (the flag matters only to a terminal's copy of a line that goes on below).
            terminal.Framebuffer.GetMutableRow(next.Height - 1).Wrap = next.GetRow(next.Height - 1).Wrap;

            string? difference = DisplayScreens.Difference(next, terminal.Framebuffer, titles: false, clipboard: false);
            Assert.That(difference, Is.Null, $"seed {seed} step {step} {width}x{height}");
            server = next;
            shown = next.Clone();
        }
    }
}
