using System.Runtime.CompilerServices;

namespace Mosh.Terminal;

// Printing graphic characters: width, deferred wrap, insert mode, wide and combining characters.
internal sealed partial class Emulator
{
    /// <summary>Upstream's cheap first check: printable ISO 8859-1 characters are one column wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPrintableIso8859_1(int ch) => (ch >= 0x20 && ch <= 0x7E) || (ch >= 0xA0 && ch <= 0xFF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int WidthOf(int ch) =>
        ch == 0 ? -1 : IsPrintableIso8859_1(ch) ? 1 : CharWidth.Of(ch);

    /// <remarks>
    /// A call from the parser, with everything a printed character takes inlined into it (the cell, the width), so
    /// non-ASCII text costs one call a character without growing the parser's loop.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Print(int ch)
    {
        int width = WidthOf(ch);
        if (width > 0)
        {
            PrintGraphic(ch, width);
        }
        else if (width == 0)
        {
            Combine(ch);
        }

        // -1: not printable
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrintGraphic(int ch, int width)
    {
        ref DrawState ds = ref _fb.State;
        if (ds.AutoWrapMode && ds.NextPrintWillWrap)
        {
            WrapToNextLine(ref ds, _parser.TokenStart);
        }
        else if (ds.AutoWrapMode && width == 2 && ds.CursorColumn == ds.Width - 1)
        {
            // No room for a wide character: leave the last cell blank and wrap without the wrap flag
            // (no terminal can be made to set its copy-and-paste wrap flag on such a line).
            Row last = _fb.GetMutableRow(ds.CursorRow);
            last.ResetCell(ds.CursorColumn, ds.Renditions.Background);
            last.Wrap = false;
            CloseVerbatimRow(_parser.TokenStart);
            ds.MoveColumn(0);
            _fb.MoveRowsAutoscroll(1);
            StartVerbatimRow(_parser.TokenStart);
        }

        if (ds.InsertMode)
        {
            _fb.InsertCells(ds.CursorRow, ds.CursorColumn, width);
        }

        Row row = _fb.GetMutableRow(ds.CursorRow);
        int col = ds.CursorColumn;
        row.SetCharacter(col, ch, ds.Renditions, width == 2);
        if (width == 2 && col + 1 < ds.Width)
        {
            row.ResetCell(col + 1, ds.Renditions.Background); // the right half of the wide character
        }

        ds.MoveColumn(width, relative: true, @implicit: true);
    }

    /// <summary>Deferred wrap, taken by a print at offset <paramref name="at"/> of the write (-1: unknown), where the row's bytes end and the next row's begin.</summary>
    private void WrapToNextLine(ref DrawState ds, int at)
    {
        _fb.GetMutableRow(ds.CursorRow).Wrap = true;
        CloseVerbatimRow(at);
        ds.MoveColumn(0);
        _fb.MoveRowsAutoscroll(1);
        StartVerbatimRow(at);
    }

    /// <summary>A run of printable ASCII: same result as printing each byte, a row segment at a time.</summary>
    /// <remarks>
    /// Inlined into the parser's loop with the row writes it makes (<see cref="Row.SetAscii"/>,
    /// <see cref="Framebuffer.GetMutableRow"/>), as the JIT's profile-guided
    /// tier does: the AOT compiler, without a profile, kept them calls, and coloured output prints a word at a time
    /// (server CPU for 20 MB of coloured text 0.249 -> 0.242 s).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrintAscii(ReadOnlySpan<byte> text)
    {
        ref DrawState ds = ref _fb.State;
        if (ds.InsertMode)
        {
            foreach (byte b in text)
            {
                Print(b);
            }

            return;
        }

        int length = text.Length;
        while (!text.IsEmpty)
        {
            if (ds.NextPrintWillWrap && ds.AutoWrapMode)
            {
                int start = _parser.TokenStart;
                WrapToNextLine(ref ds, start < 0 ? -1 : start + length - text.Length);
            }

            int col = ds.CursorColumn;
            int room = ds.Width - col;
            if (!ds.AutoWrapMode && text.Length > room)
            {
                // Without autowrap everything past the edge overwrites the last column: only the final
                // character of the excess survives.
                _fb.GetMutableRow(ds.CursorRow).SetAscii(col, text[..room], ds.Renditions);
                _fb.GetMutableRow(ds.CursorRow).SetAscii(ds.Width - 1, text[^1..], ds.Renditions);
                ds.AdvanceAfterPrinting(ds.Width - col);
                return;
            }

            int n = Math.Min(text.Length, room);
            _fb.GetMutableRow(ds.CursorRow).SetAscii(col, text[..n], ds.Renditions);
            ds.AdvanceAfterPrinting(n);
            text = text[n..];
        }
    }

    /// <summary>A zero-width character joins the last printed cell; on an erased cell it starts a fallback cell.</summary>
    private void Combine(int ch)
    {
        Row? row = _fb.GetCombiningRow(out int col);
        if (row is null)
        {
            return; // the cell went off screen in a resize
        }

        if (row[col].IsEmpty)
        {
            // The base character was erased (e.g. by EL): the mark stands alone and takes the cell.
            row.SetFallback(col, true);
            _fb.State.MoveColumn(1, relative: true, @implicit: true);
        }

        row.AppendToCell(col, ch);
    }
}
