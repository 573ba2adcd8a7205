namespace Mosh.Terminal;

/// <summary>Per-cell flags (upstream's Cell bit fields, minus wrap, which lives on <see cref="Row"/>).</summary>
[Flags]
internal enum CellFlags : byte
{
    None = 0,

    /// <summary>The cell holds a double-width character; the next cell is its (blank) right half.</summary>
    Wide = 1 << 0,

    /// <summary>
    /// The cell's contents start with a combining character (it was empty when the mark arrived); displays
    /// draw it on a no-break space (U+00A0), as upstream.
    /// </summary>
    Fallback = 1 << 1,

    /// <summary>The grapheme is longer than the inline storage and is kept by the owning <see cref="Row"/>.</summary>
    Overflow = 1 << 2,
}
