namespace Mosh.Terminal;

// A height change on the primary screen as a terminal with scrollback makes it (xterm, tmux, VTE): the server's
// screen then stays what the user's terminal shows after its own resize, so a client that writes history into
// that terminal's scrollback neither loses rows nor gets rows the terminal already saved a second time.
internal sealed partial class Framebuffer
{
    /// <summary>
    /// Rows a shrink took off the top, oldest first: the user's terminal put them into its scrollback itself, so
    /// they never enter the history; growing back takes the newest of them back onto the screen, as the terminal
    /// takes them back from its scrollback. Any whole-screen scroll empties it (newer lines are on top of the
    /// terminal's scrollback then). Belongs to the live screen only: copies start without one.
    /// </summary>
    private List<Row>? _resizeStash;

    /// <summary>Rows the next grow would take back (for tests).</summary>
    internal int ResizeStashCount => _resizeStash?.Count ?? 0;

    /// <summary>
    /// Shrinking to <paramref name="height"/> rows: the rows below the cursor go first, from the bottom; if the
    /// cursor's row would still be cut off, the top rows leave the screen (into the stash) and the rest move up,
    /// the cursor with them, so the cursor's row ends on the bottom row. (Before <see cref="DrawState.Resize"/>.)
    /// </summary>
    private void ShrinkKeepingCursorRow(int height)
    {
        int oldHeight = State.Height;
        int top = Math.Max(0, State.CursorRow + 1 - height);
        if (top == 0)
        {
            return; // the rows below the cursor make room: ResizeRows cuts them
        }

        _resizeStash ??= [];
        for (int i = 0; i < top; i++)
        {
            _resizeStash.Add(_rows[i]);
        }

        if (_resizeStash.Count > MaxHeight)
        {
            _resizeStash.RemoveRange(0, _resizeStash.Count - MaxHeight);
        }

        // The rows left move up; the slots at the bottom are cut by ResizeRows.
        _rows.AsSpan(top, oldHeight - top).CopyTo(_rows.AsSpan(0));
        State.ShiftCursorRow(-top);
    }

    /// <summary>
    /// Grown from <paramref name="oldHeight"/> rows (after <see cref="ResizeRows"/> added blank rows at the bottom):
    /// the newest stashed rows come back on top, pushing the screen down, as far as the new rows make room.
    /// </summary>
    private void GrowFromResizeStash(int oldHeight)
    {
        int back = Math.Min(State.Height - oldHeight, _resizeStash?.Count ?? 0);
        if (back == 0)
        {
            return;
        }

        // The blank rows just added at the bottom make room: the screen moves down over them.
        _rows.AsSpan(0, State.Height - back).CopyTo(_rows.AsSpan(back));
        int first = _resizeStash!.Count - back;
        for (int i = 0; i < back; i++)
        {
            _rows[i] = _resizeStash[first + i];
            if (_rows[i].Width != State.Width)
            {
                GetMutableRow(i).Resize(State.Width, Background);
            }
        }

        _resizeStash.RemoveRange(first, back);
        State.ShiftCursorRow(back);
    }
}
