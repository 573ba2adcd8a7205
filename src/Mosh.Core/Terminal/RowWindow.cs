namespace Mosh.Terminal;

/// <summary>
/// A screen's rows, top to bottom, as a window onto a store twice the screen's height: scrolling the whole screen
/// up moves the window down instead of moving every row reference (a write-barriered copy of the whole screen per
/// scrolled line, a tenth of the server's time on <c>seq</c>); once the window reaches the end of the store it is
/// copied back to the start, one copy per screenful of scrolling.
/// </summary>
internal sealed class RowWindow
{
    private Row[] _store;
    private int _start;

    /// <summary><paramref name="height"/> empty slots (fill them).</summary>
    public RowWindow(int height)
    {
        _store = new Row[2 * height];
        Length = height;
    }

    private RowWindow(ReadOnlySpan<Row> rows)
        : this(rows.Length)
    {
        rows.CopyTo(_store);
    }

    /// <summary>Rows shown (the screen's height).</summary>
    public int Length { get; private set; }

    public ref Row this[int row] => ref _store[_start + row];

    public Span<Row> AsSpan() => _store.AsSpan(_start, Length);

    public Span<Row> AsSpan(int start) => AsSpan()[start..];

    public Span<Row> AsSpan(int start, int length) => AsSpan().Slice(start, length);

    public Span<Row>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    public static implicit operator Span<Row>(RowWindow window) => window.AsSpan();

    public static implicit operator ReadOnlySpan<Row>(RowWindow window) => window.AsSpan();

    /// <summary>A window of the same rows (the references, not copies of the rows).</summary>
    public RowWindow Clone() => new(AsSpan());

    /// <summary>
    /// Drops the top <paramref name="count"/> rows (the caller has taken them) and opens as many empty slots at the
    /// bottom, for the caller to fill.
    /// </summary>
    public void ScrollUp(int count)
    {
        if (_start + Length + count > _store.Length)
        {
            // Back to the start of the store: one copy of the screen per screenful of scrolling.
            AsSpan().CopyTo(_store);
            _store.AsSpan(Length).Clear();
            _start = 0;
        }

        // The dropped rows must not stay reachable from here.
        if (count == 1)
        {
            _store[_start] = null!;
        }
        else
        {
            _store.AsSpan(_start, count).Clear();
        }

        _start += count;
    }

    /// <summary>A new height: rows kept from the top, new slots (empty, to be filled) at the bottom.</summary>
    public void Resize(int height)
    {
        var store = new Row[2 * height];
        AsSpan(0, Math.Min(height, Length)).CopyTo(store);
        _store = store;
        _start = 0;
        Length = height;
    }
}
