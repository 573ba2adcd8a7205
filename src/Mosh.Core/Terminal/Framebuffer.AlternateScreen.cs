namespace Mosh.Terminal;

// xterm's two screen buffers (DEC private modes 47, 1047, 1049): the rows of the one not shown are kept aside,
// with its own DECSC slot, and come back when the screen switches again.
internal sealed partial class Framebuffer
{
    // The buffer not shown: null until the first switch. Its rows follow the same copy-on-write rules as the shown
    // ones (a row is written only through GetMutableRow after a switch brings it back).
    private RowWindow? _otherRows;
    private SavedCursor _otherSaved = SavedCursor.Initial;

    /// <summary>The alternate screen is shown (a full-screen program such as vim or less is running).</summary>
    public bool IsAlternateScreen => State.AlternateScreen;

    /// <summary>Shows the alternate screen (mode 47/1047/1049 set); <paramref name="clear"/> erases it first (1049).</summary>
    public void EnterAlternateScreen(bool clear)
    {
        if (!State.AlternateScreen)
        {
            SwitchBuffers();
            State.AlternateScreen = true;
        }

        if (clear)
        {
            ClearShownRows();
        }
    }

    /// <summary>Shows the normal screen again (mode 47/1047/1049 reset); <paramref name="clearFirst"/> erases the
    /// alternate screen before leaving it (1047).</summary>
    public void LeaveAlternateScreen(bool clearFirst)
    {
        if (!State.AlternateScreen)
        {
            return;
        }

        if (clearFirst)
        {
            ClearShownRows();
        }

        SwitchBuffers();
        State.AlternateScreen = false;
    }

    private void SwitchBuffers()
    {
        RowWindow shown = _rows;
        if (_otherRows is null || _otherRows.Length != shown.Length)
        {
            _otherRows = new RowWindow(shown.Length);
            FillBlank(_otherRows, _generations.Next());
        }

        _rows = _otherRows;
        _otherRows = shown;
        _otherSaved = State.ExchangeSavedCursor(_otherSaved);
    }

    private void ClearShownRows()
    {
        for (int y = 0; y < _rows.Length; y++)
        {
            ResetRow(y);
        }
    }

    /// <summary>The hidden buffer follows a resize as the shown one does (rows cut or added, cut or padded).</summary>
    private void ResizeOtherBuffer(int oldWidth, int oldHeight)
    {
        if (_otherRows is null)
        {
            return;
        }

        (_rows, _otherRows) = (_otherRows, _rows);
        ResizeRows(oldWidth, oldHeight);
        (_rows, _otherRows) = (_otherRows, _rows);
    }

    private void CopyOtherBuffer(Framebuffer other)
    {
        _otherRows = other._otherRows?.Clone();
        _otherSaved = other._otherSaved;
    }
}
