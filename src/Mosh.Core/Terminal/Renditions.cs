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

    public TerminalColor Foreground;
    public TerminalColor Background;

    /// <summary>OSC 8 hyperlink id, 0 when the cell is not part of a link.</summary>
    public int HyperlinkId;

    // Low 16 bits: TextAttributes; bits 16-18: UnderlineStyle (non-zero exactly when Underline is set).
    private uint _attributes;

    /// <summary>The renditions of an erased cell: everything default except the background (BCE).</summary>
    public static Renditions WithBackground(TerminalColor background) => new() { Background = background };

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
        // written through a reference: the 16-byte entries of SgrCodes stay under MaxSgrLength (the longest form is
        // 50 bytes, and no entry is copied past byte 48), checked once here.
        bool direct = destination.Length >= MaxSgrLength;
        Span<byte> buffer = direct ? destination : stackalloc byte[MaxSgrLength];
        ref byte b = ref MemoryMarshal.GetReference(buffer[..MaxSgrLength]);
        Unsafe.WriteUnaligned(ref b, 0x00_30_5B_1Bu); // ESC [ 0
        int n = 3;
        if (_attributes != 0)
        {
            n += SgrCodes.Copy(ref SgrCodes.Attributes((int)(_attributes & (SgrCodes.AttributeCombinations - 1))), ref Unsafe.Add(ref b, n));
        }

        n = AppendColor(ref b, n, Foreground, background: false);
        n = AppendColor(ref b, n, Background, background: true);
        Unsafe.Add(ref b, n++) = (byte)'m';
        if (!direct)
        {
            buffer[..n].CopyTo(destination);
        }

        return n;
    }

    private static int AppendColor(ref byte b, int n, TerminalColor color, bool background)
    {
        switch (color.Kind)
        {
            case ColorKind.Indexed:
                return n + SgrCodes.Copy(ref SgrCodes.Palette(background, color.Index), ref Unsafe.Add(ref b, n));
            case ColorKind.Rgb:
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, n), background ? 0x3B_32_3B_38_34_3Bul : 0x3B_32_3B_38_33_3Bul); // ";38;2;" / ";48;2;"
                n += 6;
                n += SgrCodes.WriteNumber(color.Red, ref Unsafe.Add(ref b, n));
                Unsafe.Add(ref b, n++) = (byte)';';
                n += SgrCodes.WriteNumber(color.Green, ref Unsafe.Add(ref b, n));
                Unsafe.Add(ref b, n++) = (byte)';';
                return n + SgrCodes.WriteNumber(color.Blue, ref Unsafe.Add(ref b, n));
            default:
                return n;
        }
    }

    public readonly bool Equals(Renditions other) =>
        Foreground == other.Foreground && Background == other.Background
        && HyperlinkId == other.HyperlinkId && _attributes == other._attributes;

    public override readonly bool Equals(object? obj) => obj is Renditions other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Foreground, Background, HyperlinkId, _attributes);

    public static bool operator ==(Renditions left, Renditions right) => left.Equals(right);

    public static bool operator !=(Renditions left, Renditions right) => !left.Equals(right);
}
