using System.Runtime.CompilerServices;

namespace Mosh.Terminal;

/// <summary>
/// The terminal screen state mosh synchronises: rows of cells, the draw state (cursor, modes, renditions),
/// window title and icon name, OSC 52 clipboard, which screen buffer is shown (the other one is kept aside), bell count and the OSC 8 hyperlinks the cells use.
/// </summary>
/// <remarks>
/// <para>Copying is cheap: <see cref="Clone"/> (or <see cref="CopyFrom"/>) shares all rows, and whichever
/// frame writes a shared row later copies it first (<see cref="GetMutableRow"/>), as upstream does with
/// shared_ptr rows. Rows read from a frame are therefore immutable unless that frame handed them out through
/// <see cref="GetMutableRow"/>.</para>
/// <para>Rows a frame owned when <see cref="CopyFrom"/> replaced them are seen by no other frame, so the frame
/// keeps them as spares and its next copy-on-write copies into one instead of allocating: a client that copies
/// the server's frame into the same two frames and paints predictions on them allocates nothing per frame.
/// Hold a row from <see cref="GetMutableRow"/> only until the frame is next copied onto.</para>
/// <para>Comparison is fast: rows that are the same object are equal without a look; others compare their cell
/// memory (<see cref="Row.ContentEquals"/>).</para>
/// </remarks>
internal sealed partial class Framebuffer : IEquatable<Framebuffer>
{
    private static long s_lastOwner;

    /// <summary>Cursor, modes, renditions, tab stops and scrolling region. Mutable in place (a field).</summary>
    public DrawState State;

    private RowWindow _rows;

    // Identifies this frame as the writer of rows (and the hyperlink table) it created or copied. Copying a
    // frame gives both frames new tokens, so both copy a row before writing it.
    private long _owner;
    private HyperlinkTable _hyperlinks;

    // This frame's own block of row generations (never copied between frames: each frame draws its own).
    private GenerationSource _generations;

    // Rows this frame owned until CopyFrom replaced them (at most one screenful), reused by GetMutableRow.
    private Row[]? _spareRows;
    private int _spareCount;

    /// <summary>Widest screen kept; wider requests (an absurd window size from a peer) are clamped.</summary>
    public const int MaxWidth = 2048;

    /// <summary>Tallest screen kept; taller requests are clamped (a full frame stays under 64 MiB).</summary>
    public const int MaxHeight = 1024;

    /// <summary>A blank screen; sizes are clamped to 1..<see cref="MaxWidth"/> x 1..<see cref="MaxHeight"/>.</summary>
    public Framebuffer(int width, int height)
    {
        width = ClampWidth(width);
        height = ClampHeight(height);
        State = new DrawState(width, height);
        _owner = NewOwner();
        _rows = new RowWindow(height);
        FillBlank(_rows, _generations.Next());
        _hyperlinks = HyperlinkTable.CreateEmpty(_owner);
    }

    private Framebuffer(Framebuffer other)
    {
        _rows = other._rows.Clone();
        CopyScalars(other);
        CopyOtherBuffer(other);
        _owner = NewOwner();
        _hyperlinks = other._hyperlinks;
        other._owner = NewOwner();
    }

    /// <summary>
    /// Where rows scrolled off the top of the whole screen go (the server's history); null, the default, keeps none.
    /// Not copied to clones: only the live screen records.
    /// </summary>
    public IScrollbackSink? ScrollbackSink { get; set; }

    public int Width => State.Width;

    public int Height => State.Height;

    /// <summary>The rows, top to bottom. Do not write them (see <see cref="GetMutableRow"/>).</summary>
    public ReadOnlySpan<Row> Rows => _rows.AsSpan();

    /// <summary>OSC 0/2 window title ("" until set).</summary>
    public string WindowTitle { get; private set; } = string.Empty;

    /// <summary>OSC 0/1 icon name ("" until set).</summary>
    public string IconName { get; private set; } = string.Empty;

    /// <summary>True once an OSC set the title or icon name (displays only then forward titles).</summary>
    public bool TitleInitialized { get; private set; }

    /// <summary>OSC 52 clipboard contents (the base64 text exactly as the application sent it).</summary>
    public string Clipboard { get; private set; } = string.Empty;

    /// <summary>Counts clipboard settings (copies keep it), so the clipboard extension can name one clipboard.</summary>
    public ulong ClipboardSerial { get; private set; }

    private byte[]? _clipboardUtf8;

    /// <summary><see cref="Clipboard"/> as UTF-8, made once per clipboard (shared by copies of the frame).</summary>
    public byte[] ClipboardUtf8 => _clipboardUtf8 ??= System.Text.Encoding.UTF8.GetBytes(Clipboard);

