using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>
/// Random screens for the display's property tests, built the way an emulator leaves them (a wide character's
/// right half is a blank in its background, never in the last column; a cell starting with a combining mark
/// has the fallback flag; erased cells carry only a background), and the comparison "shows the same".
/// </summary>
internal static class DisplayScreens
{
    private static readonly int[] Letters = [.. "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;-_=+!?/\\|#@$%^&*()[]{}<>'\"`~".Select(c => (int)c)];

    private static readonly int[] WideCharacters = [0x4E2D, 0x6587, 0xAC00, 0x3042, 0x1F600, 0x1F680, 0xFF21];

    private static readonly int[] OtherNarrow = [0xE9, 0xFC, 0x3B1, 0x416, 0x2500, 0x2588, 0x1D400, 0xA0, 0x20AC];

    private static readonly int[] CombiningMarks = [0x301, 0x308, 0x302, 0x20D7];

    private static readonly TerminalColor[] Backgrounds =
        [default, default, default, TerminalColor.Indexed(4), TerminalColor.Indexed(200), TerminalColor.Rgb(10, 20, 30)];

    /// <summary>Sizes worth covering: degenerate, narrow, tall, common and large.</summary>
    public static readonly (int Width, int Height)[] Sizes =
        [(1, 1), (2, 1), (1, 3), (3, 2), (5, 5), (10, 4), (20, 10), (80, 24), (132, 50), (250, 70)];

    public static (int Width, int Height) RandomSize(Random random) =>
        random.Next(3) == 0 ? (random.Next(1, 40), random.Next(1, 20)) : Sizes[random.Next(Sizes.Length)];

    /// <summary>A random palette of renditions (some with hyperlinks, interned in <paramref name="frame"/>).</summary>
    public static Renditions[] Palette(Random random, Framebuffer frame)
    {
        var palette = new Renditions[6];
        for (int i = 0; i < palette.Length; i++)
        {
            palette[i] = i == 0 ? default : RandomRenditions(random, frame);
        }

        return palette;
    }

    public static Renditions RandomRenditions(Random random, Framebuffer frame)
    {
        var r = default(Renditions);
        foreach (TextAttributes attribute in new[] { TextAttributes.Bold, TextAttributes.Italic, TextAttributes.Underline, TextAttributes.Blink, TextAttributes.Inverse, TextAttributes.Invisible })
        {
            if (random.Next(5) == 0)
            {
                r.Set(attribute, true);
            }
        }

        r.Foreground = RandomColor(random);
        r.Background = RandomColor(random);
        if (random.Next(6) == 0)
        {
            r.HyperlinkId = frame.InternHyperlink(new Hyperlink(random.Next(2) == 0 ? "" : $"id={random.Next(3)}", $"https://example.com/{random.Next(4)}"));
        }

        return r;
    }

    private static TerminalColor RandomColor(Random random) => random.Next(6) switch
    {
        0 => TerminalColor.Indexed(random.Next(8)),
        1 => TerminalColor.Indexed(random.Next(256)),
        2 => TerminalColor.Rgb((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)),
        _ => default,
    };

    /// <summary>A whole random screen with random modes, cursor, title, clipboard.</summary>
    public static Framebuffer RandomFrame(Random random, int width, int height)
    {
        var frame = new Framebuffer(width, height);
        Renditions[] palette = Palette(random, frame);
        for (int y = 0; y < height; y++)
        {
            FillRow(random, frame, y, palette);
        }

        RandomizeState(random, frame, palette);
        Canonicalize(frame);
        return frame;
    }

    /// <summary>
    /// Removes what a terminal cannot show: a wide character cut by the right edge or whose right half was
    /// overwritten becomes a blank (as xterm erases it).
    /// </summary>
    public static void Canonicalize(Framebuffer frame)
    {
        for (int y = 0; y < frame.Height; y++)
        {
            Row row = frame.Rows[y];
            for (int x = 0; x < row.Width; x++)
            {
                if (!row[x].IsWide)
                {
                    continue;
                }

                TerminalColor background = row[x].Renditions.Background;
                if (x == row.Width - 1 || !row.CellEquals(x + 1, Row.CreateBlank(1, background), 0))
                {
                    Row mutable = frame.GetMutableRow(y);
                    bool wrap = mutable.Wrap;
                    mutable.ResetCell(x, background);
                    mutable.Wrap = wrap;
                    row = mutable;
                }
                else
                {
                    x++;
                }
            }
        }
    }

