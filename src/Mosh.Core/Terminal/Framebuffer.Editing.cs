namespace Mosh.Terminal;

// Operations that change the frame (upstream's Framebuffer methods). Erased and inserted cells take the
// current background colour (BCE).
internal sealed partial class Framebuffer
{
    private Row[]? _scratch;

    private TerminalColor Background => State.Renditions.Background;

    /// <summary>Scrolls the scrolling region up by <paramref name="n"/> lines (negative: down), cursor unmoved.</summary>
    public void Scroll(int n)
    {
        // Only the primary screen scrolling as a whole feeds the history: a full-screen program's alternate screen
        // and a scrolling region's rows are not the session's output history (as in xterm's scrollback).
        if (n > 0 && !State.AlternateScreen && State.ScrollingRegionTop == 0 && State.ScrollingRegionBottom == State.Height - 1)
        {
            if (ScrollbackSink is { } sink)
            {
                ReportScrolledOff(sink, Math.Min(n, State.Height));
            }

            _resizeStash?.Clear(); // the terminal's newest scrollback lines are these rows now, not the stashed ones
        }

        if (n >= 0)
        {
            DeleteLines(State.ScrollingRegionTop, n);
        }
        else
        {
            InsertLines(State.ScrollingRegionTop, -n);
        }
    }

    /// <summary>
    /// Moves the cursor down (or up) by <paramref name="rows"/>, scrolling the region when the cursor would
    /// leave it (LF, IND, RI, NEL). Outside the region the cursor just moves, stopping at the screen edge.
    /// </summary>
    public void MoveRowsAutoscroll(int rows)
    {
        int row = State.CursorRow;
        if (row < State.ScrollingRegionTop || row > State.ScrollingRegionBottom)
        {
            State.MoveRow(rows, relative: true);
            return;
        }

        int target = row + rows;
        int n = 0;
        if (target > State.ScrollingRegionBottom)
        {
            n = target - State.ScrollingRegionBottom;
        }
        else if (target < State.ScrollingRegionTop)
        {
            n = target - State.ScrollingRegionTop;
        }

        if (n != 0)
        {
            Scroll(n);
            State.MoveRow(-n, relative: true);
        }

        State.MoveRow(rows, relative: true);
    }

    /// <summary>
    /// Records that the terminal showing this frame scrolled its whole screen up by <paramref name="n"/> rows with
    /// default renditions, leaving the cursor hidden at the start of the bottom row (what <see cref="ScrollbackPainter"/>
    /// does to push history lines into the user's terminal's scrollback), so the next frame is drawn from there.
    /// </summary>
    public void ShowScrolledUp(int n)
    {
        int top = State.ScrollingRegionTop, bottom = State.ScrollingRegionBottom;
        bool origin = State.OriginMode;
        State.OriginMode = false;
        State.Renditions = default;
        State.SetScrollingRegion(0, State.Height - 1);
        DeleteLines(0, Math.Min(n, State.Height));
        State.SetScrollingRegion(top, bottom);
        State.MoveRow(State.Height - 1);
        State.MoveColumn(0);
        State.OriginMode = origin;
        State.CursorVisible = false;
    }

    private void ReportScrolledOff(IScrollbackSink sink, int count)
    {
        for (int i = 0; i < count; i++)
        {
            sink.RowScrolledOff(_rows[i]);
        }
    }

    /// <summary>IL: inserts blank lines before <paramref name="beforeRow"/>, pushing lines off the region bottom.</summary>
    public void InsertLines(int beforeRow, int count)
    {
        int top = State.ScrollingRegionTop, bottom = State.ScrollingRegionBottom;
        if (beforeRow < top || beforeRow > bottom + 1)
        {
            return;
        }

        int n = Math.Min(count, bottom + 1 - beforeRow);
        if (n <= 0)
        {
            return;
        }

        Span<Row> removed = Scratch(n);
        _rows.AsSpan(bottom + 1 - n, n).CopyTo(removed);
        _rows.AsSpan(beforeRow, bottom + 1 - n - beforeRow).CopyTo(_rows.AsSpan(beforeRow + n));
        RecycleBlank(removed, _rows.AsSpan(beforeRow, n));
    }

