using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mosh.Terminal;

/// <summary>Character attributes set by SGR. Faint (SGR 2) is not supported, as upstream.</summary>
[Flags]
internal enum TextAttributes : ushort
{
    None = 0,
    Bold = 1 << 0,
    Italic = 1 << 1,
    Underline = 1 << 2,
    Blink = 1 << 3,
    Inverse = 1 << 4,
    Invisible = 1 << 5,
}

/// <summary>Underline style from the colon form <c>4:n</c> (upstream knows only plain SGR 4).</summary>
internal enum UnderlineStyle : byte
{
    None = 0,
    Single = 1,
    Double = 2,
    Curly = 3,
    Dotted = 4,
    Dashed = 5,
}

/// <summary>
/// How a cell is drawn: attributes, foreground and background colour, and the OSC 8 hyperlink it belongs to
/// (0 = none; resolve other ids with <see cref="Framebuffer.GetHyperlink"/>). 16 bytes without padding so
/// cells compare as raw memory.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Renditions : IEquatable<Renditions>
{
    /// <summary>Longest output of <see cref="FormatSgr"/>: "\e[0;1;3;4;5;7;8;38;2;255;255;255;48;2;255;255;255m".</summary>
    public const int MaxSgrLength = 64;

    private const uint AttributeMask = 0xFFFF;
    private const int UnderlineShift = 16;

    /// <summary>The attribute bits SGR writes (Bold .. Invisible; an underline style implies Underline).</summary>
    internal const uint SgrAttributeMask = 0x3F;

    public TerminalColor Foreground;
    public TerminalColor Background;

    /// <summary>OSC 8 hyperlink id, 0 when the cell is not part of a link.</summary>
    public int HyperlinkId;

    // Low 16 bits: TextAttributes; bits 16-18: UnderlineStyle (non-zero exactly when Underline is set).
    private uint _attributes;

    /// <summary>The renditions of an erased cell: everything default except the background (BCE).</summary>
    public static Renditions WithBackground(TerminalColor background) => new() { Background = background };

    /// <summary>Renditions from their parts (an underline is the single style).</summary>
    public static Renditions Of(TerminalColor foreground, TerminalColor background, TextAttributes attributes)
    {
        var renditions = new Renditions { Foreground = foreground, Background = background };
        renditions._attributes = (uint)attributes
            | ((attributes & TextAttributes.Underline) != 0 ? (uint)UnderlineStyle.Single << UnderlineShift : 0);
        return renditions;
    }

    public readonly TextAttributes Attributes => (TextAttributes)(_attributes & AttributeMask);

    public readonly UnderlineStyle UnderlineStyle => (UnderlineStyle)(_attributes >> UnderlineShift);

    public readonly bool Has(TextAttributes attribute) => (_attributes & (uint)attribute) != 0;

    public void Set(TextAttributes attribute, bool value)
    {
        if (attribute == TextAttributes.Underline)
        {
            SetUnderline(value ? UnderlineStyle.Single : UnderlineStyle.None);
        }
        else if (value)
        {
            _attributes |= (uint)attribute;
        }
        else
        {
            _attributes &= ~(uint)attribute;
        }
    }

    public void SetUnderline(UnderlineStyle style)
    {
        _attributes &= AttributeMask & ~(uint)TextAttributes.Underline;
        if (style != UnderlineStyle.None)
        {
            _attributes |= (uint)TextAttributes.Underline | ((uint)style << UnderlineShift);
        }
    }

    /// <summary>SGR 0: attributes and colours back to default. The hyperlink is not a rendition to SGR.</summary>
    public void ResetGraphics()
    {
        Foreground = default;
        Background = default;
        _attributes = 0;
    }

    /// <summary>
    /// Writes the SGR sequence that selects these renditions from any state, in upstream's format
    /// (<c>ESC [ 0 ;1;3;4;5;7;8 ;fg ;bg m</c>). Underline styles are written as plain 4, which every terminal
    /// (and upstream's parser, which ignores colon parameters) understands. Returns the byte count.
    /// </summary>
    public readonly int FormatSgr(Span<byte> destination)
    {
        if (_attributes == 0 && Foreground.IsDefault && Background.IsDefault)
        {
            // Plain "\e[0m": what every coloured word of a history line ends with.
            "\e[0m"u8.CopyTo(destination);
            return 4;
        }

        // Straight into a destination with room for the longest form (history lines format one per colour change),
        // written through a reference with whole-word stores: every store stays under MaxSgrLength (the longest form
        // is 50 bytes, and no store reaches past its end), checked once here.
        return destination.Length >= MaxSgrLength
            ? FormatSgrInto(ref MemoryMarshal.GetReference(destination))
            : FormatSgrCopied(destination);
    }

    /// <summary>The bytes <see cref="FormatSgr"/> writes, counted without writing them.</summary>
    public readonly int SgrLength()
    {
        if (_attributes == 0 && Foreground.IsDefault && Background.IsDefault)
        {
            return 4;
        }

        // ESC [ 0, ";N" per attribute, the colours, m.
        return 4 + (2 * BitOperations.PopCount(_attributes & SgrAttributeMask)) + ColorLength(Foreground) + ColorLength(Background);
    }

    private static int ColorLength(TerminalColor color) => color.Kind switch
    {
        ColorKind.Indexed when color.Index < 8 => 3,
        ColorKind.Indexed => 6 + DecimalLength(color.Index),
        ColorKind.Rgb => 8 + DecimalLength(color.Red) + DecimalLength(color.Green) + DecimalLength(color.Blue),
        _ => 0,
    };

    private static int DecimalLength(int value) => value < 10 ? 1 : value < 100 ? 2 : 3;

    // Into a short destination: through a buffer with room (kept out of FormatSgr, whose common path needs no stack buffer).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly int FormatSgrCopied(Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[MaxSgrLength];
        int n = FormatSgrInto(ref MemoryMarshal.GetReference(buffer));
        buffer[..n].CopyTo(destination);
        return n;
    }

    private readonly int FormatSgrInto(ref byte b)
    {
        Unsafe.WriteUnaligned(ref b, 0x00_30_5B_1Bu); // ESC [ 0
        int n = 3;
        uint flags = _attributes & SgrAttributeMask;
        while (flags != 0)
        {
            Unsafe.Add(ref b, n) = (byte)';';
            Unsafe.Add(ref b, n + 1) = AttributeCodes[BitOperations.TrailingZeroCount(flags)];
            n += 2;
            flags &= flags - 1;
        }

        n = AppendColor(ref b, n, Foreground, (byte)'3');
        n = AppendColor(ref b, n, Background, (byte)'4');
        Unsafe.Add(ref b, n) = (byte)'m';
        return n + 1;
    }

    /// <summary>The SGR code of each attribute, by its bit in <see cref="TextAttributes"/>.</summary>
    private static ReadOnlySpan<byte> AttributeCodes => "134578"u8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AppendColor(ref byte b, int n, TerminalColor color, byte layer)
    {
        switch (color.Kind)
        {
            case ColorKind.Indexed when color.Index < 8:
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, n), (uint)';' | ((uint)layer << 8) | ((uint)('0' + color.Index) << 16));
                return n + 3;
            case ColorKind.Indexed:
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, n), ExtendedPrefix(layer, (byte)'5'));
                return AppendNumber(ref b, n + 6, color.Index);
            case ColorKind.Rgb:
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, n), ExtendedPrefix(layer, (byte)'2'));
                n = AppendNumber(ref b, n + 6, color.Red);
                Unsafe.Add(ref b, n) = (byte)';';
                n = AppendNumber(ref b, n + 1, color.Green);
                Unsafe.Add(ref b, n) = (byte)';';
                return AppendNumber(ref b, n + 1, color.Blue);
            default:
                return n;
        }
    }

    /// <summary>";38;5;" and its kin as one word (little-endian; the two bytes after it are written over).</summary>
    private static ulong ExtendedPrefix(byte layer, byte mode) =>
        ';' | ((ulong)layer << 8) | ((ulong)'8' << 16) | ((ulong)';' << 24) | ((ulong)mode << 32) | ((ulong)';' << 40);

    /// <summary>A colour component or index (0-255) in decimal, as one store; returns where it ends.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AppendNumber(ref byte b, int n, int value)
    {
        if (value < 10)
        {
            Unsafe.Add(ref b, n) = (byte)('0' + value);
            return n + 1;
        }

        if (value < 100)
        {
            int tens = value / 10;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, n), (ushort)(('0' + tens) | (('0' + value - (tens * 10)) << 8)));
            return n + 2;
        }

        int hundreds = value / 100;
        int rest = value - (hundreds * 100);
        int ten = rest / 10;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, n), (uint)(('0' + hundreds) | (('0' + ten) << 8) | (('0' + rest - (ten * 10)) << 16)));
        return n + 3;
    }

    public readonly bool Equals(Renditions other) =>
        Foreground == other.Foreground && Background == other.Background
        && HyperlinkId == other.HyperlinkId && _attributes == other._attributes;

    public override readonly bool Equals(object? obj) => obj is Renditions other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Foreground, Background, HyperlinkId, _attributes);

    public static bool operator ==(Renditions left, Renditions right) => left.Equals(right);

    public static bool operator !=(Renditions left, Renditions right) => !left.Equals(right);
}