    /// <summary>Rewrites row <paramref name="y"/> in one of several styles (blank, sparse, dense, text).</summary>
    public static void FillRow(Random random, Framebuffer frame, int y, Renditions[] palette)
    {
        Row row = frame.GetMutableRow(y);
        int style = random.Next(5);
        if (style == 0)
        {
            row.Reset(Backgrounds[random.Next(Backgrounds.Length)]);
            return;
        }

        for (int x = 0; x < row.Width; x++)
        {
            int density = style switch { 1 => 10, 2 => 50, 3 => 85, _ => 97 };
            if (random.Next(100) >= density)
            {
                row.ResetCell(x, Backgrounds[random.Next(Backgrounds.Length)]);
                continue;
            }

            x = PutRandomCell(random, row, x, palette[random.Next(palette.Length)]);
        }

        row.Wrap = random.Next(3) == 0;
    }

    /// <summary>Writes one random grapheme at <paramref name="x"/>; returns the last column it used.</summary>
    public static int PutRandomCell(Random random, Row row, int x, Renditions renditions)
    {
        bool wrap = row.Wrap;
        int kind = random.Next(20);
        if (kind == 0 && x + 1 < row.Width)
        {
            row.SetCharacter(x, WideCharacters[random.Next(WideCharacters.Length)], renditions, wide: true);
            row.ResetCell(x + 1, renditions.Background);
            row.Wrap = wrap;
            return x + 1;
        }

        if (kind == 1)
        {
            // A mark that arrived on an empty cell: drawn on a no-break space.
            row.ResetCell(x, renditions.Background);
            row.SetRenditions(x, renditions);
            row.AppendToCell(x, CombiningMarks[random.Next(CombiningMarks.Length)]);
            row.SetFallback(x, true);
        }
        else if (kind <= 3)
        {
            row.SetCharacter(x, OtherNarrow[random.Next(OtherNarrow.Length)], renditions, wide: false);
        }
        else
        {
            row.SetCharacter(x, Letters[random.Next(Letters.Length)], renditions, wide: false);
            if (kind == 4)
            {
                row.AppendToCell(x, CombiningMarks[random.Next(CombiningMarks.Length)]);
            }
        }

        row.Wrap = wrap;
        return x;
    }

    public static void RandomizeState(Random random, Framebuffer frame, Renditions[] palette)
    {
        ref DrawState s = ref frame.State;
        s.MoveRow(random.Next(frame.Height));
        s.MoveColumn(random.Next(frame.Width));
        s.CursorVisible = random.Next(4) != 0;
        s.ReverseVideo = random.Next(6) == 0;
        s.BracketedPaste = random.Next(3) == 0;
        s.MouseFocusEvent = random.Next(4) == 0;
        s.MouseReportingMode = random.Next(7) switch
        {
            0 => MouseReportingMode.X10,
            1 => MouseReportingMode.Vt220,
            2 => MouseReportingMode.Vt220Highlight,
            3 => MouseReportingMode.ButtonEvent,
            4 => MouseReportingMode.AnyEvent,
            _ => MouseReportingMode.None,
        };
        s.MouseEncodingMode = random.Next(5) switch
        {
            0 => MouseEncodingMode.Utf8,
            1 => MouseEncodingMode.Sgr,
            2 => MouseEncodingMode.Urxvt,
            _ => MouseEncodingMode.Default,
        };
        s.Renditions = palette[random.Next(palette.Length)];
        if (random.Next(3) == 0)
        {
            frame.SetTitleInitialized();
            string title = random.Next(3) == 0 ? "vim — ünïcode 中文" : $"shell {random.Next(5)}";
            frame.SetWindowTitle(title);
            frame.SetIconName(random.Next(2) == 0 ? title : $"icon {random.Next(5)}");
        }

        if (random.Next(4) == 0)
        {
            frame.SetClipboard(Convert.ToBase64String(Encoding.UTF8.GetBytes($"copied {random.Next(100)}")));
        }

        for (int i = random.Next(3); i > 0; i--)
        {
            frame.RingBell();
        }
    }