    /// <summary>How many times BEL rang; displays ring when it changes.</summary>
    public uint BellCount { get; private set; }

    /// <summary>Number of hyperlinks this frame currently knows (for tests; bounded by pruning).</summary>
    public int HyperlinkCount => _hyperlinks.Count;

    public Row GetRow(int row) => _rows[row];

    public ref readonly Cell GetCell(int row, int column) => ref _rows[row][column];

    /// <summary>The link a <see cref="Renditions.HyperlinkId"/> refers to, or null for 0 / unknown ids.</summary>
    public Hyperlink? GetHyperlink(int id) => _hyperlinks.Get(id);

    /// <summary>A row this frame may write: a shared row is copied (same generation) and replaced first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Row GetMutableRow(int row)
    {
        Row current = _rows[row];
        return current.Owner == _owner ? current : CopyRowForWriting(row, current);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Row CopyRowForWriting(int row, Row current)
    {
        Row copy = TakeSpareRow(current.Width) is { } spare ? spare.CopyFrom(current, _owner) : current.Clone(_owner);
        copy.TakeVerbatimFrom(current); // the screen goes on writing the copy
        _rows[row] = copy;
        return copy;
    }

    /// <summary>A copy sharing every row; O(height).</summary>
    public Framebuffer Clone() => new(this);

    /// <summary>Makes this frame a copy of <paramref name="other"/>, reusing this frame's row array when the height matches.</summary>
    public void CopyFrom(Framebuffer other)
    {
        if (ReferenceEquals(this, other))
        {
            return;
        }

        KeepOwnedRowsAsSpares();
        if (_rows.Length == other._rows.Length)
        {
            other._rows.AsSpan().CopyTo(_rows);
        }
        else
        {
            _rows = other._rows.Clone();
        }

        CopyScalars(other);
        CopyOtherBuffer(other);
        _hyperlinks = other._hyperlinks;
        _owner = NewOwner();
        other._owner = NewOwner();
    }

    // Called before this frame's rows are replaced: those it owns are reachable from no other frame.
    private void KeepOwnedRowsAsSpares()
    {
        foreach (Row row in _rows)
        {
            if (row.Owner != _owner)
            {
                continue;
            }

            _spareRows ??= new Row[_rows.Length];
            if (_spareCount == _spareRows.Length)
            {
                return;
            }

            _spareRows[_spareCount++] = row;
        }
    }

    private Row? TakeSpareRow(int width)
    {
        while (_spareCount > 0)
        {
            Row spare = _spareRows![--_spareCount];
            _spareRows[_spareCount] = null!;
            if (spare.Width == width)
            {
                return spare;
            }
        }

        return null;
    }

    private void CopyScalars(Framebuffer other)
    {
        State = other.State;
        WindowTitle = other.WindowTitle;
        IconName = other.IconName;
        TitleInitialized = other.TitleInitialized;
        Clipboard = other.Clipboard;
        ClipboardSerial = other.ClipboardSerial;
        _clipboardUtf8 = other._clipboardUtf8;
        BellCount = other.BellCount;
    }

    /// <summary>
    /// Whether two frames show the same thing: rows (contents and wrap), the displayed part of the draw state
    /// (<see cref="DrawState.DisplayEquals"/>), title, icon name, clipboard and bell count.
    /// </summary>
    public bool Equals(Framebuffer? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || _rows.Length != other._rows.Length || !State.DisplayEquals(other.State)
            || BellCount != other.BellCount || TitleInitialized != other.TitleInitialized
            || !string.Equals(WindowTitle, other.WindowTitle, StringComparison.Ordinal)
            || !string.Equals(IconName, other.IconName, StringComparison.Ordinal)
            || !string.Equals(Clipboard, other.Clipboard, StringComparison.Ordinal))
        {
            return false;
        }

        for (int i = 0; i < _rows.Length; i++)
        {
            if (!_rows[i].ContentEquals(other._rows[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is Framebuffer other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Width, Height, State.CursorRow, State.CursorColumn, BellCount);

    /// <summary>The screen as text, rows separated by newlines (empty cells as spaces), for tests and debugging.</summary>
    public override string ToString() => string.Join('\n', Array.ConvertAll(_rows.AsSpan().ToArray(), r => r.ToString()));

    private static int ClampWidth(int width) => Math.Clamp(width, 1, MaxWidth);

    private static int ClampHeight(int height) => Math.Clamp(height, 1, MaxHeight);

    private static long NewOwner() => Interlocked.Increment(ref s_lastOwner);

    /// <summary>Fills slots with distinct blank rows owned by this frame, sharing one generation (upstream newrow()).</summary>
    private void FillBlank(Span<Row> slots, ulong gen)
    {
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = Row.CreateBlank(State.Width, State.Renditions.Background, gen, _owner);
        }
    }
}
