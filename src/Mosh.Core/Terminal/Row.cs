using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Mosh.Terminal;

/// <summary>
/// One line of the screen: its cells, whether the text wraps onto the next line (the last column was passed
/// by printing), and a generation number.
/// </summary>
/// <remarks>
/// <para>Rows are shared between framebuffer copies (as upstream shares them with shared_ptr): a row may be
/// read by many frames but is only written by the <see cref="Framebuffer"/> that owns it; any other frame
/// copies it first (<see cref="Framebuffer.GetMutableRow"/>). So a <see cref="Row"/> reached from a frame you
/// did not just mutate must be treated as immutable.</para>
/// <para><see cref="Gen"/> is a process-wide counter value taken when the row is created blank or wholly reset
/// and kept by copies: rows with different generations are not "the same line" even if their text matches,
/// which is what scroll detection in the display diff needs (upstream compares gen and cells).</para>
/// </remarks>
internal sealed class Row
{
    private static long s_generation;

    private Cell[] _cells;

    // Graphemes too long for inline storage, indexed by column; only read where the cell has CellFlags.Overflow.
    private string?[]? _overflow;

    internal long Owner;

    // Every cell from this column on is all zero bytes (erased, default renditions): an upper bound kept by every
    // write, so erasing a row and finding where its text ends look only at the cells ever written since.
    private int _inkEnd;

    // What the application wrote for the row, on a screen that feeds a scrollback (VerbatimLine).
    private VerbatimLine _verbatim;

    private Row(Cell[] cells, ulong gen, long owner, int inkEnd)
    {
        _cells = cells;
        Gen = gen;
        Owner = owner;
        _inkEnd = inkEnd;
    }

    /// <summary>
    /// Columns that may hold anything but an erased cell with default renditions (all zero bytes): the cells from
    /// here to the end are all such cells. An upper bound (erasing a written cell does not lower it).
    /// </summary>
    public int InkEnd => _inkEnd;

    private void Inked(int end)
    {
        if (end > _inkEnd)
        {
            _inkEnd = end;
        }
    }

    /// <summary>Where ink ends once cells up to <paramref name="end"/> were filled with blanks of <paramref name="background"/>.</summary>
    private void Erased(int end, TerminalColor background)
    {
        if (!background.IsDefault)
        {
            Inked(end);
        }
    }

    /// <summary>Generation: new when the row is created blank or reset whole, kept when the row is copied.</summary>
    public ulong Gen { get; private set; }

    /// <summary>True when printing ran past the last column onto the next row (soft wrap).</summary>
    public bool Wrap { get; set; }

    public int Width => _cells.Length;

    public ReadOnlySpan<Cell> Cells => _cells;

    public ref readonly Cell this[int column] => ref _cells[column];

    /// <summary>
    /// From now on (the row is blank in <paramref name="background"/>) the row can keep the bytes the application writes
    /// for it (<see cref="VerbatimLine"/>), and does again each time a reset blanks it.
    /// </summary>
    internal void EnableVerbatim(TerminalColor background) => _verbatim.Enable(background);

    /// <summary>Whether the row is being written with its bytes kept (<see cref="AppendVerbatim"/> takes more).</summary>
    internal bool IsVerbatimOpen => _verbatim.IsOpen;

    /// <summary>The application starts writing this blank row from its first column in <paramref name="renditions"/>.</summary>
    internal bool TryStartVerbatim(in Renditions renditions) => _verbatim.TryStart(renditions);

    /// <summary>More of the bytes the application wrote for the row.</summary>
    internal void AppendVerbatim(ReadOnlySpan<byte> bytes) => _verbatim.Append(bytes);

    /// <summary>The application finished writing the row.</summary>
    internal void CloseVerbatim() => _verbatim.Close();

    /// <summary>The row's bytes no longer tell what it holds (the emulator did something with it they do not follow).</summary>
    internal void AbandonVerbatim() => _verbatim.Abandon();

    /// <summary>
    /// The bytes the application wrote for the row, the renditions it began in and the background it was blanked in,
    /// if it was written whole and not changed since; valid until the row is next changed.
    /// </summary>
    internal bool TryTakeVerbatim(out Renditions start, out TerminalColor fill, out ReadOnlySpan<byte> bytes) =>
        _verbatim.TryTake(out start, out fill, out bytes);

    /// <summary>This row is the copy of <paramref name="source"/> the screen goes on writing: it takes the source's kept bytes.</summary>
    internal void TakeVerbatimFrom(Row source) => _verbatim.TakeFrom(ref source._verbatim);

