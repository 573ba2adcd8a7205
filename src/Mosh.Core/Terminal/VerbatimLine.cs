namespace Mosh.Terminal;

/// <summary>
/// A row's history line kept as the bytes the application wrote for it: while a row blanked by scrolling is printed
/// left to right (prints, SGR, an erase that changes nothing), the emulator copies what the application wrote for it
/// here, with the renditions the row began in and the background it was blanked in. That is enough to write the
/// row's <see cref="HistoryLine"/> later (<see cref="VerbatimLineEncoder"/>), and later is often never: in an output
/// flood most lines are pushed out of the scrollback before any frame carries them. Anything else done to the row
/// abandons it, and the row's line is encoded from its cells as it leaves the screen.
/// </summary>
/// <remarks>
/// Replaces drafting the line in its stored form as the row was printed, which cost the server a quarter of its time
/// for coloured output (every word's renditions packed and its text copied a second time, most of it for lines that
/// were dropped unsent).
/// </remarks>
internal struct VerbatimLine
{
    /// <summary>Longest kept: a row whose bytes grow past this (a run of sequences that print nothing) is encoded from its cells.</summary>
    public const int MaxLength = 16 * 1024;

    private const int InitialLength = 256;

    private byte[]? _bytes;
    private int _length;
    private VerbatimState _state;
    private Renditions _start;
    private TerminalColor _fill;

    // Where the right half of the wide character printed last lies (erasing it, as printing one does, is no change).
    private int _wideRightHalf;

    private enum VerbatimState : byte
    {
        Off, // the row feeds no scrollback
        Abandoned, // changed in a way the bytes do not tell: encoded from the cells
        Fresh, // blank in _fill since it was last reset: can start
        Open, // being printed: bytes are copied as the application writes them
        Closed, // whole: the next change abandons it
    }

    public readonly bool IsOpen => _state == VerbatimState.Open;

    /// <summary>From now on (the row is blank in <paramref name="background"/>) the row can keep its bytes, and does again after each reset.</summary>
    public void Enable(TerminalColor background)
    {
        if (_state == VerbatimState.Off)
        {
            _state = VerbatimState.Fresh;
            _fill = background;
        }
    }

    /// <summary>The row was blanked in <paramref name="background"/>.</summary>
    public void Reset(TerminalColor background)
    {
        if (_state != VerbatimState.Off)
        {
            _state = VerbatimState.Fresh;
            _fill = background;
        }
    }

    /// <summary>The row changed in a way the bytes do not follow.</summary>
    public void Abandon()
    {
        if (_state != VerbatimState.Off)
        {
            _state = VerbatimState.Abandoned;
        }
    }

    /// <summary>The application starts writing the row (blank, cursor at its first column) in <paramref name="renditions"/>.</summary>
    public bool TryStart(in Renditions renditions)
    {
        if (_state != VerbatimState.Fresh)
        {
            return false;
        }

        _state = VerbatimState.Open;
        _start = renditions;
        _length = 0;
        _wideRightHalf = -1;
        return true;
    }

    /// <summary>More of what the application wrote for the row (only while it is open).</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_state != VerbatimState.Open)
        {
            return;
        }

        if (_length + bytes.Length > MaxLength)
        {
            _state = VerbatimState.Abandoned;
            return;
        }

        if (_bytes is null || _bytes.Length - _length < bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(Math.Max(InitialLength, (_bytes?.Length ?? 0) * 2), _length + bytes.Length));
        }

        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>The application finished the row (a line feed, a carriage return or a wrap): every later change abandons it.</summary>
    public void Close()
    {
        if (_state == VerbatimState.Open)
        {
            _state = VerbatimState.Closed;
        }
    }

    /// <summary>Cells were printed: what an open row expects; any other row no longer matches its bytes.</summary>
    public void Printed()
    {
        if (_state is VerbatimState.Fresh or VerbatimState.Closed)
        {
            _state = VerbatimState.Abandoned;
        }

        _wideRightHalf = -1;
    }

    /// <summary>One character was printed at <paramref name="column"/> (a wide one erases the cell to its right next).</summary>
    public void PrintedCharacter(int column, bool wide)
    {
        Printed();
        _wideRightHalf = wide ? column + 1 : -1;
    }

    /// <summary>
    /// Cells <paramref name="start"/>..<paramref name="end"/> were erased in <paramref name="background"/>, where the
    /// row's ink ends at <paramref name="inkEnd"/>: no change if they were blank in the fill already, or the right half
    /// of the wide character just printed; anything else abandons the bytes.
    /// </summary>
    public void Erased(int start, int end, TerminalColor background, int inkEnd)
    {
        if (_state is VerbatimState.Off or VerbatimState.Abandoned)
        {
            return;
        }

        bool unchanged = (start == _wideRightHalf && end == start) || (background == _fill && start >= inkEnd);
        if (!unchanged)
        {
            _state = VerbatimState.Abandoned;
        }
    }

    /// <summary>The row's bytes with how it began, if it was written whole; the row is leaving the screen.</summary>
    public readonly bool TryTake(out Renditions start, out TerminalColor fill, out ReadOnlySpan<byte> bytes)
    {
        start = _start;
        fill = _fill;
        if (_state != VerbatimState.Closed)
        {
            bytes = default;
            return false;
        }

        bytes = _bytes.AsSpan(0, _length);
        return true;
    }

    /// <summary>Moves <paramref name="source"/>'s bytes here (this row is the copy the screen goes on writing); the source keeps none.</summary>
    public void TakeFrom(ref VerbatimLine source)
    {
        (_bytes, source._bytes) = (source._bytes, _bytes);
        _length = source._length;
        _state = source._state;
        _start = source._start;
        _fill = source._fill;
        _wideRightHalf = source._wideRightHalf;
        source._length = 0;
        source.Abandon();
    }
}