    /// <summary>
    /// A plausible next frame: a copy of <paramref name="last"/> after a few of the things applications do
    /// (typing, scrolling the screen or a region, inserting lines, erasing, redrawing rows, changing modes,
    /// rarely a resize).
    /// </summary>
    public static Framebuffer Evolve(Random random, Framebuffer last)
    {
        Framebuffer next = last.Clone();
        Renditions[] palette = Palette(random, next);
        int steps = random.Next(1, 5);
        for (int step = 0; step < steps; step++)
        {
            int width = next.Width, height = next.Height;
            switch (random.Next(12))
            {
                case 0:
                case 1:
                    // Typing: a few cells change.
                    for (int i = random.Next(1, 6); i > 0; i--)
                    {
                        int y = random.Next(height);
                        PutRandomCell(random, next.GetMutableRow(y), random.Next(width), palette[random.Next(palette.Length)]);
                    }

                    break;
                case 2:
                case 3:
                    {
                        // The whole screen scrolls up, new lines appear at the bottom.
                        int n = random.Next(1, Math.Max(2, height));
                        next.State.SetScrollingRegion(0, height - 1);
                        next.Scroll(n);
                        for (int y = Math.Max(0, height - n); y < height; y++)
                        {
                            FillRow(random, next, y, palette);
                        }

                        break;
                    }

                case 4:
                    {
                        // A region scrolls (up or down), as a pager or editor does.
                        int top = random.Next(3) == 0 ? 0 : random.Next(height);
                        int bottom = random.Next(top, height);
                        next.State.SetScrollingRegion(top, bottom);
                        next.Scroll(random.Next(2) == 0 ? random.Next(1, bottom - top + 2) : -random.Next(1, bottom - top + 2));
                        next.State.SetScrollingRegion(0, height - 1);
                        break;
                    }

                case 5:
                    FillRow(random, next, random.Next(height), palette);
                    break;
                case 6:
                    {
                        int y = random.Next(height);
                        int start = random.Next(width);
                        next.ResetCells(y, start, random.Next(start, width));
                        break;
                    }

                case 7:
                    {
                        Row row = next.GetMutableRow(random.Next(height));
                        row.Wrap = !row.Wrap;
                        break;
                    }

                case 8:
                    RandomizeState(random, next, palette);
                    break;
                case 9:
                    next.State.MoveRow(random.Next(height));
                    next.State.MoveColumn(random.Next(width));
                    break;
                case 10:
                    if (random.Next(4) == 0)
                    {
                        (int w, int h) = RandomSize(random);
                        next.Resize(w, h);
                    }

                    break;
                default:
                    next.ResetRow(random.Next(height));
                    break;
            }
        }

        Canonicalize(next);
        return next;
    }

    /// <summary>
    /// Null when <paramref name="actual"/> shows what <paramref name="expected"/> does, else the first difference:
    /// size, every cell as printed (grapheme, width, renditions, link target), the wrap flag of every row but the
    /// bottom one, the cursor, the modes the display forwards, and (if <paramref name="titles"/>) title and icon.
    /// </summary>
    public static string? Difference(Framebuffer expected, Framebuffer actual, bool titles = true, bool clipboard = true)
    {
        if (expected.Width != actual.Width || expected.Height != actual.Height)
        {
            return $"size {actual.Width}x{actual.Height}, expected {expected.Width}x{expected.Height}";
        }

        for (int y = 0; y < expected.Height; y++)
        {
            Row e = expected.Rows[y], a = actual.Rows[y];
            for (int x = 0; x < expected.Width; x++)
            {
                string eText = Printed(e, x), aText = Printed(a, x);
                if (eText != aText || e[x].IsWide != a[x].IsWide)
                {
                    return $"cell ({y},{x}) is '{aText}'{(a[x].IsWide ? " wide" : "")}, expected '{eText}'{(e[x].IsWide ? " wide" : "")}\nexpected:\n{expected}\nactual:\n{actual}";
                }

                string? renditions = RenditionsDifference(expected, e[x].Renditions, actual, a[x].Renditions);
                if (renditions is not null)
                {
                    return $"cell ({y},{x}) '{eText}': {renditions}";
                }
            }

            if (y < expected.Height - 1 && e.Wrap != a.Wrap)
            {
                return $"row {y} wrap {a.Wrap}, expected {e.Wrap}";
            }
        }

        DrawState es = expected.State, s = actual.State;
        if (es.CursorRow != s.CursorRow || es.CursorColumn != s.CursorColumn)
        {
            return $"cursor ({s.CursorRow},{s.CursorColumn}), expected ({es.CursorRow},{es.CursorColumn})";
        }

        if (es.CursorVisible != s.CursorVisible || es.ReverseVideo != s.ReverseVideo || es.BracketedPaste != s.BracketedPaste
            || es.MouseReportingMode != s.MouseReportingMode || es.MouseFocusEvent != s.MouseFocusEvent
            || es.MouseEncodingMode != s.MouseEncodingMode)
        {
            return "modes differ";
        }

        string? current = RenditionsDifference(expected, es.Renditions, actual, s.Renditions);
        if (current is not null)
        {
            return $"current renditions: {current}";
        }

        if (titles && expected.TitleInitialized
            && (expected.WindowTitle != actual.WindowTitle || expected.IconName != actual.IconName))
        {
            return $"title '{actual.WindowTitle}'/'{actual.IconName}', expected '{expected.WindowTitle}'/'{expected.IconName}'";
        }

        if (clipboard && expected.Clipboard != actual.Clipboard)
        {
            return "clipboard differs";
        }

        return null;
    }

