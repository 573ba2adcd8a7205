using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Mosh.Terminal;

/// <summary>Inline UTF-16 storage for a cell's grapheme.</summary>
[InlineArray(Cell.InlineCapacity)]
internal struct CellText
{
    private char _element0;
}

/// <summary>
/// One character cell: a whole grapheme (a base character and the combining marks that followed it) with its
/// renditions and flags. A plain 32-byte value without references or padding, so rows copy with a memory copy
/// and compare with a vectorised memory compare. Graphemes of up to <see cref="InlineCapacity"/> UTF-16 units
/// (a base character and a few marks) are stored inline; longer ones set <see cref="CellFlags.Overflow"/> and
/// live in the owning <see cref="Row"/>, so read the text with <see cref="Row.GetText"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Cell
{
    /// <summary>UTF-16 units stored without a heap allocation.</summary>
    public const int InlineCapacity = 6;

    /// <summary>Upstream's limit on a cell's contents: no more marks are appended once its UTF-8 form is 32 bytes.</summary>
    public const int MaxContentsUtf8Length = 32;

    internal Renditions _renditions;
    internal CellText _text;
    internal byte _length;
    internal byte _utf8Length;
    internal CellFlags _flags;
    private readonly byte _reserved; // keeps the struct free of padding (32 bytes) for byte-wise comparison

    /// <summary>An empty cell whose background is <paramref name="background"/> (how erasing leaves a cell: BCE).</summary>
    public static Cell Blank(TerminalColor background) => new() { _renditions = Renditions.WithBackground(background) };

    /// <summary>A cell holding one BMP character (not a surrogate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Cell Narrow(char ch, in Renditions renditions)
    {
        var cell = new Cell { _renditions = renditions, _length = 1, _utf8Length = (byte)Utf8LengthOf(ch) };
        cell._text[0] = ch;
        return cell;
    }

    public readonly Renditions Renditions => _renditions;

    public readonly CellFlags Flags => _flags;

    public readonly bool IsWide => (_flags & CellFlags.Wide) != 0;

    public readonly bool IsFallback => (_flags & CellFlags.Fallback) != 0;

    /// <summary>Columns the cell occupies (1, or 2 for a wide character).</summary>
    public readonly int Width => IsWide ? 2 : 1;

    /// <summary>True when the cell holds no character (it prints as a space).</summary>
    public readonly bool IsEmpty => _length == 0;

    /// <summary>Length of the grapheme in UTF-16 units.</summary>
    public readonly int TextLength => _length;

    /// <summary>Length of the grapheme in UTF-8 bytes (what upstream counts).</summary>
    public readonly int Utf8Length => _utf8Length;

    /// <summary>Upstream's <c>full()</c>: a combining mark arriving now is dropped.</summary>
    public readonly bool IsFull => _utf8Length >= MaxContentsUtf8Length;

    /// <summary>Upstream's <c>is_blank()</c>: empty, a space, or a no-break space.</summary>
    public readonly bool IsBlank =>
        _length == 0 || (_length == 1 && (_text[0] == ' ' || _text[0] == '\u00A0'));

    /// <summary>The grapheme when it is stored inline (always unless <see cref="CellFlags.Overflow"/> is set).</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<char> InlineText =>
        (_flags & CellFlags.Overflow) != 0 ? default : ((ReadOnlySpan<char>)_text)[.._length];

    public void SetRenditions(in Renditions renditions) => _renditions = renditions;

    public void SetWide(bool wide) => _flags = wide ? _flags | CellFlags.Wide : _flags & ~CellFlags.Wide;

    public void SetFallback(bool fallback) =>
        _flags = fallback ? _flags | CellFlags.Fallback : _flags & ~CellFlags.Fallback;

    /// <summary>Upstream's <c>reset()</c>: empty, default renditions except the background, no flags.</summary>
    public void Reset(TerminalColor background) => this = Blank(background);

    internal static int Utf8LengthOf(int codePoint) =>
        codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

    internal static int Utf16LengthOf(int codePoint) => codePoint < 0x10000 ? 1 : 2;

    /// <summary>Encodes a code point as UTF-16 (invalid scalar values become U+FFFD). Returns the unit count.</summary>
    internal static int EncodeUtf16(int codePoint, Span<char> destination) =>
        new Rune(Rune.IsValid(codePoint) ? codePoint : 0xFFFD).EncodeToUtf16(destination);
}
