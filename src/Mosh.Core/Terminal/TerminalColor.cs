using System.Runtime.CompilerServices;

namespace Mosh.Terminal;

/// <summary>How a <see cref="TerminalColor"/> is expressed.</summary>
internal enum ColorKind : byte
{
    /// <summary>The terminal's default colour (SGR 39 / 49).</summary>
    Default = 0,

    /// <summary>A palette index 0..255: SGR 30-37 / 40-47 are 0-7, 90-97 / 100-107 are 8-15, 38;5;N / 48;5;N is N.</summary>
    Indexed = 1,

    /// <summary>24-bit colour (SGR 38;2;r;g;b / 48;2;r;g;b).</summary>
    Rgb = 2,
}

/// <summary>
/// A foreground or background colour packed in 32 bits: the kind in bits 24-25, the palette index or the
/// RGB value in bits 0-23. Upstream keeps 8-colour, 16-colour and 256-colour values in one palette space too
/// (30+N), so SGR 31 and 38;5;1 are the same colour here as there.
/// </summary>
internal readonly struct TerminalColor : IEquatable<TerminalColor>
{
    private const uint IndexedTag = 1u << 24;
    private const uint RgbTag = 2u << 24;
    private const uint ValueMask = 0xFF_FFFF;

    private readonly uint _raw;

    private TerminalColor(uint raw) => _raw = raw;

    public static TerminalColor Default => default;

    /// <summary>A palette colour; <paramref name="index"/> must be 0..255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TerminalColor Indexed(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)index, 255u, nameof(index));
        return new TerminalColor(IndexedTag | (uint)index);
    }

    public static TerminalColor Rgb(byte red, byte green, byte blue) =>
        new(RgbTag | ((uint)red << 16) | ((uint)green << 8) | blue);

    public ColorKind Kind => (ColorKind)(_raw >> 24);

    public bool IsDefault => _raw == 0;

    /// <summary>The palette index (valid when <see cref="Kind"/> is <see cref="ColorKind.Indexed"/>).</summary>
    public int Index => (int)(_raw & 0xFF);

    public byte Red => (byte)(_raw >> 16);

    public byte Green => (byte)(_raw >> 8);

    public byte Blue => (byte)_raw;

    /// <summary>The packed value (kind and value), stable for hashing and comparison.</summary>
    public uint Raw => _raw;

    /// <summary>The colour whose <see cref="Raw"/> is <paramref name="raw"/> (a colour stored and read back).</summary>
    public static TerminalColor FromRaw(uint raw) => new(raw);

    /// <summary>The RGB value in 0xRRGGBB form (valid when <see cref="Kind"/> is <see cref="ColorKind.Rgb"/>).</summary>
    public int RgbValue => (int)(_raw & ValueMask);

    public bool Equals(TerminalColor other) => _raw == other._raw;

    public override bool Equals(object? obj) => obj is TerminalColor other && Equals(other);

    public override int GetHashCode() => (int)_raw;

    public static bool operator ==(TerminalColor left, TerminalColor right) => left._raw == right._raw;

    public static bool operator !=(TerminalColor left, TerminalColor right) => left._raw != right._raw;

    public override string ToString() => Kind switch
    {
        ColorKind.Default => "default",
        ColorKind.Indexed => $"indexed({Index})",
        _ => $"rgb({Red},{Green},{Blue})",
    };
}