    /// <summary>DL: deletes lines at <paramref name="row"/>; blank lines enter at the region bottom.</summary>
    public void DeleteLines(int row, int count)
    {
        int top = State.ScrollingRegionTop, bottom = State.ScrollingRegionBottom;
        if (row < top || row > bottom)
        {
            return;
        }

        int n = Math.Min(count, bottom + 1 - row);
        if (n <= 0)
        {
            return;
        }

        if (n == 1 && row == 0 && bottom == _rows.Length - 1)
        {
            // One line off the whole screen (every line feed at the bottom of a flood): the row in a local,
            // not through the scratch array (a write-barriered bulk copy for one reference).
            Row leaving = _rows[0];
            _rows.ScrollUp(1);
            _rows[bottom] = Blank(leaving, _generations.Next(), Background);
            return;
        }

        Span<Row> removed = Scratch(n);
        _rows.AsSpan(row, n).CopyTo(removed);
        if (row == 0 && bottom == _rows.Length - 1)
        {
            _rows.ScrollUp(n); // the whole screen: the window moves, the rows stay where they are
        }
        else
        {
            _rows.AsSpan(row + n, bottom + 1 - row - n).CopyTo(_rows.AsSpan(row));
        }

        RecycleBlank(removed, _rows.AsSpan(bottom + 1 - n, n));
    }

    private Span<Row> Scratch(int n)
    {
        if (_scratch is null || _scratch.Length < _rows.Length)
        {
            _scratch = new Row[_rows.Length];
        }

        return _scratch.AsSpan(0, n);
    }

