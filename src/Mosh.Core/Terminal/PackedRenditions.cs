using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mosh.Terminal;

/// <summary>
/// Renditions as the server's scrollback stores them inside a history line: <see cref="Marker"/>, a header byte, then
/// only what is not default (2-9 bytes, where the SGR of upstream's absolute form takes 4-50). The ring keeps 10,000
/// lines, and in coloured text the SGR sequences were well over half of each line's bytes (and of the server's peak
/// memory beyond upstream's). Lines go out as SGR (<see cref="HistoryLine.ToWire"/>); nothing else sees this form.
/// </summary>
/// <remarks>
/// Header: bits 0-1 the foreground's <see cref="ColorKind"/>, bits 2-3 the background's, bit 4 an attribute byte
/// follows. Then the foreground (an index byte, or red, green, blue), the background likewise, the attributes
/// (<see cref="TextAttributes"/>: an underline's style is not kept, the SGR writes every style as plain 4).
/// </remarks>
internal static class PackedRenditions
{
    /// <summary>Starts a packed rendition: a row's text never holds ESC (controls are not printed into cells).</summary>
    public const byte Marker = 0x1B;

    /// <summary>Longest form: marker, header, two RGB colours, attributes.</summary>
    public const int MaxLength = 9;

    private const int BackgroundShift = 2;
    private const int HasAttributes = 1 << 4;

    /// <summary>The default renditions (what a coloured line ends with): marker and an empty header.</summary>
    public static ReadOnlySpan<byte> Reset => [Marker, 0];

    /// <summary>Writes <paramref name="renditions"/> (the hyperlink is not kept) into <paramref name="destination"/>, which has room for <see cref="MaxLength"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per colour change of a drafted line
    public static int Write(in Renditions renditions, Span<byte> destination)
    {
        ref byte b = ref MemoryMarshal.GetReference(destination);
        if (destination.Length < MaxLength)
        {
            ThrowShort();
        }

        uint attributes = (uint)renditions.Attributes & Renditions.SgrAttributeMask;
        TerminalColor foreground = renditions.Foreground;
        TerminalColor background = renditions.Background;
        int header = (int)foreground.Kind | ((int)background.Kind << BackgroundShift) | (attributes != 0 ? HasAttributes : 0);
        b = Marker;
        Unsafe.Add(ref b, 1) = (byte)header;
        int n = WriteColor(ref b, 2, foreground);
        n = WriteColor(ref b, n, background);
        if (attributes != 0)
        {
            Unsafe.Add(ref b, n++) = (byte)attributes;
        }

        return n;
    }

    /// <summary>
    /// Reads the packed renditions at the start of <paramref name="source"/> (which starts with <see cref="Marker"/>);
    /// returns the bytes they take, or 0 when they are cut short or malformed.
    /// </summary>
    public static int Read(ReadOnlySpan<byte> source, out Renditions renditions)
    {
        renditions = default;
        if (source.Length < 2 || source[0] != Marker || source[1] > (HasAttributes | 0xF))
        {
            return 0;
        }

        int header = source[1];
        int n = 2;
        if (!TryReadColor(source, ref n, (ColorKind)(header & 3), out TerminalColor foreground)
            || !TryReadColor(source, ref n, (ColorKind)((header >> BackgroundShift) & 3), out TerminalColor background))
        {
            return 0;
        }

        var attributes = TextAttributes.None;
        if ((header & HasAttributes) != 0)
        {
            if (n >= source.Length)
            {
                return 0;
            }

            attributes = (TextAttributes)(source[n++] & Renditions.SgrAttributeMask);
        }

        renditions = Renditions.Of(foreground, background, attributes);
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteColor(ref byte b, int n, TerminalColor color)
    {
        switch (color.Kind)
        {
            case ColorKind.Indexed:
                Unsafe.Add(ref b, n) = (byte)color.Index;
                return n + 1;
            case ColorKind.Rgb:
                Unsafe.Add(ref b, n) = color.Red;
                Unsafe.Add(ref b, n + 1) = color.Green;
                Unsafe.Add(ref b, n + 2) = color.Blue;
                return n + 3;
            default:
                return n;
        }
    }

    private static bool TryReadColor(ReadOnlySpan<byte> source, ref int n, ColorKind kind, out TerminalColor color)
    {
        switch (kind)
        {
            case ColorKind.Default:
                color = default;
                return true;
            case ColorKind.Indexed when n < source.Length:
                color = TerminalColor.Indexed(source[n++]);
                return true;
            case ColorKind.Rgb when n + 3 <= source.Length:
                color = TerminalColor.Rgb(source[n], source[n + 1], source[n + 2]);
                n += 3;
                return true;
            default:
                color = default;
                return false;
        }
    }

    private static void ThrowShort() => throw new ArgumentException("no room for packed renditions");
}