    /// <summary>A fresh generation number (upstream's get_gen()).</summary>
    public static ulong NextGeneration() => (ulong)Interlocked.Increment(ref s_generation);

    /// <summary>Reserves <paramref name="count"/> consecutive generation numbers; returns the first.</summary>
    internal static ulong ReserveGenerations(int count) => (ulong)Interlocked.Add(ref s_generation, count) - (ulong)count + 1;

    /// <summary>A blank row of <paramref name="width"/> cells with the given background, owned by nobody.</summary>
    public static Row CreateBlank(int width, TerminalColor background) => CreateBlank(width, background, NextGeneration(), 0);

    internal static Row CreateBlank(int width, TerminalColor background, ulong gen, long owner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var cells = new Cell[width];
        if (!background.IsDefault)
        {
            cells.AsSpan().Fill(Cell.Blank(background));
        }

        return new Row(cells, gen, owner, background.IsDefault ? 0 : width);
    }

    /// <summary>The cell's grapheme (empty for an empty cell), wherever it is stored.</summary>
    public ReadOnlySpan<char> GetText(int column)
    {
        ref Cell cell = ref _cells[column];
        if ((cell._flags & CellFlags.Overflow) != 0)
        {
            return _overflow![column];
        }

        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<CellText, char>(ref cell._text), cell._length);
    }

    /// <summary>The cell's grapheme as a string (for tests and diagnostics).</summary>
    public string GetTextString(int column) => new(GetText(column));

    /// <summary>Upstream's <c>contents_match</c>: both blank, or the same grapheme.</summary>
    public bool ContentsMatch(int column, Row other, int otherColumn) =>
        (_cells[column].IsBlank && other._cells[otherColumn].IsBlank)
        || GetText(column).SequenceEqual(other.GetText(otherColumn));

    /// <summary>Whether two cells are identical (grapheme, renditions, flags).</summary>
    public bool CellEquals(int column, Row other, int otherColumn)
    {
        ref Cell a = ref _cells[column];
        ref Cell b = ref other._cells[otherColumn];
        var bytesA = MemoryMarshal.AsBytes(new ReadOnlySpan<Cell>(ref a));
        var bytesB = MemoryMarshal.AsBytes(new ReadOnlySpan<Cell>(ref b));
        if (!bytesA.SequenceEqual(bytesB))
        {
            return false;
        }

        return (a._flags & CellFlags.Overflow) == 0 || GetText(column).SequenceEqual(other.GetText(otherColumn));
    }

    /// <summary>
    /// How many cells after <paramref name="column"/> are byte-for-byte the same as it (the rest of a blank
    /// line, typically), compared a whole 32-byte cell at a time.
    /// </summary>
    public int CountRepeatsAfter(int column)
    {
        ReadOnlySpan<Cell> rest = _cells.AsSpan(column + 1);
        ref readonly Cell first = ref _cells[column];
        int n = 0;
        if (Vector256.IsHardwareAccelerated && Unsafe.SizeOf<Cell>() == Vector256<byte>.Count)
        {
            Vector256<byte> template = Unsafe.As<Cell, Vector256<byte>>(ref Unsafe.AsRef(in first));
            ref Cell start = ref MemoryMarshal.GetReference(rest);
            while (n < rest.Length && Unsafe.As<Cell, Vector256<byte>>(ref Unsafe.Add(ref start, n)) == template)
            {
                n++;
            }

            return n;
        }

        var firstBytes = MemoryMarshal.AsBytes(new ReadOnlySpan<Cell>(in first));
        while (n < rest.Length && MemoryMarshal.AsBytes(rest.Slice(n, 1)).SequenceEqual(firstBytes))
        {
            n++;
        }

        return n;
    }

    /// <summary>
    /// Whether the rows show the same thing: same cells and wrap flag (the generation is not compared; compare
    /// <see cref="Gen"/> as well for upstream's Row ==). Same object is a cheap yes; otherwise a memory compare.
    /// </summary>
    public bool ContentEquals(Row? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._cells.Length != _cells.Length || other.Wrap != Wrap)
        {
            return false;
        }

        if (!MemoryMarshal.AsBytes(_cells.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(other._cells.AsSpan())))
        {
            return false;
        }

        // Equal bytes: overflow flags sit at the same columns; their strings still need a look.
        if (_overflow is null && other._overflow is null)
        {
            return true;
        }

        for (int col = 0; col < _cells.Length; col++)
        {
            if ((_cells[col]._flags & CellFlags.Overflow) != 0 && !GetText(col).SequenceEqual(other.GetText(col)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Upstream's Row ==: same generation and same contents.</summary>
    public bool IdenticalTo(Row? other) => other is not null && (ReferenceEquals(this, other) || (Gen == other.Gen && ContentEquals(other)));

    /// <summary>A copy (same generation) owned by <paramref name="owner"/>.</summary>
    internal Row Clone(long owner)
    {
        var copy = new Row((Cell[])_cells.Clone(), Gen, owner, _inkEnd) { Wrap = Wrap };
        if (_overflow is not null)
        {
            copy._overflow = (string?[])_overflow.Clone();
        }

        return copy;
    }

    /// <summary>
    /// Makes this row (of the same width, and seen by no frame but its new owner) a copy of
    /// <paramref name="source"/> owned by <paramref name="owner"/>, reusing its storage; returns it.
    /// </summary>
    internal Row CopyFrom(Row source, long owner)
    {
        _verbatim.Abandon(); // the bytes are the source's (the screen takes them over with TakeVerbatimFrom)
        source._cells.AsSpan().CopyTo(_cells);
        _inkEnd = source._inkEnd;
        Gen = source.Gen;
        Wrap = source.Wrap;
        Owner = owner;
        if (source._overflow is null)
        {
            _overflow = null;
        }
        else if (_overflow is not null && _overflow.Length == source._overflow.Length)
        {
            source._overflow.AsSpan().CopyTo(_overflow);
        }
        else
        {
            _overflow = (string?[])source._overflow.Clone();
        }

        return this;
    }

    /// <summary>A copy owned by nobody (for callers outside a framebuffer, e.g. a display's scratch rows).</summary>
    public Row Clone() => Clone(0);

    /// <summary>Erases the whole row with the given background and gives it a new generation.</summary>
    public void Reset(TerminalColor background) => Reset(background, NextGeneration());

    internal void Reset(TerminalColor background, ulong gen)
    {
        Gen = gen;
        Wrap = false;
        _verbatim.Reset(background);
        if (background.IsDefault)
        {
            _cells.AsSpan(0, _inkEnd).Clear(); // the rest is clear already
            _inkEnd = 0;
        }
        else
        {
            _cells.AsSpan().Fill(Cell.Blank(background));
            _inkEnd = _cells.Length;
        }

        _overflow = null;
    }

    /// <summary>Erases one cell (upstream reset_cell; erasing the last cell also drops the wrap flag, as there).</summary>
    public void ResetCell(int column, TerminalColor background)
    {
        _verbatim.Erased(column, column, background, _inkEnd);
        _cells[column] = Cell.Blank(background);
        Erased(column + 1, background);
        if (column == _cells.Length - 1)
        {
            Wrap = false;
        }
    }

    /// <summary>Erases cells <paramref name="start"/>..<paramref name="end"/> inclusive.</summary>
    public void ResetCells(int start, int end, TerminalColor background)
    {
        if (end < start)
        {
            return;
        }

        _verbatim.Erased(start, end, background, _inkEnd);
        _cells.AsSpan(start, end - start + 1).Fill(Cell.Blank(background));
        Erased(end + 1, background);
        if (end == _cells.Length - 1)
        {
            Wrap = false;
        }
    }

    /// <summary>
    /// Replaces a cell with one character (what printing does): erased, then the character, its width and
    /// the renditions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetCharacter(int column, int codePoint, in Renditions renditions, bool wide)
    {
        if (column == _cells.Length - 1)
        {
            Wrap = false;
        }

        _verbatim.PrintedCharacter(column, wide);

        ref Cell cell = ref _cells[column];
        Inked(column + 1);
        if ((uint)codePoint < 0xD800 || ((uint)codePoint - 0xE000) < 0x2000)
        {
            cell = Cell.Narrow((char)codePoint, renditions);
        }
        else
        {
            cell = new Cell { _renditions = renditions };
            AppendInline(ref cell, Rune.IsValid(codePoint) ? codePoint : 0xFFFD);
        }

        if (wide)
        {
            cell._flags |= CellFlags.Wide;
        }
    }

    /// <summary>Writes a run of printable ASCII (0x20..0x7E) into consecutive cells with the same renditions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetAscii(int column, ReadOnlySpan<byte> text, in Renditions renditions)
    {
        var cells = _cells.AsSpan(column, text.Length);
        _verbatim.Printed();

        Inked(column + text.Length);
        Cell template = Cell.Narrow(' ', renditions);
        for (int i = 0; i < cells.Length; i++)
        {
            template._text[0] = (char)text[i];
            cells[i] = template;
        }

        if (column + text.Length == _cells.Length)
        {
            Wrap = false;
        }
    }

    /// <summary>
    /// Appends a combining character to a cell unless the cell is full (upstream drops marks once the cell's
    /// contents reach 32 UTF-8 bytes).
    /// </summary>
    public void AppendToCell(int column, int codePoint)
    {
        _verbatim.Abandon();
        ref Cell cell = ref _cells[column];
        Inked(column + 1);
        if (cell.IsFull)
        {
            return;
        }

        if (!Rune.IsValid(codePoint))
        {
            codePoint = 0xFFFD;
        }

        int units = Cell.Utf16LengthOf(codePoint);
        if ((cell._flags & CellFlags.Overflow) == 0 && cell._length + units <= Cell.InlineCapacity)
        {
            AppendInline(ref cell, codePoint);
            return;
        }

        Span<char> encoded = stackalloc char[2];
        Cell.EncodeUtf16(codePoint, encoded);
        string text = string.Concat(GetText(column), encoded[..units]);
        _overflow ??= new string?[_cells.Length];
        _overflow[column] = text;
        ((Span<char>)cell._text).Clear();
        cell._flags |= CellFlags.Overflow;
        cell._length = (byte)text.Length;
        cell._utf8Length += (byte)Cell.Utf8LengthOf(codePoint);
    }

    private static void AppendInline(ref Cell cell, int codePoint)
    {
        // codePoint is a valid scalar value here.
        cell._length += (byte)Cell.EncodeUtf16(codePoint, ((Span<char>)cell._text)[cell._length..]);
        cell._utf8Length += (byte)Cell.Utf8LengthOf(codePoint);
    }

    public void SetRenditions(int column, in Renditions renditions)
    {
        _verbatim.Abandon();
        _cells[column]._renditions = renditions;
        Inked(column + 1);
    }

    public void SetFallback(int column, bool fallback)
    {
        _verbatim.Abandon();
        _cells[column].SetFallback(fallback);
        Inked(column + 1);
    }

    public void SetWide(int column, bool wide)
    {
        _verbatim.Abandon();
        _cells[column].SetWide(wide);
        Inked(column + 1);
    }

    /// <summary>ICH: inserts <paramref name="count"/> blank cells at the column; cells pushed past the edge are lost.</summary>
    public void InsertCells(int column, int count, TerminalColor background)
    {
        int width = _cells.Length;
        count = Math.Min(count, width - column);
        if (count <= 0)
        {
            return;
        }

        _verbatim.Abandon();

        _cells.AsSpan(column, width - column - count).CopyTo(_cells.AsSpan(column + count));
        _cells.AsSpan(column, count).Fill(Cell.Blank(background));
        Inked(Math.Min(width, _inkEnd + count)); // the inked cells moved right
        Erased(column + count, background);
        if (_overflow is not null)
        {
            _overflow.AsSpan(column, width - column - count).CopyTo(_overflow.AsSpan(column + count));
        }

        Wrap = false;
    }

    /// <summary>DCH: deletes <paramref name="count"/> cells at the column; blank cells fill in at the right.</summary>
    public void DeleteCells(int column, int count, TerminalColor background)
    {
        int width = _cells.Length;
        count = Math.Min(count, width - column);
        if (count <= 0)
        {
            return;
        }

        _verbatim.Abandon();

        _cells.AsSpan(column + count).CopyTo(_cells.AsSpan(column));
        _cells.AsSpan(width - count).Fill(Cell.Blank(background));
        Erased(width, background); // the cells that came in at the right
        if (_overflow is not null)
        {
            _overflow.AsSpan(column + count).CopyTo(_overflow.AsSpan(column));
        }

        Wrap = false;
    }

    /// <summary>Changes the width (resize): cells are cut at the right or blank ones added; the wrap flag drops.</summary>
    internal void Resize(int width, TerminalColor background)
    {
        int old = _cells.Length;
        Wrap = false;
        _verbatim.Abandon();
        if (width == old)
        {
            return;
        }

        Array.Resize(ref _cells, width);
        if (width > old && !background.IsDefault)
        {
            _cells.AsSpan(old).Fill(Cell.Blank(background));
            _inkEnd = width;
        }

        _inkEnd = Math.Min(_inkEnd, width);

        if (_overflow is not null)
        {
            Array.Resize(ref _overflow, width);
        }
    }

    public override string ToString()
    {
        var builder = new StringBuilder(_cells.Length);
        for (int col = 0; col < _cells.Length; col++)
        {
            if (_cells[col].IsEmpty)
            {
                builder.Append(' ');
            }
            else
            {
                builder.Append(GetText(col));
            }
        }

        return builder.ToString();
    }
}
