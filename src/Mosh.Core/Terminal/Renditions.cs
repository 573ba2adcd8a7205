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
        // Straight into a destination with room for the longest form (history lines format one per colour change).
        bool direct = destination.Length >= MaxSgrLength;
        Span<byte> buffer = direct ? destination : stackalloc byte[MaxSgrLength];
        int n = 0;
        buffer[n++] = 0x1B;
        buffer[n++] = (byte)'[';
        buffer[n++] = (byte)'0';
        AppendFlag(buffer, ref n, TextAttributes.Bold, (byte)'1');
        AppendFlag(buffer, ref n, TextAttributes.Italic, (byte)'3');
        AppendFlag(buffer, ref n, TextAttributes.Underline, (byte)'4');
        AppendFlag(buffer, ref n, TextAttributes.Blink, (byte)'5');
        AppendFlag(buffer, ref n, TextAttributes.Inverse, (byte)'7');
        AppendFlag(buffer, ref n, TextAttributes.Invisible, (byte)'8');
        AppendColor(buffer, ref n, Foreground, (byte)'3');
        AppendColor(buffer, ref n, Background, (byte)'4');
        buffer[n++] = (byte)'m';
        if (!direct)
        {
            buffer[..n].CopyTo(destination);
        }

        return n;
    }

    private readonly void AppendFlag(Span<byte> buffer, ref int n, TextAttributes attribute, byte code)
    {
        if (Has(attribute))
        {
            buffer[n++] = (byte)';';
            buffer[n++] = code;
        }
    }

    private static void AppendColor(Span<byte> buffer, ref int n, TerminalColor color, byte layer)
    {
        switch (color.Kind)
        {
            case ColorKind.Indexed when color.Index < 8:
                buffer[n++] = (byte)';';
                buffer[n++] = layer;
                buffer[n++] = (byte)('0' + color.Index);
                break;
            case ColorKind.Indexed:
                AppendExtendedPrefix(buffer, ref n, layer, (byte)'5');
                AppendNumber(buffer, ref n, color.Index);
                break;
            case ColorKind.Rgb:
                AppendExtendedPrefix(buffer, ref n, layer, (byte)'2');
                AppendNumber(buffer, ref n, color.Red);
                buffer[n++] = (byte)';';
                AppendNumber(buffer, ref n, color.Green);
                buffer[n++] = (byte)';';
                AppendNumber(buffer, ref n, color.Blue);
                break;
            default:
                break;
        }
    }

    private static void AppendExtendedPrefix(Span<byte> buffer, ref int n, byte layer, byte mode)
    {
        buffer[n++] = (byte)';';
        buffer[n++] = layer;
        buffer[n++] = (byte)'8';
        buffer[n++] = (byte)';';
        buffer[n++] = mode;
        buffer[n++] = (byte)';';
    }

    private static void AppendNumber(Span<byte> buffer, ref int n, int value)
    {
        value.TryFormat(buffer[n..], out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        n += written;
    }

    public readonly bool Equals(Renditions other) =>
        Foreground == other.Foreground && Background == other.Background
        && HyperlinkId == other.HyperlinkId && _attributes == other._attributes;

    public override readonly bool Equals(object? obj) => obj is Renditions other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Foreground, Background, HyperlinkId, _attributes);

    public static bool operator ==(Renditions left, Renditions right) => left.Equals(right);

    public static bool operator !=(Renditions left, Renditions right) => !left.Equals(right);
}
