using System.Globalization;
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
    /// With <paramref name="explain"/>, every difference is described in upstream's words (its informational lines
    /// about cells that still match, such as a blank against a space, are left out).
    /// </summary>
    public bool RoundTripsTo(CompleteTerminal rebuilt, Action<string>? explain = null)
    {
        if (Equals(rebuilt))
        {
            return true;
        }

        Framebuffer mine = _framebuffer;
        Framebuffer theirs = rebuilt._framebuffer;
        if (mine.Width != theirs.Width || mine.Height != theirs.Height)
        {
            explain?.Invoke(Invariant($"Framebuffer size ({mine.Width}x{mine.Height}, {theirs.Width}x{theirs.Height}) differs."));
            return false;
        }

        bool same = true;
        for (int row = 0; row < mine.Height && (same || explain is not null); row++)
        {
            Row a = mine.GetRow(row);
            Row b = theirs.GetRow(row);
            if (a.ContentEquals(b))
            {
                continue;
            }

            for (int column = 0; column < a.Width && (same || explain is not null); column++)
            {
                // Upstream keeps the wrap flag in a row's last cell.
                bool wrapDiffers = column == a.Width - 1 && a.Wrap != b.Wrap;
                if ((a.CellEquals(column, b, column) || CellsLookAlike(mine, a, theirs, b, column, explain)) && !wrapDiffers)
                {
                    continue;
                }

                if (wrapDiffers)
                {
                    explain?.Invoke(Invariant($"wrap: {(a.Wrap ? 1 : 0)} vs. {(b.Wrap ? 1 : 0)}"));
                }

                explain?.Invoke(Invariant($"Cell ({row}, {column}) differs."));
                same = false;
            }
        }

        if (mine.State.CursorRow != theirs.State.CursorRow || mine.State.CursorColumn != theirs.State.CursorColumn)
        {
            explain?.Invoke(Invariant(
                $"Cursor mismatch: ({mine.State.CursorRow}, {mine.State.CursorColumn}) vs. ({theirs.State.CursorRow}, {theirs.State.CursorColumn})."));
            same = false;
        }

        if (_echoAck != rebuilt._echoAck)
        {
            // Not upstream's (its compare() leaves the echo ack out), but the ack is synchronised exactly.
            explain?.Invoke(Invariant($"Echo ack mismatch: {_echoAck} vs. {rebuilt._echoAck}."));
            same = false;
        }

        if (HistoryEnd != rebuilt.HistoryEnd)
        {
            explain?.Invoke(Invariant($"History mismatch: {HistoryEnd} vs. {rebuilt.HistoryEnd} lines."));
            same = false;
        }

        if (AlternateScreen != rebuilt.AlternateScreen)
        {
            explain?.Invoke(Invariant($"Alternate screen mismatch: {AlternateScreen} vs. {rebuilt.AlternateScreen}."));
            same = false;
        }

        if (_helloAnswered != rebuilt._helloAnswered || _capabilities != rebuilt._capabilities)
        {
            explain?.Invoke(Invariant($"Hello mismatch: {Capabilities} vs. {rebuilt.Capabilities}."));
            same = false;
        }

        if (_notice != rebuilt._notice)
        {
            explain?.Invoke(Invariant($"Notice mismatch: {_notice} vs. {rebuilt._notice}."));
            same = false;
        }

        return same;
    }

    /// <summary>Cells that differ in storage but not on the client's screen; otherwise explains how they differ.</summary>
    private static bool CellsLookAlike(Framebuffer mine, Row a, Framebuffer theirs, Row b, int column, Action<string>? explain)
    {
        Cell x = a[column];
        Cell y = b[column];
        bool same = true;
        // Compared as printed, as upstream does: a lone combining mark (stored as a fallback cell) prints after a
        // no-break space, which is how the receiver stores it once it has read the display's output.
        string xText = Printed(x, a.GetText(column));
        string yText = Printed(y, b.GetText(column));
        if (!string.Equals(xText, yText, StringComparison.Ordinal))
        {
            explain?.Invoke($"Graphemes: '{xText}' vs. '{yText}'");
            same = false;
        }

        if (x.IsWide != y.IsWide)
        {
            explain?.Invoke(Invariant($"width: {(x.IsWide ? 1 : 0)} vs. {(y.IsWide ? 1 : 0)}"));
            same = false;
        }

        Renditions xr = x.Renditions;
        Renditions yr = y.Renditions;
        bool sameLink = xr.HyperlinkId == yr.HyperlinkId
            || Equals(mine.GetHyperlink(xr.HyperlinkId), theirs.GetHyperlink(yr.HyperlinkId));
        xr.HyperlinkId = 0;
        yr.HyperlinkId = 0;
        if (!sameLink || xr != yr)
        {
            explain?.Invoke("renditions differ");
            same = false;
        }

        return same;
    }

    /// <summary>
    /// A cell as the display prints it: an erased cell as a space (upstream prints an empty grapheme as one), a
    /// fallback cell (a combining character on its own) after a no-break space.
    /// </summary>
    private static string Printed(in Cell cell, ReadOnlySpan<char> text) =>
        text.IsEmpty ? " " : cell.IsFallback ? "\u00A0" + text.ToString() : text.ToString();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
