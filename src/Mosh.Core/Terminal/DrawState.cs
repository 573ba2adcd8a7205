using System.Runtime.CompilerServices;

namespace Mosh.Terminal;

/// <summary>
/// Everything about the terminal that is not cell contents: size, cursor, deferred-wrap flag, combining-mark
/// target, tab stops, scrolling region, modes and the current renditions. A value type embedded in
/// <see cref="Framebuffer"/> (copying a frame copies it by value; the tab stops are shared immutably).
/// </summary>
internal struct DrawState
{
    private int _width;
    private int _height;
    private int _cursorColumn;
    private int _cursorRow;
    private int _combiningColumn;
    private int _combiningRow;
    private bool _defaultTabs;
    private TabStops _tabs;
    private int _scrollTop;
    private int _scrollBottom;
    private SavedCursor _saved;

    /// <summary>Renditions (and hyperlink) given to printed characters; the background also fills erased cells.</summary>
    public Renditions Renditions;

    /// <summary>The cursor sits past the last column: the next printable character wraps first (deferred wrap).</summary>
    public bool NextPrintWillWrap;

    /// <summary>DECOM (mode 6): rows count from the top of the scrolling region and the cursor stays inside it.</summary>
    public bool OriginMode;

    /// <summary>DECAWM (mode 7).</summary>
    public bool AutoWrapMode;

    /// <summary>IRM (ANSI mode 4): printing shifts the rest of the line right.</summary>
    public bool InsertMode;

    /// <summary>DECTCEM (mode 25).</summary>
    public bool CursorVisible;

    /// <summary>DECSCNM (mode 5).</summary>
    public bool ReverseVideo;

    /// <summary>Mode 2004.</summary>
    public bool BracketedPaste;

    public MouseReportingMode MouseReportingMode;

    /// <summary>Mode 1004.</summary>
    public bool MouseFocusEvent;

    /// <summary>Mode 1007.</summary>
    public bool MouseAlternateScroll;

    public MouseEncodingMode MouseEncodingMode;

    /// <summary>The alternate screen buffer is shown (modes 47/1047/1049); see <see cref="Framebuffer.EnterAlternateScreen"/>.</summary>
    public bool AlternateScreen;

    /// <summary>DECCKM (mode 1): the application wants <c>ESC O A</c> style cursor keys.</summary>
    public bool ApplicationModeCursorKeys;

    public DrawState(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        _width = width;
        _height = height;
        _defaultTabs = true;
        _tabs = TabStops.Default(width);
        _scrollTop = 0;
        _scrollBottom = height - 1;
        _saved = SavedCursor.Initial;
        AutoWrapMode = true;
        CursorVisible = true;
    }

    public readonly int Width => _width;

    public readonly int Height => _height;

    public readonly int CursorColumn => _cursorColumn;

    public readonly int CursorRow => _cursorRow;

    /// <summary>Column of the cell a combining character joins (-1 when invalidated by a resize).</summary>
    public readonly int CombiningColumn => _combiningColumn;

    /// <summary>Row of the cell a combining character joins (-1 when invalidated by a resize).</summary>
    public readonly int CombiningRow => _combiningRow;

    public readonly int ScrollingRegionTop => _scrollTop;

    public readonly int ScrollingRegionBottom => _scrollBottom;

    public readonly TabStops TabStops => _tabs;

    public readonly SavedCursor SavedCursor => _saved;

    /// <summary>Topmost row the cursor may reach (the region top in origin mode).</summary>
    public readonly int LimitTop => OriginMode ? _scrollTop : 0;

    /// <summary>Bottom row the cursor may reach (the region bottom in origin mode).</summary>
    public readonly int LimitBottom => OriginMode ? _scrollBottom : _height - 1;

    /// <summary>Moves the cursor vertically (absolute rows count from <see cref="LimitTop"/>); clears deferred wrap.</summary>
    public void MoveRow(int n, bool relative = false)
    {
        _cursorRow = relative ? _cursorRow + n : n + LimitTop;
        SnapCursorToBorder();
        NewGrapheme();
        NextPrintWillWrap = false;
    }

    /// <summary>Moves the cursor by <paramref name="n"/> rows with the screen's content it is on (a resize that moved the rows).</summary>
    public void ShiftCursorRow(int n)
    {
        _cursorRow += n;
        SnapCursorToBorder();
        NewGrapheme();
    }

    /// <summary>
    /// Moves the cursor horizontally. An <paramref name="implicit"/> move is the advance after printing: the
    /// combining target stays on the printed cell and moving past the edge sets deferred wrap; an explicit
    /// move starts a new grapheme and clears deferred wrap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MoveColumn(int n, bool relative = false, bool @implicit = false)
    {
        if (@implicit)
        {
            NewGrapheme();
        }

        _cursorColumn = relative ? _cursorColumn + n : n;

        if (@implicit)
        {
            NextPrintWillWrap = _cursorColumn >= _width;
        }

        SnapCursorToBorder();
        if (!@implicit)
        {
            NewGrapheme();
            NextPrintWillWrap = false;
        }
    }

