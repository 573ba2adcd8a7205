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
        // written through a reference: every index below stays under MaxSgrLength, checked once here.
        bool direct = destination.Length >= MaxSgrLength;
        Span<byte> buffer = direct ? destination : stackalloc byte[MaxSgrLength];
        ref byte b = ref MemoryMarshal.GetReference(buffer[..MaxSgrLength]);
        b = 0x1B;
        Unsafe.Add(ref b, 1) = (byte)'[';
        Unsafe.Add(ref b, 2) = (byte)'0';
        int n = 3;
        if (_attributes != 0)
        {
            AppendFlag(ref b, ref n, TextAttributes.Bold, (byte)'1');
            AppendFlag(ref b, ref n, TextAttributes.Italic, (byte)'3');
            AppendFlag(ref b, ref n, TextAttributes.Underline, (byte)'4');
            AppendFlag(ref b, ref n, TextAttributes.Blink, (byte)'5');
            AppendFlag(ref b, ref n, TextAttributes.Inverse, (byte)'7');
            AppendFlag(ref b, ref n, TextAttributes.Invisible, (byte)'8');
        }

        AppendColor(ref b, ref n, Foreground, (byte)'3');
        AppendColor(ref b, ref n, Background, (byte)'4');
        Unsafe.Add(ref b, n++) = (byte)'m';
        if (!direct)
        {
            buffer[..n].CopyTo(destination);
        }

        return n;
    }

    private readonly void AppendFlag(ref byte b, ref int n, TextAttributes attribute, byte code)
    {
        if (Has(attribute))
        {
            Unsafe.Add(ref b, n) = (byte)';';
            Unsafe.Add(ref b, n + 1) = code;
            n += 2;
        }
    }

    private static void AppendColor(ref byte b, ref int n, TerminalColor color, byte layer)
    {
        switch (color.Kind)
        {
            case ColorKind.Indexed when color.Index < 8:
                Unsafe.Add(ref b, n) = (byte)';';
                Unsafe.Add(ref b, n + 1) = layer;
                Unsafe.Add(ref b, n + 2) = (byte)('0' + color.Index);
                n += 3;
                break;
            case ColorKind.Indexed:
                AppendExtendedPrefix(ref b, ref n, layer, (byte)'5');
                AppendNumber(ref b, ref n, color.Index);
                break;
            case ColorKind.Rgb:
                AppendExtendedPrefix(ref b, ref n, layer, (byte)'2');
                AppendNumber(ref b, ref n, color.Red);
                Unsafe.Add(ref b, n++) = (byte)';';
                AppendNumber(ref b, ref n, color.Green);
                Unsafe.Add(ref b, n++) = (byte)';';
                AppendNumber(ref b, ref n, color.Blue);
                break;
            default:
                break;
        }
    }

    private static void AppendExtendedPrefix(ref byte b, ref int n, byte layer, byte mode)
    {
        Unsafe.Add(ref b, n) = (byte)';';
        Unsafe.Add(ref b, n + 1) = layer;
        Unsafe.Add(ref b, n + 2) = (byte)'8';
        Unsafe.Add(ref b, n + 3) = (byte)';';
        Unsafe.Add(ref b, n + 4) = mode;
        Unsafe.Add(ref b, n + 5) = (byte)';';
        n += 6;
    }

    /// <summary>A colour component or index (0-255) in decimal, without the general formatter's detour.</summary>
    private static void AppendNumber(ref byte b, ref int n, int value)
    {
        if (value >= 100)
        {
            int hundreds = value / 100;
            Unsafe.Add(ref b, n++) = (byte)('0' + hundreds);
            value -= hundreds * 100;
            Unsafe.Add(ref b, n++) = (byte)('0' + (value / 10));
        }
        else if (value >= 10)
        {
            Unsafe.Add(ref b, n++) = (byte)('0' + (value / 10));
        }

        Unsafe.Add(ref b, n++) = (byte)('0' + (value % 10));
    }

    public readonly bool Equals(Renditions other) =>
        Foreground == other.Foreground && Background == other.Background
        && HyperlinkId == other.HyperlinkId && _attributes == other._attributes;

    public override readonly bool Equals(object? obj) => obj is Renditions other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Foreground, Background, HyperlinkId, _attributes);

    public static bool operator ==(Renditions left, Renditions right) => left.Equals(right);

    public static bool operator !=(Renditions left, Renditions right) => !left.Equals(right);
}