    // Puts blank rows (one shared generation, as upstream's single newrow()) into the slots, reusing the rows
    // that just left the screen when no other frame can see them, so steady scrolling allocates nothing.
    private void RecycleBlank(Span<Row> removed, Span<Row> slots)
    {
        ulong gen = _generations.Next();
        TerminalColor background = Background;
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = Blank(removed[i], gen, background);
            removed[i] = null!;
        }
    }

    /// <summary><paramref name="old"/> made blank if this frame may reuse it, else a new blank row.</summary>
    private Row Blank(Row old, ulong gen, TerminalColor background)
    {
        Row row;
        if (old.Owner == _owner && old.Width == State.Width)
        {
            old.Reset(background, gen);
            row = old;
        }
        else
        {
            row = Row.CreateBlank(State.Width, background, gen, _owner);
        }

        if (ScrollbackSink is not null)
        {
            row.EnableVerbatim(background); // it will scroll off into the history: keep what the application writes for it
        }

        return row;
    }

    /// <summary>ICH on a row.</summary>
    public void InsertCells(int row, int column, int count) => GetMutableRow(row).InsertCells(column, count, Background);

    /// <summary>DCH on a row.</summary>
    public void DeleteCells(int row, int column, int count) => GetMutableRow(row).DeleteCells(column, count, Background);

    /// <summary>Erases cells <paramref name="start"/>..<paramref name="end"/> (inclusive) of a row.</summary>
    public void ResetCells(int row, int start, int end) => GetMutableRow(row).ResetCells(start, end, Background);

    /// <summary>Erases a whole row; it gets a new generation.</summary>
    public void ResetRow(int row) => GetMutableRow(row).Reset(Background);

    /// <summary>The cell a combining character joins, or null when a resize put it off screen.</summary>
    public Row? GetCombiningRow(out int column)
    {
        column = State.CombiningColumn;
        int row = State.CombiningRow;
        if (column < 0 || row < 0 || column >= State.Width || row >= State.Height)
        {
            return null;
        }

        return GetMutableRow(row);
    }

    public void RingBell() => BellCount++;

    public void SetTitleInitialized() => TitleInitialized = true;

    public void SetWindowTitle(string title) => WindowTitle = title;

    public void SetIconName(string iconName) => IconName = iconName;

    public void SetClipboard(string clipboard) => SetClipboard(clipboard, ClipboardSerial + 1);

    /// <summary>Sets the clipboard as the one numbered <paramref name="serial"/> (a copy of another frame's).</summary>
    public void SetClipboard(string clipboard, ulong serial)
    {
        Clipboard = clipboard;
        ClipboardSerial = serial;
        _clipboardUtf8 = null;
    }

    /// <summary>The id for a link (reusing a recently used equal one), 0 for an empty URI. Unused links are pruned.</summary>
    public int InternHyperlink(Hyperlink link)
    {
        if (link.Uri.Length == 0)
        {
            return 0;
        }

        int id = _hyperlinks.FindRecent(link);
        if (id != 0)
        {
            return id;
        }

        if (_hyperlinks.Owner != _owner)
        {
            _hyperlinks = _hyperlinks.Clone(_owner);
        }

        if (_hyperlinks.Count >= _hyperlinks.PruneThreshold)
        {
            _hyperlinks.Retain(LiveHyperlinkIds());
        }

        return _hyperlinks.Add(link);
    }

    private HashSet<int> LiveHyperlinkIds()
    {
        var live = new HashSet<int> { State.Renditions.HyperlinkId, State.SavedCursor.Renditions.HyperlinkId };
        foreach (Row row in _rows)
        {
            foreach (ref readonly Cell cell in row.Cells)
            {
                if (cell.Renditions.HyperlinkId != 0)
                {
                    live.Add(cell.Renditions.HyperlinkId);
                }
            }
        }

        return live;
    }

    /// <summary>RIS: everything back to power-on except the bell count and icon name (as upstream).</summary>
    public void Reset()
    {
        LeaveAlternateScreen(clearFirst: false);
        _otherRows = null;
        _otherSaved = SavedCursor.Initial;
        State = new DrawState(State.Width, State.Height);
        FillBlank(_rows, _generations.Next());
        WindowTitle = string.Empty;
        SetClipboard(string.Empty);
        _hyperlinks = HyperlinkTable.CreateEmpty(_owner);
    }

    /// <summary>DECSTR: modes, margins, renditions, hyperlink and saved cursor reset; the screen is kept.</summary>
    public void SoftReset()
    {
        State.InsertMode = false;
        State.OriginMode = false;
        State.CursorVisible = true;
        State.ApplicationModeCursorKeys = false;
        State.SetScrollingRegion(0, State.Height - 1);
        State.Renditions = default;
        State.ClearSavedCursor();
    }

    /// <summary>
    /// Resize (sizes are clamped to 1..<see cref="MaxWidth"/> x 1..<see cref="MaxHeight"/>), keeping content as upstream: rows are cut or blank rows added at the bottom, every old row is
    /// cut or padded at the right and loses its wrap flag, the scrolling region resets, the cursor is snapped.
    /// </summary>
    /// <param name="likeScrollbackTerminal">On the primary screen, change the height as a terminal with scrollback
    /// does instead (<see cref="ShrinkKeepingCursorRow"/>, <see cref="GrowFromResizeStash"/>).</param>
    public void Resize(int width, int height, bool likeScrollbackTerminal = false)
    {
        width = ClampWidth(width);
        height = ClampHeight(height);
        int oldHeight = State.Height, oldWidth = State.Width;
        bool scrollback = likeScrollbackTerminal && !State.AlternateScreen;
        if (scrollback && height < oldHeight)
        {
            ShrinkKeepingCursorRow(height);
        }

        State.Resize(width, height);
        ResizeRows(oldWidth, oldHeight);
        ResizeOtherBuffer(oldWidth, oldHeight);
        if (scrollback && height > oldHeight)
        {
            GrowFromResizeStash(oldHeight);
        }
    }

    // The shown rows from oldWidth x oldHeight to the state's (new) size.
    private void ResizeRows(int oldWidth, int oldHeight)
    {
        int width = State.Width, height = State.Height;
        int keptRows = Math.Min(oldHeight, height);
        if (oldHeight != height)
        {
            _rows.Resize(height);
            if (height > oldHeight)
            {
                FillBlank(_rows.AsSpan(oldHeight), _generations.Next());
            }
        }

        if (oldWidth == width)
        {
            return;
        }

        for (int i = 0; i < keptRows; i++)
        {
            GetMutableRow(i).Resize(width, Background);
        }
    }
}
