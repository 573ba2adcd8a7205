using System.Buffers;

namespace Mosh.Terminal;

// The frame diff itself: frame-wide state first, then scrolling, then the rows, then cursor and modes.
internal sealed partial class Display
{
    /// <summary>Interior runs of blanks longer than this are erased with ECH rather than written as spaces.</summary>
    private const int MinimumEraseRun = 5;

    private const byte Bell = 0x07;

    private static ReadOnlySpan<byte> ClearScreen => "\e[r\e[0m\e[H\e[2J"u8;

    private static ReadOnlySpan<byte> ResetScrollingRegion => "\e[r"u8;

    private static ReadOnlySpan<byte> EraseToEndOfLine => "\e[K"u8;

    /// <summary>
    /// Writes what turns a terminal showing <paramref name="last"/> into one showing <paramref name="next"/> into
    /// <paramref name="output"/> as UTF-8. With <paramref name="initialized"/> false (or a size change) the
    /// terminal's contents are not trusted: the screen is cleared and everything drawn.
    /// Allocates nothing when <paramref name="output"/> does not.
    /// </summary>
    public void NewFrame(bool initialized, Framebuffer last, Framebuffer next, IBufferWriter<byte> output)
    {
        var painter = new DisplayPainter(output, next);
        ref DrawState state = ref next.State;
        ref DrawState lastState = ref last.State;

        if (next.BellCount != last.BellCount)
        {
            painter.Output.Write(Bell);
        }

        if (HasTitle && next.TitleInitialized
            && (!initialized || !string.Equals(next.IconName, last.IconName, StringComparison.Ordinal)
                || !string.Equals(next.WindowTitle, last.WindowTitle, StringComparison.Ordinal)))
        {
            WriteTitles(ref painter.Output, next);
        }

        if (!string.Equals(next.Clipboard, last.Clipboard, StringComparison.Ordinal)
            && (next.Clipboard.Length <= ClipboardLimit || !LargeClipboardSentElsewhere))
        {
            painter.Output.Write("\e]52;c;"u8);
            painter.Output.WriteUtf8(FirstCodePoints(next.Clipboard, ClipboardLimit));
            painter.Output.Write(Bell);
        }

        if (!initialized || state.ReverseVideo != lastState.ReverseVideo)
        {
            painter.Output.Write(state.ReverseVideo ? "\e[?5h"u8 : "\e[?5l"u8);
        }

        if (!initialized || state.Width != lastState.Width || state.Height != lastState.Height)
        {
            // Nothing on the terminal can be reused: clear it (default renditions, no link, full-screen region).
            // Keeping scrollback, delete the lines instead: ED 2 makes tmux and VTE save the screen there.
            if (PreserveScrollback)
            {
                painter.Output.Write("\e[r\e[0m\e[H\e["u8);
                painter.Output.WriteNumber(state.Height);
                painter.Output.Write((byte)'M');
            }
            else
            {
                painter.Output.Write(ClearScreen);
            }

            painter.WriteHyperlink(null);
            initialized = false;
            painter.CursorRow = 0;
            painter.CursorColumn = 0;
            painter.Renditions = default;
        }
        else
        {
            painter.CursorRow = lastState.CursorRow;
            painter.CursorColumn = lastState.CursorColumn;
            painter.MayHoldPendingWrap = lastState.CursorColumn == lastState.Width - 1;
            painter.Renditions = lastState.Renditions;
        }

        painter.CursorVisible = lastState.CursorVisible;
        if (!initialized)
        {
            painter.Output.Write("\e[?25l"u8);
            painter.CursorVisible = false;
        }

        var old = new OldRows(last.Rows, initialized);
        int firstRow = initialized ? Scroll(ref painter, ref old, next) : 0;

        bool continueWrap = false;
        for (int y = firstRow; y < state.Height; y++)
        {
            Row? oldRow = old[y];
            continueWrap = DrawRow(ref painter, initialized, next, y, oldRow, old.IsStale(oldRow), continueWrap);
        }

        if (!initialized || state.CursorRow != painter.CursorRow || state.CursorColumn != painter.CursorColumn)
        {
            painter.Move(state.CursorRow, state.CursorColumn);
        }

        if (!initialized || state.CursorVisible != painter.CursorVisible)
        {
            painter.Output.Write(state.CursorVisible ? "\e[?25h"u8 : "\e[?25l"u8);
        }

        painter.UpdateRenditions(state.Renditions, forceGraphics: !initialized);

        if (!initialized || state.BracketedPaste != lastState.BracketedPaste)
        {
            painter.Output.Write(state.BracketedPaste ? "\e[?2004h"u8 : "\e[?2004l"u8);
        }

        if (!initialized || state.MouseReportingMode != lastState.MouseReportingMode)
        {
            WriteMouseReporting(ref painter.Output, lastState.MouseReportingMode, state.MouseReportingMode);
        }

        if (!initialized || state.MouseFocusEvent != lastState.MouseFocusEvent)
        {
            painter.Output.Write(state.MouseFocusEvent ? "\e[?1004h"u8 : "\e[?1004l"u8);
        }

        if (!initialized || state.MouseEncodingMode != lastState.MouseEncodingMode)
        {
            WriteMouseEncoding(ref painter.Output, lastState.MouseEncodingMode, state.MouseEncodingMode);
        }

        painter.Output.Commit();
    }