    /// <summary>What the terminal shows for a cell: a space for an empty one, a no-break space before a lone mark.</summary>
    public static string Printed(Row row, int x) =>
        row[x].IsEmpty ? " " : (row[x].IsFallback ? "\u00A0" : "") + row.GetTextString(x);

    private static string? RenditionsDifference(Framebuffer expectedFrame, Renditions expected, Framebuffer actualFrame, Renditions actual)
    {
        if (!DisplayPainter.SameGraphics(expected, actual))
        {
            return "graphic renditions differ";
        }

        Hyperlink? e = expectedFrame.GetHyperlink(expected.HyperlinkId), a = actualFrame.GetHyperlink(actual.HyperlinkId);
        return Equals(e, a) ? null : $"hyperlink {a}, expected {e}";
    }
}

/// <summary>
/// Random application output (text in several scripts, SGR, cursor motion, erasing, inserting and deleting,
/// scrolling regions, modes, titles, links, bells) for drawing realistic screens with the real emulator.
/// </summary>
internal static class DisplayApplicationOutput
{
    private static readonly string[] Words =
        ["ls", "-la", "total 42", "naïve", "中文字", "😀", "e\u0301", "x\u0308\u0301", "\u0301", "über", "Ж", "─┼─", "\u00A0", "tab\tstop", "end"];

    private static readonly string[] Sgr =
        ["\e[0m", "\e[1m", "\e[31m", "\e[42m", "\e[1;4;33;44m", "\e[7m", "\e[38;5;123m", "\e[48;5;200m", "\e[38;2;1;2;3m", "\e[48;2;250;100;0m", "\e[3;5m", "\e[22;24;27m", "\e[39;49m", "\e[97;104m"];

    public static string Next(Random random, int width, int height)
    {
        int r = random.Next(height) + 1, c = random.Next(width) + 1;
        return random.Next(30) switch
        {
            < 8 => Words[random.Next(Words.Length)] + (random.Next(3) == 0 ? " " : ""),
            8 => "\r\n",
            9 => "\n",
            10 => "\r",
            11 or 12 => Sgr[random.Next(Sgr.Length)],
            13 => $"\e[{r};{c}H",
            14 => new[] { "\e[K", "\e[1K", "\e[2K", "\e[J", "\e[1J" }[random.Next(5)],
            15 => random.Next(8) == 0 ? "\e[2J" : $"\e[{random.Next(1, 12)}X",
            16 => $"\e[{random.Next(1, 4)}@",
            17 => $"\e[{random.Next(1, 4)}P",
            18 => random.Next(2) == 0 ? $"\e[{random.Next(1, 4)}L" : $"\e[{random.Next(1, 4)}M",
            19 => $"\e[{random.Next(1, height + 1)};{random.Next(1, height + 1)}r" + new string('\n', random.Next(4)) + "\e[r",
            20 => random.Next(2) == 0 ? $"\e[{random.Next(1, 4)}S" : $"\e[{random.Next(1, 4)}T",
            21 => new[] { "\e[?25l", "\e[?25h", "\e[?2004h", "\e[?2004l", "\e[?1000h", "\e[?1002h", "\e[?1000l", "\e[?1006h", "\e[?1006l", "\e[?1004h", "\e[?5h", "\e[?5l" }[random.Next(12)],
            22 => random.Next(3) switch { 0 => $"\e]0;title {random.Next(9)}\a", 1 => $"\e]2;window {random.Next(9)}\a", _ => $"\e]1;icon {random.Next(9)}\a" },
            23 => random.Next(2) == 0 ? $"\e]8;id={random.Next(3)};https://example.com/{random.Next(3)}\e\\" : "\e]8;;\e\\",
            24 => random.Next(4) == 0 ? "\a" : $"\e]52;c;{Convert.ToBase64String([(byte)random.Next(256)])}\a",
            25 => "\e[A\e[2C",
            26 => "\e[B\e[D\b",
            27 => new string('=', random.Next(1, width + 3)),
            _ => "\e7" + $"\e[{r};{c}H" + Words[random.Next(Words.Length)] + "\e8",
        };
    }
}
