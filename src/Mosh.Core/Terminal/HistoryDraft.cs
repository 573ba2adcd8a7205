using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Mosh.Terminal;

/// <summary>
/// A row's <see cref="HistoryLine"/> (as the scrollback stores it) written as the row is printed left to right, without
/// its cells: <see cref="VerbatimLineEncoder"/> replays what the application wrote for a row through one. The draft
/// lasts only while every change to the row is a print at <see cref="_column"/> (or an erase of cells past it that
/// leaves them as they were); any other change abandons it.
/// </summary>
/// <remarks>
/// While the draft is valid the row's cells before <see cref="_column"/> are exactly the characters appended, in the
/// renditions appended with them, and the cells from there on are blank in <see cref="_fill"/>'s background (how the
/// row was blanked). The bytes are what <see cref="HistoryLine.Encode"/> writes for those cells; <see cref="_kept"/>
/// marks where the cells it keeps end (it drops trailing blanks in plain renditions).
/// </remarks>
internal struct HistoryDraft
{
    private const int Abandoned = -1;
    private const int InitialLength = 256;

    private byte[]? _bytes;
    private int _length;
    private int _kept;
    private int _column;

    // Where the right half of the wide character appended last lies (erasing it, as printing one does, is no change).
    private int _wideRightHalf;

    private Renditions _current; // how the last bytes draw (hyperlink masked, as HistoryLine has it)
    private Renditions _keptRenditions;
    private TerminalColor _fill;

    /// <summary>A row that keeps no draft until <see cref="Start"/>.</summary>
    public static HistoryDraft None => new() { _column = Abandoned, _wideRightHalf = Abandoned };

    /// <summary>Whether the row's history line can be taken from the draft.</summary>
    public readonly bool IsValid => _column >= 0;

    /// <summary>
    /// Starts drafting for a row just blanked in <paramref name="background"/>: allocates the buffer the first time (a
    /// row that already drafts was restarted by the reset that blanked it).
    /// </summary>
    public void Start(TerminalColor background)
    {
        if (_bytes is null)
        {
            _bytes = new byte[InitialLength];
            Restart(background);
        }
    }

    /// <summary>The row was blanked in <paramref name="background"/>: an empty draft, if this row keeps one.</summary>
    public void Restart(TerminalColor background)
    {
        if (_bytes is null)
        {
            return;
        }

        _length = 0;
        _kept = 0;
        _column = 0;
        _wideRightHalf = Abandoned;
        _current = default;
        _keptRenditions = default;
        _fill = background;
    }

    /// <summary>The row changed in a way the draft does not follow: its line comes from its cells.</summary>
    public void Abandon() => _column = Abandoned;

    /// <summary>Printable ASCII <paramref name="text"/> was written from <paramref name="column"/> in <paramref name="renditions"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AppendAscii(int column, ReadOnlySpan<byte> text, in Renditions renditions)
    {
        if (column != _column)
        {
            _column = Abandoned; // not where the draft ends (or no draft): overwriting or skipping cells
            return;
        }

        DrawWith(renditions, text.Length);
        CopyShort(text, _bytes.AsSpan(_length));
        _length += text.Length;
        _column += text.Length;
        _wideRightHalf = Abandoned;
        if (!CurrentIsPlain)
        {
            Keep(_length);
            return;
        }

        // Trailing spaces in plain renditions are kept only if text follows them.
        int end = text.Length;
        while (end > 0 && text[end - 1] == (byte)' ')
        {
            end--;
        }

        if (end > 0)
        {
            Keep(_length - text.Length + end);
        }
    }

    /// <summary>One character (any code point; invalid ones are stored as U+FFFD) was printed at <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AppendCharacter(int column, int codePoint, in Renditions renditions, bool wide)
    {
        if (column != _column)
        {
            _column = Abandoned;
            return;
        }

        DrawWith(renditions, 4);
        _length += WriteUtf8(codePoint, _bytes.AsSpan(_length));
        _column += wide ? 2 : 1;
        _wideRightHalf = wide ? column + 1 : Abandoned;
        if (!CurrentIsPlain || (codePoint != ' ' && codePoint != '\u00A0'))
        {
            Keep(_length);
        }
    }

    /// <summary>Cells <paramref name="start"/>..<paramref name="end"/> (inclusive) were erased in <paramref name="background"/>.</summary>
    public void Erase(int start, int end, TerminalColor background)
    {
        if (start >= _column ? background != _fill : start != _wideRightHalf || end != start)
        {
            // Past the draft, cells blank in the fill stay as they were; the right half of a wide character is not
            // part of the line (HistoryLine skips it). Anything else changes what the line holds.
            _column = Abandoned;
        }
    }