    /// <summary>The first <paramref name="count"/> code points of <paramref name="text"/> (the emulator counts an OSC in code points).</summary>
    private static ReadOnlySpan<char> FirstCodePoints(string text, int count)
    {
        if (text.Length <= count)
        {
            return text;
        }

        int end = 0;
        for (int n = 0; n < count && end < text.Length; n++)
        {
            end += char.IsHighSurrogate(text[end]) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]) ? 2 : 1;
        }

        return text.AsSpan(0, end);
    }

    /// <summary>OSC 0 when icon name and title agree, else OSC 1 and OSC 2; BEL-terminated (ST is rarer).</summary>
    private void WriteTitles(ref DisplayWriter output, Framebuffer next)
    {
        if (string.Equals(next.IconName, next.WindowTitle, StringComparison.Ordinal))
        {
            output.Write("\e]0;"u8);
            output.WriteUtf8(TitlePrefix);
            output.WriteUtf8(next.WindowTitle);
            output.Write(Bell);
            return;
        }

        output.Write("\e]1;"u8);
        output.WriteUtf8(next.IconName);
        output.Write(Bell);
        output.Write("\e]2;"u8);
        output.WriteUtf8(TitlePrefix);
        output.WriteUtf8(next.WindowTitle);
        output.Write(Bell);
    }

    /// <summary>Off: every reporting mode off. Another mode: the old one off, the new one on.</summary>
    private static void WriteMouseReporting(ref DisplayWriter output, MouseReportingMode last, MouseReportingMode next)
    {
        if (next == MouseReportingMode.None)
        {
            output.Write("\e[?1003l\e[?1002l\e[?1001l\e[?1000l"u8);
            if (last == MouseReportingMode.X10)
            {
                // Upstream leaves X10 on here; a real xterm would keep reporting clicks.
                output.Write("\e[?9l"u8);
            }

            return;
        }

        if (last != MouseReportingMode.None)
        {
            WritePrivateMode(ref output, (int)last, on: false);
        }

        WritePrivateMode(ref output, (int)next, on: true);
    }

    private static void WriteMouseEncoding(ref DisplayWriter output, MouseEncodingMode last, MouseEncodingMode next)
    {
        if (next == MouseEncodingMode.Default)
        {
            output.Write("\e[?1015l\e[?1006l\e[?1005l"u8);
            return;
        }

        if (last != MouseEncodingMode.Default)
        {
            WritePrivateMode(ref output, (int)last, on: false);
        }

        WritePrivateMode(ref output, (int)next, on: true);
    }

    private static void WritePrivateMode(ref DisplayWriter output, int mode, bool on)
    {
        output.Write("\e[?"u8);
        output.WriteNumber(mode);
        output.Write(on ? (byte)'h' : (byte)'l');
    }

    /// <summary>
    /// If the top of <paramref name="next"/> is lines the terminal already shows further down, scrolls them into
    /// place (CR and LFs from the bottom row when the whole screen moves, else within a DECSTBM region) rather
    /// than drawing them again. Returns how many top rows are now right.
    /// </summary>
    private int Scroll(ref DisplayPainter painter, ref OldRows old, Framebuffer next)
    {
        ReadOnlySpan<Row> rows = next.Rows;
        int height = rows.Length;
        Row top = rows[0];
        int linesScrolled = 0;
        int scrollHeight = 0;
        for (int row = 0; row < height; row++)
        {
            if (!top.IdenticalTo(old[row]))
            {
                continue;
            }

            if (row == 0)
            {
                // The top line did not move: no scroll to find.
                return 0;
            }

            linesScrolled = row;
            scrollHeight = 1;
            while (linesScrolled + scrollHeight < height && rows[scrollHeight].IdenticalTo(old[linesScrolled + scrollHeight]))
            {
                scrollHeight++;
            }

            break;
        }

        if (scrollHeight == 0)
        {
            return 0;
        }

        // Lines scrolled in are erased in the current background: make it the default (and close any link).
        painter.UpdateRenditions(default, forceGraphics: true);
        int bottom = linesScrolled + scrollHeight - 1;
        if (PreserveScrollback)
        {
            // Delete lines at the top of the region: DL never saves rows in the terminal's scrollback.
            if (bottom != height - 1)
            {
                painter.Output.Write("\e[1;"u8);
                painter.Output.WriteNumber(bottom + 1);
                painter.Output.Write((byte)'r');
            }

            painter.LoseCursor(); // DECSTBM homes the cursor
            painter.MoveSilently(0, 0);
            painter.Output.Write("\e["u8);
            painter.Output.WriteNumber(linesScrolled);
            painter.Output.Write((byte)'M');
            if (bottom != height - 1)
            {
                painter.Output.Write(ResetScrollingRegion);
            }

            painter.LoseCursor();
        }
        else if (bottom == height - 1 && painter.CursorRow == height - 1)
        {
            painter.Output.Write((byte)'\r');
            painter.Output.WriteRepeated((byte)'\n', linesScrolled);
            painter.CursorColumn = 0;
            painter.MayHoldPendingWrap = false;
        }
        else
        {
            painter.Output.Write("\e[1;"u8);
            painter.Output.WriteNumber(bottom + 1);
            painter.Output.Write((byte)'r');
            painter.LoseCursor();
            painter.MoveSilently(bottom, 0);
            painter.Output.WriteRepeated((byte)'\n', linesScrolled);
            painter.Output.Write(ResetScrollingRegion);
            painter.LoseCursor(); // DECSTBM homes the cursor; do not rely on it
        }

        old.ScrollUp(linesScrolled, bottom, BlankRow(next.Width));

        // The terminal never shows its bottom row as wrapped (see OldRows.StaleWrapRow); if that row moved
        // up and should wrap, it must be drawn.
        int movedBottom = height - 1 - linesScrolled;
        return old.StaleWrapRow is not null && bottom == height - 1 && movedBottom < scrollHeight ? movedBottom : scrollHeight;
    }

    /// <summary>
    /// Brings row <paramref name="y"/> up to date. Returns true when the row wraps onto the next one and its
    /// last cell was just printed: the terminal holds a pending wrap, and the next row's first cell must be
    /// printed straight away so the terminal marks this row as wrapped too.
    /// </summary>
    private bool DrawRow(ref DisplayPainter painter, bool initialized, Framebuffer next, int y, Row? oldRow, bool oldRowUnwrapped, bool continueWrap)
    {
        Row row = next.Rows[y];
        int width = painter.Width;
        bool lastRow = y == next.Height - 1;
        bool wraps = row.Wrap;
        bool wroteLastCell = false;
        int x = 0;

        if (continueWrap)
        {
            painter.CursorRow = y;
            painter.CursorColumn = 0;
            x = painter.PrintCell(row, 0);
            wroteLastCell = x >= width;
        }

        if (initialized && ReferenceEquals(row, oldRow) && !oldRowUnwrapped)
        {
            return wroteLastCell && wraps && !lastRow;
        }

        // The terminal's wrap flag changes only when the last cell is printed: force that when the flag differs
        // (the bottom row cannot be marked wrapped without scrolling, so it is left alone there).
        bool oldWraps = initialized && oldRow!.Wrap && !oldRowUnwrapped;
        bool forceLastCell = initialized && oldWraps != wraps && !(wraps && lastRow);
        int blankCount = 0;
        Renditions blank = default;

        while (x < width)
        {
            ref readonly Cell cell = ref row[x];
            int columns = Math.Min(cell.Width, width - x);

            // A run of blanks in one renditions grows over changed and unchanged blanks alike (one erase covers it).
            if (blankCount > 0 && cell.IsEmpty && cell.Renditions == blank)
            {
                blankCount++;
                x++;
                continue;
            }

            if (blankCount > 0)
            {
                WriteBlanks(ref painter, y, x, blankCount, blank);
                blankCount = 0;
            }

            if (initialized && row.CellEquals(x, oldRow!, x) && !(forceLastCell && x + columns >= width))
            {
                x += columns;
                continue;
            }

            if (cell.IsEmpty)
            {
                // Identical cells that follow join the run without a look at each (the rest of a blank line).
                blank = cell.Renditions;
                int repeats = Math.Min(row.CountRepeatsAfter(x), width - x - 1);
                blankCount = 1 + repeats;
                x += blankCount;
                continue;
            }

            painter.MoveSilently(y, x);
            x += painter.PrintCell(row, x);
            wroteLastCell |= x >= width;
        }

        if (blankCount > 0)
        {
            painter.MoveSilently(y, x - blankCount);
            painter.UpdateRenditions(blank);
            if (!wraps && CanErase(blank))
            {
                painter.Output.Write(EraseToEndOfLine);
            }
            else
            {
                // A wrapping row must print its last cell so the terminal wraps; EL would not.
                painter.Output.WriteRepeated((byte)' ', blankCount);
                painter.CursorColumn = x;
                wroteLastCell = true;
            }
        }

        if (!wroteLastCell || lastRow)
        {
            return false;
        }

        if (wraps)
        {
            return true;
        }

        // The cursor waits at the edge with a pending wrap; CR LF puts it somewhere definite and cheap to use.
        painter.Output.Write("\r\n"u8);
        painter.CursorRow = y + 1;
        painter.CursorColumn = 0;
        return false;
    }

    /// <summary>Blanks the <paramref name="count"/> cells before column <paramref name="end"/>: ECH when it can, else spaces.</summary>
    private void WriteBlanks(ref DisplayPainter painter, int y, int end, int count, in Renditions blank)
    {
        painter.MoveSilently(y, end - count);
        painter.UpdateRenditions(blank);
        if (HasEch && count >= MinimumEraseRun && CanErase(blank))
        {
            painter.Output.Write("\e["u8);
            painter.Output.WriteNumber(count);
            painter.Output.Write((byte)'X');
        }
        else
        {
            painter.Output.WriteRepeated((byte)' ', count);
            painter.CursorColumn = end;
        }
    }

    /// <summary>
    /// Whether ECH/EL reproduce a run of blank cells in <paramref name="blank"/> renditions (already selected):
    /// erasing gives cells with only the background set, in that background only if the terminal has BCE.
    /// </summary>
    private bool CanErase(in Renditions blank) =>
        blank == Renditions.WithBackground(blank.Background) && (HasBce || blank.Background.IsDefault);

    /// <summary>A blank row in default renditions (what LF scrolls in after SGR 0), kept for reuse.</summary>
    private Row BlankRow(int width)
    {
        if (_blankRow is null || _blankRow.Width != width)
        {
            _blankRow = Row.CreateBlank(width, TerminalColor.Default);
        }

        return _blankRow;
    }

    /// <summary>
    /// The rows the terminal shows before the rows are drawn: the last frame's, moved by a scroll the display
    /// performed (lines scrolled in are blank). A view, so nothing is copied. Rows past the last frame's
    /// height (after a resize, when they are never compared) are null.
    /// </summary>
    /// <remarks>
    /// One difference is known: a terminal's bottom row is never marked wrapped (printing past its end scrolls
    /// it up first), so a last frame whose bottom row wraps was shown with that row unwrapped:
    /// <see cref="StaleWrapRow"/>.
    /// </remarks>
    private ref struct OldRows
    {
        private readonly ReadOnlySpan<Row> _rows;
        private int _shift;
        private int _bottom;
        private Row? _blank;

        public OldRows(ReadOnlySpan<Row> rows, bool initialized)
        {
            _rows = rows;
            _shift = 0;
            _bottom = -1;
            _blank = null;
            StaleWrapRow = initialized && rows[^1].Wrap ? rows[^1] : null;
        }

        /// <summary>The last frame's bottom row when it wraps (the terminal shows it unwrapped), else null.</summary>
        public Row? StaleWrapRow { get; }

        public readonly bool IsStale(Row? row) => row is not null && ReferenceEquals(row, StaleWrapRow);

        public readonly Row? this[int y]
        {
            get
            {
                if (y > _bottom)
                {
                    return y < _rows.Length ? _rows[y] : null;
                }

                int source = y + _shift;
                return source <= _bottom ? _rows[source] : _blank;
            }
        }

        /// <summary>Rows 0..<paramref name="bottom"/> moved up by <paramref name="lines"/>; <paramref name="blank"/> fills in.</summary>
        public void ScrollUp(int lines, int bottom, Row blank)
        {
            _shift = lines;
            _bottom = bottom;
            _blank = blank;
        }
    }
}
