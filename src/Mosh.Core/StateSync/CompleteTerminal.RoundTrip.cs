using Mosh.Terminal;

namespace Mosh.StateSync;

internal sealed partial class CompleteTerminal
{
    /// <summary>
    /// Whether a client that rebuilt <paramref name="rebuilt"/> from our diffs shows this screen: the echo ack, the
    /// size, the cursor position and every cell's grapheme, width, renditions and row wrap, as upstream's
    /// <c>Complete::compare</c> checks. Equality is stricter than the peer can follow: an erased cell the display
    /// redrew with a space, a bell count the display rings once per frame, hyperlink ids that each emulator draws
    /// from the process-wide counter. Everything else the display draws (title, modes) the init-diff check covers.
    /// </summary>
    public bool RoundTripsTo(CompleteTerminal rebuilt)
    {
        if (Equals(rebuilt))
        {
            return true;
        }

        Framebuffer mine = _framebuffer;
        Framebuffer theirs = rebuilt._framebuffer;
        if (_echoAck != rebuilt._echoAck || mine.Width != theirs.Width || mine.Height != theirs.Height
            || mine.State.CursorRow != theirs.State.CursorRow || mine.State.CursorColumn != theirs.State.CursorColumn)
        {
            return false;
        }

        for (int row = 0; row < mine.Height; row++)
        {
            Row a = mine.GetRow(row);
            Row b = theirs.GetRow(row);
            if (a.ContentEquals(b))
            {
                continue;
            }

            if (a.Wrap != b.Wrap)
            {
                return false;
            }

            for (int column = 0; column < a.Width; column++)
            {
                if (!a.CellEquals(column, b, column) && !CellsLookAlike(mine, a, theirs, b, column))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool CellsLookAlike(Framebuffer mine, Row a, Framebuffer theirs, Row b, int column)
    {
        Cell x = a[column];
        Cell y = b[column];
        if (x.IsWide != y.IsWide || !Shown(a.GetText(column)).SequenceEqual(Shown(b.GetText(column))))
        {
            return false;
        }

        Renditions xr = x.Renditions;
        Renditions yr = y.Renditions;
        if (xr.HyperlinkId != yr.HyperlinkId && !Equals(mine.GetHyperlink(xr.HyperlinkId), theirs.GetHyperlink(yr.HyperlinkId)))
        {
            return false;
        }

        xr.HyperlinkId = 0;
        yr.HyperlinkId = 0;
        return xr == yr;
    }

    /// <summary>An erased cell shows as a space (upstream prints an empty grapheme as one).</summary>
    private static ReadOnlySpan<char> Shown(ReadOnlySpan<char> text) => text.IsEmpty ? " " : text;
}