    /// <summary>
    /// The history line of the row (<paramref name="width"/> columns) as <see cref="HistoryLine.Encode"/> writes it,
    /// if the draft is valid; the draft is used up either way (the row is leaving the screen).
    /// </summary>
    public bool TryFinish(int width, out ReadOnlySpan<byte> line)
    {
        if (_column < 0)
        {
            line = default;
            return false;
        }

        int fillColumns = width - _column;
        if (fillColumns > 0 && !_fill.IsDefault)
        {
            // Cells blank in a colour (the row was blanked under a coloured background) are not trimmed.
            DrawWith(Renditions.WithBackground(_fill), fillColumns);
            _bytes.AsSpan(_length, fillColumns).Fill((byte)' ');
            _length += fillColumns;
            Keep(_length);
        }

        int length = _kept;
        if (_keptRenditions != default)
        {
            EnsureRoom(length, PackedRenditions.Reset.Length);
            PackedRenditions.Reset.CopyTo(_bytes.AsSpan(length));
            length += PackedRenditions.Reset.Length;
        }

        _column = Abandoned;
        line = _bytes.AsSpan(0, length);
        return true;
    }

    /// <summary>
    /// <paramref name="codePoint"/> in UTF-8 (U+FFFD for a surrogate or one out of range) into
    /// <paramref name="destination"/>, which has room for 4 bytes; the bytes written. Written out rather than through
    /// <see cref="Rune"/>, whose encoder is a call per character.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteUtf8(int codePoint, Span<byte> destination)
    {
        uint c = (uint)codePoint;
        if (c < 0x80)
        {
            destination[0] = (byte)c;
            return 1;
        }

        if (c < 0x800)
        {
            destination[1] = (byte)(0x80 | (c & 0x3F));
            destination[0] = (byte)(0xC0 | (c >> 6));
            return 2;
        }

        if (c - 0xD800 < 0x800 || c > 0x10FFFF)
        {
            c = 0xFFFD;
        }

        if (c < 0x10000)
        {
            destination[2] = (byte)(0x80 | (c & 0x3F));
            destination[1] = (byte)(0x80 | ((c >> 6) & 0x3F));
            destination[0] = (byte)(0xE0 | (c >> 12));
            return 3;
        }

        destination[3] = (byte)(0x80 | (c & 0x3F));
        destination[2] = (byte)(0x80 | ((c >> 6) & 0x3F));
        destination[1] = (byte)(0x80 | ((c >> 12) & 0x3F));
        destination[0] = (byte)(0xF0 | (c >> 18));
        return 4;
    }

    /// <summary>
    /// <paramref name="source"/> into <paramref name="destination"/> (which has room for it): a coloured word is a few
    /// bytes, copied here with one or two overlapping moves instead of a call to the general copy (24 a line).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int n = source.Length;
        if (n > 16 || destination.Length < n)
        {
            source.CopyTo(destination);
            return;
        }

        ref byte from = ref MemoryMarshal.GetReference(source);
        ref byte to = ref MemoryMarshal.GetReference(destination);
        if (n >= 8)
        {
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<ulong>(ref from));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, n - 8), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, n - 8)));
        }
        else if (n >= 4)
        {
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<uint>(ref from));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, n - 4), Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref from, n - 4)));
        }
        else if (n > 0)
        {
            to = from;
            Unsafe.Add(ref to, n - 1) = Unsafe.Add(ref from, n - 1);
            Unsafe.Add(ref to, n >> 1) = Unsafe.Add(ref from, n >> 1);
        }
    }

    /// <summary>Makes room for renditions and <paramref name="count"/> bytes, and writes the renditions if the drawing changes.</summary>
    [MemberNotNull(nameof(_bytes))]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DrawWith(in Renditions renditions, int count)
    {
        EnsureRoom(_length, PackedRenditions.MaxLength + count);
        if (!HistoryLine.SameDrawing(renditions, _current))
        {
            _current = renditions;
            _current.HyperlinkId = 0;
            _length += PackedRenditions.Write(_current, _bytes.AsSpan(_length));
        }
    }

    [MemberNotNull(nameof(_bytes))]
    private void EnsureRoom(int used, int count)
    {
        if (_bytes!.Length - used < count)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, used + count));
        }
    }

    private void Keep(int length)
    {
        _kept = length;
        _keptRenditions = _current;
    }

    // The current drawing's hyperlink is always masked, so default colours and attributes are plain.
    private readonly bool CurrentIsPlain => HistoryLine.SameDrawing(_current, default);
}
