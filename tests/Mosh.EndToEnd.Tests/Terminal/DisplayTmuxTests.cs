using System.Text;
using Mosh.EndToEnd.Harness;
using Mosh.Terminal;

namespace Mosh.EndToEnd.Terminal;

/// <summary>
/// The display's output in a real terminal: tmux shows a frame drawn by <c>NewFrame</c> (with its ECH, EL,
/// relative moves, wrap continuation and scrolling) exactly as it shows the same frame drawn the plain way
/// (every cell printed in its renditions, wrapped rows printed straight on), compared with
/// <c>capture-pane -p -e -J</c> (text, attributes and wrapped-line joins) and the cursor position.
/// </summary>
[TestFixture]
internal sealed class DisplayTmuxTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [TestCase(80, 24, 1)]
    [TestCase(80, 24, 2)]
    [TestCase(40, 10, 3)]
    [TestCase(132, 40, 4)]
    public async Task Full_redraw_shows_in_tmux_what_plain_drawing_shows(int width, int height, int seed)
    {
        Framebuffer frame = RealisticScreen(new Random(seed), width, height);
        byte[] diff = Encoding.UTF8.GetBytes(Display.ForServer().NewFrame(false, new Framebuffer(width, height), frame));

        await AssertSameInTmux(frame, diff);
    }

    [TestCase(80, 24, 5)]
    [TestCase(60, 15, 6)]
    public async Task Incremental_diff_with_a_scroll_shows_in_tmux_what_plain_drawing_shows(int width, int height, int seed)
    {
        var random = new Random(seed);
        var display = Display.ForServer();
        Framebuffer first = RealisticScreen(random, width, height);
        first.State.MoveRow(height - 1);
        Framebuffer second = first.Clone();
        second.Scroll(3);
        Renditions green = default;
        green.Foreground = TerminalColor.Indexed(2);
        for (int y = height - 3; y < height; y++)
        {
            Print(second.GetMutableRow(y), 0, $"new line {y} after the scroll", green);
        }

        second.State.MoveColumn(7);
        string bytes = display.NewFrame(false, new Framebuffer(width, height), first) + display.NewFrame(true, first, second);
        Assert.That(display.NewFrame(true, first, second), Does.StartWith("\e[0m\r\n\n\n"), "the scroll is sent as line feeds");

        await AssertSameInTmux(second, Encoding.UTF8.GetBytes(bytes));
    }

    private static async Task AssertSameInTmux(Framebuffer frame, byte[] diff)
    {
        using var directory = new TempDirectory("mosh-e2e-display-");
        string diffFile = directory.File("diff.bin"), plainFile = directory.File("plain.bin");
        await File.WriteAllBytesAsync(diffFile, diff);
        await File.WriteAllBytesAsync(plainFile, PlainDrawing(frame));
        var options = new TmuxOptions { Width = frame.Width, Height = frame.Height };
        await using TmuxSession drawn = await TmuxSession.StartAsync(["/bin/sh", "-c", $"cat '{diffFile}'; exec sleep 100"], options);
        await using TmuxSession plain = await TmuxSession.StartAsync(["/bin/sh", "-c", $"cat '{plainFile}'; exec sleep 100"], options);

        string expected = PaneText.Of(frame);
        await WaitForVisibleText(plain, expected, "the plain drawing");
        await WaitForVisibleText(drawn, expected, "the display's drawing");

        Assert.That(await drawn.TmuxAsync("capture-pane", "-p", "-e", "-J", "-t", "main"),
            Is.EqualTo(await plain.TmuxAsync("capture-pane", "-p", "-e", "-J", "-t", "main")), "attributes and wrapped lines");
        string cursor = $"{frame.State.CursorColumn},{frame.State.CursorRow}";
        Assert.That(await drawn.DisplayAsync("#{cursor_x},#{cursor_y}"), Is.EqualTo(cursor));
    }

    /// <summary>Waits until the visible screen (not the history lines scrolled into) shows <paramref name="expected"/>.</summary>
    private static async Task WaitForVisibleText(TmuxSession session, string expected, string what)
    {
        string last = "";
        await Poll.UntilAsync(
            async () => PaneText.Trimmed(last = await session.CapturePaneAsync()) == expected,
            Wait,
            () => $"{what}; expected:\n{expected}\nlast screen:\n{last}");
    }

    /// <summary>Every cell printed in its renditions; a row after a wrapped one is reached by printing on.</summary>
    private static byte[] PlainDrawing(Framebuffer frame)
    {
        var output = new StringBuilder("\e[H\e[2J");
        Span<byte> sgr = stackalloc byte[Renditions.MaxSgrLength];
        for (int y = 0; y < frame.Height; y++)
        {
            Row row = frame.Rows[y];
            if (y == 0 || !frame.Rows[y - 1].Wrap)
            {
                output.Append($"\e[{y + 1};1H");
            }

            // Trailing default blanks are erased (a terminal keeps printed spaces apart from erased cells).
            int end = row.Width;
            while (!row.Wrap && end > 0 && row[end - 1].IsEmpty && row[end - 1].Renditions == default)
            {
                end--;
            }

            if (y > 0 && frame.Rows[y - 1].Wrap)
            {
                end = Math.Max(end, 1); // the terminal wraps the previous row only when something is printed
            }

            for (int x = 0; x < end; x++)
            {
                output.Append(Encoding.ASCII.GetString(sgr[..row[x].Renditions.FormatSgr(sgr)]));
                output.Append(row[x].IsEmpty ? " " : (row[x].IsFallback ? "\u00A0" : "") + row.GetTextString(x));
                if (row[x].IsWide)
                {
                    x++;
                }
            }

            if (end < row.Width)
            {
                output.Append("\e[0m\e[K");
            }
        }

        output.Append($"\e[0m\e[{frame.State.CursorRow + 1};{frame.State.CursorColumn + 1}H");
        return Encoding.UTF8.GetBytes(output.ToString());
    }

    private static void Print(Row row, int x, string text, Renditions renditions)
    {
        foreach (char c in text)
        {
            if (x < row.Width)
            {
                row.SetCharacter(x++, c, renditions, wide: false);
            }
        }
    }

    /// <summary>Shell- and editor-like content: coloured words, gaps, wide and combining characters, wrapped lines.</summary>
    private static Framebuffer RealisticScreen(Random random, int width, int height)
    {
        var frame = new Framebuffer(width, height);
        var palette = new Renditions[6];
        palette[1].Foreground = TerminalColor.Indexed(1);
        palette[2].Set(TextAttributes.Bold, true);
        palette[2].Foreground = TerminalColor.Indexed(200);
        palette[3].Background = TerminalColor.Indexed(4);
        palette[4].Foreground = TerminalColor.Rgb(250, 128, 10);
        palette[4].Set(TextAttributes.Underline, true);
        palette[5].Set(TextAttributes.Inverse, true);
        string[] words = ["ls", "-la", "mosh", "drwxr-xr-x", "naïve", "中文字", "emoji😀", "e\u0301", "total", "42", "/usr/bin"];
        for (int y = 0; y < height; y++)
        {
            Row row = frame.GetMutableRow(y);
            if (random.Next(5) == 0)
            {
                continue;
            }

            int x = random.Next(3) == 0 ? random.Next(width / 2) : 0;
            bool fill = random.Next(4) == 0;
            while (x < width)
            {
                string word = words[random.Next(words.Length)];
                Renditions renditions = palette[random.Next(palette.Length)];
                foreach (Rune rune in word.EnumerateRunes())
                {
                    int w = CharWidth.Of(rune.Value);
                    if (w == 0 && x > 0)
                    {
                        row.AppendToCell(x - 1, rune.Value);
                        continue;
                    }

                    if (x + w > width)
                    {
                        break;
                    }

                    row.SetCharacter(x, rune.Value, renditions, wide: w == 2);
                    if (w == 2)
                    {
                        row.ResetCell(x + 1, renditions.Background);
                    }

                    x += w;
                }

                x += fill ? 1 : random.Next(1, 12);
                if (!fill && random.Next(4) == 0)
                {
                    break;
                }
            }

            if (random.Next(6) == 0)
            {
                // A lone mark on an empty cell.
                int at = random.Next(width);
                if (row[at].IsEmpty && (at == 0 || !row[at - 1].IsWide))
                {
                    row.AppendToCell(at, 0x301);
                    row.SetFallback(at, true);
                }
            }

            row.Wrap = fill && y < height - 1 && !row[width - 1].IsEmpty;
        }

        frame.State.MoveRow(random.Next(height));
        frame.State.MoveColumn(random.Next(width));
        return frame;
    }
}
