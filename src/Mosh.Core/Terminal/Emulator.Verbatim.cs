namespace Mosh.Terminal;

// Rows that keep what the application writes for them (VerbatimLine): a row blanked by scrolling starts keeping its
// bytes when the cursor enters it at its first column by a line feed or a wrap, and stops at the line feed, carriage
// return or wrap that leaves it. Prints, SGR and an erase that changes nothing go on; anything else done while the
// cursor is on it abandons the bytes. Where bytes lie is their offset in the write being parsed (the parser's
// TokenStart); each write copies the open row's bytes before it returns.
internal sealed partial class Emulator
{
    // The write being parsed, pinned (null between writes).
    private unsafe byte* _written;
    private int _writtenLength;

    // Where the cursor row's bytes not yet copied begin in the write being parsed.
    private int _verbatimFrom;

    private unsafe ReadOnlySpan<byte> Written(int from, int to) => new(_written + from, to - from);

    /// <summary>The cursor row, if it keeps its bytes, ends at offset <paramref name="end"/> of this write (-1: unknown, abandoned).</summary>
    private unsafe void CloseVerbatimRow(int end)
    {
        Row row = _fb.GetRow(_fb.State.CursorRow);
        if (!row.IsVerbatimOpen)
        {
            return;
        }

        if (end < _verbatimFrom || end > _writtenLength || _written == null)
        {
            row.AbandonVerbatim();
            return;
        }

        row.AppendVerbatim(Written(_verbatimFrom, end));
        row.CloseVerbatim();
    }

    /// <summary>The application starts writing the cursor row at offset <paramref name="start"/> of this write, if the row is blank and can keep its bytes.</summary>
    private unsafe void StartVerbatimRow(int start)
    {
        ref DrawState ds = ref _fb.State;
        if (start < 0 || start > _writtenLength || _written == null
            || ds.CursorColumn != 0 || ds.NextPrintWillWrap || ds.InsertMode || !ds.AutoWrapMode)
        {
            return;
        }

        if (_fb.GetRow(ds.CursorRow).TryStartVerbatim(ds.Renditions))
        {
            _verbatimFrom = start;
        }
    }

    /// <summary>Something the kept bytes do not follow happens with the cursor on the row.</summary>
    private void AbandonVerbatimRow()
    {
        Row row = _fb.GetRow(_fb.State.CursorRow);
        if (row.IsVerbatimOpen)
        {
            row.AbandonVerbatim();
        }
    }

    /// <summary>The end of a write: the open row takes the rest of it (the next write goes on from its start).</summary>
    private unsafe void KeepOpenVerbatim()
    {
        Row row = _fb.GetRow(_fb.State.CursorRow);
        if (row.IsVerbatimOpen && _written != null)
        {
            row.AppendVerbatim(Written(_verbatimFrom, _writtenLength));
        }
    }

    /// <summary>Control sequences a row's kept bytes may hold: SGR, and erasing to the end of the line (which changes nothing unless the row says otherwise).</summary>
    private static bool KeepsVerbatim(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final) =>
        intermediates.IsEmpty && (final == 'm' || (final == 'K' && !parameters.HasSubParameters && parameters.Get(0, 0) == 0));
}
