using System.Runtime.CompilerServices;

namespace Mosh.Terminal;

/// <summary>
/// The parameter bytes <see cref="Renditions.FormatSgr"/> writes, precomputed: one 16-byte entry per attribute
/// combination (";1;3;4;5;7;8" for the set ones) and per palette colour of either layer (";31", ";48;5;200"), the
/// entry's length in its last byte, so a colour or the attributes cost one 16-byte copy (history lines format an SGR
/// per colour change of every line that scrolls off). Also each number 0-255 as up to three digits.
/// </summary>
internal static class SgrCodes
{
    /// <summary>Bytes per entry; the used length is stored in the entry's last byte.</summary>
    public const int EntrySize = 16;

    /// <summary>The six attributes' bits of <see cref="TextAttributes"/> (Bold .. Invisible).</summary>
    public const int AttributeCombinations = 64;

    // Entries: attribute combinations first, then foreground palette colours, then background ones.
    private static readonly byte[] s_entries = BuildEntries();

    // Per number 0-255: its digits in the low bytes, their count in the top byte.
    private static readonly uint[] s_digits = BuildDigits();

    /// <summary>The entry for an attribute combination (0..63).</summary>
    public static ref byte Attributes(int combination) => ref s_entries[combination * EntrySize];

    /// <summary>The entry for palette colour <paramref name="index"/> (0..255) as foreground or background.</summary>
    public static ref byte Palette(bool background, int index) =>
        ref s_entries[(AttributeCombinations + (background ? 256 : 0) + index) * EntrySize];

    /// <summary>Copies an entry to <paramref name="destination"/> (which must have <see cref="EntrySize"/> bytes of room); returns its length.</summary>
    public static int Copy(ref byte entry, ref byte destination)
    {
        Unsafe.CopyBlockUnaligned(ref destination, ref entry, EntrySize);
        return Unsafe.Add(ref entry, EntrySize - 1);
    }

    /// <summary>Writes 0-255 in decimal (four bytes of room needed); returns the digit count.</summary>
    public static int WriteNumber(int value, ref byte destination)
    {
        uint packed = s_digits[value];
        Unsafe.WriteUnaligned(ref destination, packed);
        return (int)(packed >> 24);
    }

    private static byte[] BuildEntries()
    {
        var entries = new byte[(AttributeCombinations + 512) * EntrySize];
        ReadOnlySpan<byte> attributeCodes = "134578"u8;
        for (int combination = 0; combination < AttributeCombinations; combination++)
        {
            Span<byte> entry = entries.AsSpan(combination * EntrySize, EntrySize);
            int n = 0;
            for (int bit = 0; bit < attributeCodes.Length; bit++)
            {
                if ((combination & (1 << bit)) != 0)
                {
                    entry[n++] = (byte)';';
                    entry[n++] = attributeCodes[bit];
                }
            }

            entry[EntrySize - 1] = (byte)n;
        }

        for (int layer = 0; layer < 2; layer++)
        {
            for (int index = 0; index < 256; index++)
            {
                Span<byte> entry = entries.AsSpan((AttributeCombinations + (layer * 256) + index) * EntrySize, EntrySize);
                string text = index < 8 ? $";{3 + layer}{index}" : $";{3 + layer}8;5;{index}";
                for (int i = 0; i < text.Length; i++)
                {
                    entry[i] = (byte)text[i];
                }

                entry[EntrySize - 1] = (byte)text.Length;
            }
        }

        return entries;
    }

    private static uint[] BuildDigits()
    {
        var digits = new uint[256];
        for (int value = 0; value < 256; value++)
        {
            string text = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            uint packed = (uint)text.Length << 24;
            for (int i = 0; i < text.Length; i++)
            {
                packed |= (uint)(byte)text[i] << (8 * i);
            }

            digits[value] = packed;
        }

        return digits;
    }
}