    /// <summary>
    /// The cursor after printing <paramref name="n"/> (at least 1, at most up to the edge) single-width characters
    /// from it: the last printed cell is the combining target and passing the edge sets deferred wrap. The same as
    /// <paramref name="n"/> implicit one-column moves, in one step (every run of printed text ends with this).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AdvanceAfterPrinting(int n)
    {
        _combiningColumn = _cursorColumn + n - 1;
        _combiningRow = _cursorRow;
        _cursorColumn += n;
        NextPrintWillWrap = _cursorColumn >= _width;
        SnapCursorToBorder();
    }

    /// <summary>Marks the cursor cell as the one later combining characters join.</summary>
    public void NewGrapheme()
    {
        _combiningColumn = _cursorColumn;
        _combiningRow = _cursorRow;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SnapCursorToBorder()
    {
        // Plain compares, not Math.Clamp (which checks its bounds, and this runs for every cursor move).
        int top = LimitTop, bottom = LimitBottom;
        if (_cursorRow < top)
        {
            _cursorRow = top;
        }
        else if (_cursorRow > bottom)
        {
            _cursorRow = bottom;
        }

        if (_cursorColumn < 0)
        {
            _cursorColumn = 0;
        }
        else if (_cursorColumn >= _width)
        {
            _cursorColumn = _width - 1;
        }
    }

    /// <summary>HTS: sets a tab stop at the cursor column.</summary>
    public void SetTab() => _tabs = _tabs.With(_cursorColumn, true);

    /// <summary>TBC 0: clears the tab stop at a column.</summary>
    public void ClearTab(int column) => _tabs = _tabs.With(column, false);

    /// <summary>TBC 3: clears every stop; widening no longer adds default stops.</summary>
    public void ClearAllTabs()
    {
        _defaultTabs = false;
        _tabs = _tabs.Cleared();
    }

    /// <summary>
    /// Column of the <paramref name="count"/>-th tab stop right of the cursor (-1 if none) or, for a negative
    /// count, left of it (0 if none; column 0 itself is never searched, as upstream).
    /// </summary>
    public readonly int GetNextTab(int count)
    {
        if (count >= 0)
        {
            for (int col = _cursorColumn + 1; col < _width; col++)
            {
                if (_tabs.IsSet(col) && --count == 0)
                {
                    return col;
                }
            }

            return -1;
        }

        for (int col = _cursorColumn - 1; col > 0; col--)
        {
            if (_tabs.IsSet(col) && ++count == 0)
            {
                return col;
            }
        }

        return 0;
    }

    /// <summary>Sets the scrolling region (clamped to the screen; at least one row).</summary>
    public void SetScrollingRegion(int top, int bottom)
    {
        _scrollTop = Math.Max(top, 0);
        _scrollBottom = Math.Min(bottom, _height - 1);
        if (_scrollBottom < _scrollTop)
        {
            _scrollBottom = _scrollTop;
        }

        if (OriginMode)
        {
            SnapCursorToBorder();
            NewGrapheme();
        }
    }

    /// <summary>DECSC.</summary>
    public void SaveCursor() => _saved = new SavedCursor
    {
        Column = _cursorColumn,
        Row = _cursorRow,
        Renditions = Renditions,
        AutoWrapMode = AutoWrapMode,
        OriginMode = OriginMode,
    };

    /// <summary>DECRC (the cursor is snapped to the screen, which may have shrunk). The hyperlink is not restored.</summary>
    public void RestoreCursor()
    {
        _cursorColumn = _saved.Column;
        _cursorRow = _saved.Row;
        int hyperlink = Renditions.HyperlinkId;
        Renditions = _saved.Renditions;
        Renditions.HyperlinkId = hyperlink;
        AutoWrapMode = _saved.AutoWrapMode;
        OriginMode = _saved.OriginMode;
        SnapCursorToBorder();
        NewGrapheme();
    }

    public void ClearSavedCursor() => _saved = SavedCursor.Initial;

    /// <summary>Puts <paramref name="other"/> in the DECSC slot and returns what was there (each screen buffer has its own).</summary>
    public SavedCursor ExchangeSavedCursor(SavedCursor other)
    {
        SavedCursor old = _saved;
        _saved = other;
        return old;
    }

    /// <summary>Resize: any size change resets the scrolling region (as xterm); the cursor is snapped inside.</summary>
    public void Resize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (width != _width || height != _height)
        {
            _scrollTop = 0;
            _scrollBottom = height - 1;
        }

        _tabs = _tabs.Resized(width, _defaultTabs);
        _width = width;
        _height = height;
        SnapCursorToBorder();
        if (_combiningColumn >= width || _combiningRow >= height)
        {
            _combiningColumn = _combiningRow = -1;
        }
    }

    /// <summary>Upstream's DrawState ==: only what a display shows (size, cursor, modes a display forwards, renditions).</summary>
    public readonly bool DisplayEquals(in DrawState other) =>
        _width == other._width && _height == other._height
        && _cursorColumn == other._cursorColumn && _cursorRow == other._cursorRow
        && CursorVisible == other.CursorVisible && ReverseVideo == other.ReverseVideo
        && Renditions == other.Renditions && BracketedPaste == other.BracketedPaste
        && MouseReportingMode == other.MouseReportingMode && MouseFocusEvent == other.MouseFocusEvent
        && MouseAlternateScroll == other.MouseAlternateScroll && MouseEncodingMode == other.MouseEncodingMode
        && AlternateScreen == other.AlternateScreen;
}
