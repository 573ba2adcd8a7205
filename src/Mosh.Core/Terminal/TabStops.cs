namespace Mosh.Terminal;

/// <summary>
/// Horizontal tab stops, one bit per column. Instances are immutable, so draw-state copies share them; a change
/// makes a new one (tab stops change rarely).
/// </summary>
internal sealed class TabStops
{
    private readonly ulong[] _bits;

    private TabStops(int width, ulong[] bits)
    {
        Width = width;
        _bits = bits;
    }

    public int Width { get; }

    /// <summary>Stops at every 8th column (0, 8, 16, ...), the power-on default.</summary>
    public static TabStops Default(int width)
    {
        var bits = new ulong[(width + 63) / 64];
        SetDefaults(bits, 0, width);
        return new TabStops(width, bits);
    }

    public bool IsSet(int column) => (uint)column < (uint)Width && (_bits[column >> 6] & (1UL << column)) != 0;

    public TabStops With(int column, bool set)
    {
        if ((uint)column >= (uint)Width || IsSet(column) == set)
        {
            return this;
        }

        var bits = (ulong[])_bits.Clone();
        if (set)
        {
            bits[column >> 6] |= 1UL << column;
        }
        else
        {
            bits[column >> 6] &= ~(1UL << column);
        }

        return new TabStops(Width, bits);
    }

    public TabStops Cleared() => new(Width, new ulong[_bits.Length]);

    /// <summary>
    /// The stops for a new width: existing columns keep theirs; new columns get default stops only when
    /// <paramref name="defaultsForNewColumns"/> (no TBC 3 happened), as upstream.
    /// </summary>
    public TabStops Resized(int width, bool defaultsForNewColumns)
    {
        if (width == Width)
        {
            return this;
        }

        var bits = new ulong[(width + 63) / 64];
        Array.Copy(_bits, bits, Math.Min(_bits.Length, bits.Length));
        if (width < Width)
        {
            // Drop stops beyond the new edge so a later widening starts clean.
            for (int col = width; col < bits.Length * 64; col++)
            {
                bits[col >> 6] &= ~(1UL << col);
            }
        }
        else if (defaultsForNewColumns)
        {
            SetDefaults(bits, Width, width);
        }

        return new TabStops(width, bits);
    }

    private static void SetDefaults(ulong[] bits, int from, int to)
    {
        for (int col = from; col < to; col++)
        {
            if (col % 8 == 0)
            {
                bits[col >> 6] |= 1UL << col;
            }
        }
    }
}
