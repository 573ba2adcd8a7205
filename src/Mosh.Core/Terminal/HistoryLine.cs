using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Mosh.Terminal;

/// <summary>
/// One scrollback line. On the wire (doc/protocol-extensions.md, field 41) it is the row's text as UTF-8 with its
/// renditions as SGR sequences (<c>ESC [ ... m</c>, upstream's absolute form) where they change, trailing blank cells
/// dropped, and a final <c>ESC [ 0 m</c> when the line ended in non-default renditions. Hyperlinks and the row's wrap
/// flag are not kept. Compact (plain text costs one byte a character) and printable as it is, once
/// <see cref="Sanitize"/> has made sure nothing else is in it. The server's scrollback stores the same line with each
/// SGR in <see cref="PackedRenditions"/> form instead (what <see cref="Encode"/> and <see cref="VerbatimLineEncoder"/> write: a third of
/// the bytes for coloured text) and turns it into the wire form as it sends it (<see cref="ToWire"/>); a line without
/// renditions is the same in both forms.
/// </summary>
internal static class HistoryLine
{
    /// <summary>Longest SGR sequence <see cref="Sanitize"/> passes through.</summary>
    private const int MaxSgrLength = 64;

    internal static ReadOnlySpan<byte> ResetSgr => "\e[0m"u8;

    /// <summary>Writes <paramref name="row"/> as the scrollback stores it (renditions packed).</summary>
    /// <remarks>
    /// Runs for every line that scrolls off (millions for a <c>seq</c>), so the common cases take no detour: the
    /// trailing erased cells are skipped (the row knows where its ink ends), renditions are compared as two
    /// words with the hyperlink masked out, and a one-character ASCII cell is stored as its byte.
    /// </remarks>
    public static void Encode(Row row, IBufferWriter<byte> output)
    {
        ReadOnlySpan<Cell> cells = row.Cells;
        int end = TrimmedLength(row);
        var writer = new DisplayWriter(output);
        Renditions current = default;
        for (int x = 0; x < end; x++)
        {
            ref readonly Cell cell = ref cells[x];
            if (!SameDrawing(cell.Renditions, current))
            {
                current = cell.Renditions;
                current.HyperlinkId = 0;
                writer.Advance(PackedRenditions.Write(current, writer.GetSpan(PackedRenditions.MaxLength)));
            }

            if (IsAscii(cell))
            {
                // The run of ASCII cells drawn alike, stored with one room check.
                Span<byte> room = writer.GetSpan(end - x);
                int run = 0;
                do
                {
                    room[run++] = (byte)cells[x]._text[0];
                    x++;
                }
                while (x < end && IsAscii(cells[x]) && SameDrawing(cells[x].Renditions, current));

                writer.Advance(run);
                x--; // the loop steps on
                continue;
            }

            if (cell._length == 1 && (cell._flags & CellFlags.Overflow) == 0 && !char.IsSurrogate(cell._text[0]))
            {
                // One BMP character (most non-ASCII text): encoded as a rune, not through the general encoder.
                writer.Advance(new Rune(cell._text[0]).EncodeToUtf8(writer.GetSpan(4)));
            }
            else if (row.GetText(x) is { IsEmpty: false } text)
            {
                writer.WriteUtf8(text);
            }
            else
            {
                writer.Write((byte)' ');
            }

            if (cell.IsWide)
            {
                x++; // the wide character covers the next column
            }
        }

        if (current != default)
        {
            writer.Write(PackedRenditions.Reset);
        }

        writer.Commit();
    }

    /// <summary>The bytes <see cref="ToWire"/> writes for <paramref name="stored"/>, counted without writing them.</summary>
    public static int WireLength(ReadOnlySpan<byte> stored)
    {
        int length = 0;
        while (true)
        {
            int marker = stored.IndexOf(PackedRenditions.Marker);
            if (marker < 0)
            {
                return length + stored.Length;
            }

            int packed = PackedRenditions.Read(stored[marker..], out Renditions renditions);
            if (packed == 0)
            {
                return length + marker;
            }

            length += marker + renditions.SgrLength();
            stored = stored[(marker + packed)..];
        }
    }

    /// <summary>Writes a line stored by the scrollback (<see cref="Encode"/>'s form) in the wire form: each packed rendition as its SGR.</summary>
    public static void ToWire(ReadOnlySpan<byte> stored, IBufferWriter<byte> output)
    {
        var writer = new DisplayWriter(output);
        while (true)
        {
            int marker = stored.IndexOf(PackedRenditions.Marker);
            if (marker < 0)
            {
                writer.Write(stored);
                break;
            }

            writer.Write(stored[..marker]);
            int length = PackedRenditions.Read(stored[marker..], out Renditions renditions);
            if (length == 0)
            {
                break; // cut short: never stored so (every stored line was written by Encode or a HistoryDraft)
            }

            writer.WriteSgr(renditions);
            stored = stored[(marker + length)..];
        }

        writer.Commit();
    }

    /// <summary>A cell holding one ASCII character (stored as its byte).</summary>
    private static bool IsAscii(in Cell cell) => cell._length == 1 && cell._flags == CellFlags.None && cell._text[0] < 0x80;

    /// <summary>
    /// Writes <paramref name="row"/> as <see cref="Encode"/> does when every cell up to its ink's end is one ASCII
    /// character in default renditions (a <c>seq</c> line: the text is the line); false, with nothing meaningful
    /// written, for any other row. <paramref name="destination"/> needs <see cref="Row.InkEnd"/> bytes.
    /// </summary>
    public static bool TryEncodePlainAscii(Row row, Span<byte> destination, out int written)
    {
        ReadOnlySpan<Cell> cells = row.Cells;
        int end = TrimmedLength(row);
        written = end;
        if (destination.Length < end)
        {
            return false;
        }

        for (int x = 0; x < end; x++)
        {
            ref readonly Cell cell = ref cells[x];
            char c = cell._length == 0 ? ' ' : cell._text[0]; // an empty cell (skipped by a tab) is a space
            if (cell._length > 1 || cell._flags != CellFlags.None || c >= 0x80 || !SameDrawing(cell.Renditions, default))
            {
                return false;
            }

            destination[x] = (byte)c;
        }

        return true;
    }

    /// <summary>Columns up to the last that is not a blank with plain renditions.</summary>
    private static int TrimmedLength(Row row)
    {
        // Past the row's ink every cell is erased with default renditions.
        ReadOnlySpan<Cell> cells = row.Cells;
        int end = row.InkEnd;
        while (end > 0 && cells[end - 1].IsBlank && IsPlain(cells[end - 1].Renditions))
        {
            end--;
        }

        return end;
    }

    /// <summary>Whether two renditions draw alike (the hyperlink aside): colours and attributes, as two words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // per print run of a drafted line: the AOT compiler left it a call
    internal static bool SameDrawing(in Renditions a, in Renditions b)
    {
        ref byte left = ref Unsafe.As<Renditions, byte>(ref Unsafe.AsRef(in a));
        ref byte right = ref Unsafe.As<Renditions, byte>(ref Unsafe.AsRef(in b));
        return Unsafe.ReadUnaligned<ulong>(ref left) == Unsafe.ReadUnaligned<ulong>(ref right)
            && Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref left, AttributesOffset))
            == Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref right, AttributesOffset));
    }

    /// <summary>Byte offset of the attribute word in <see cref="Renditions"/> (after two colours and the hyperlink id).</summary>
    private const int AttributesOffset = 12;

    /// <summary>
    /// Copies <paramref name="line"/> to <paramref name="output"/> keeping only printable UTF-8 text and SGR sequences
    /// (a hostile or broken server must not reach the user's terminal with anything else: no cursor moves, no OSC,
    /// no controls). Invalid UTF-8 becomes U+FFFD. Returns the columns the text takes.
    /// </summary>
    public static int Sanitize(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
    {
        var writer = new DisplayWriter(output);
        int columns = 0;
        Span<byte> encoded = stackalloc byte[4];
        int i = 0;
        while (i < line.Length)
        {
            byte b = line[i];
            if (b == 0x1B)
            {
                int length = SgrLength(line[i..]);
                if (length > 0)
                {
                    writer.Write(line.Slice(i, length));
                    i += length;
                }
                else
                {
                    i++; // a lone ESC or any other sequence: dropped (its parameters print as text)
                }

                continue;
            }

            OperationStatus status = Rune.DecodeFromUtf8(line[i..], out Rune rune, out int consumed);
            i += consumed;
            if (status != OperationStatus.Done)
            {
                rune = Rune.ReplacementChar;
            }

            int width = CharWidth.Of(rune.Value);
            if (width < 0 || rune.Value == 0)
            {
                continue; // controls, DEL, C1
            }

            columns += width;
            writer.Write(encoded[..rune.EncodeToUtf8(encoded)]);
        }

        writer.Write(ResetSgr);
        writer.Commit();
        return columns;
    }

    private static bool IsPlain(in Renditions renditions)
    {
        Renditions plain = renditions;
        plain.HyperlinkId = 0;
        return plain == default;
    }

    /// <summary>Length of an SGR sequence (ESC [ digits/;/: m) at the start of <paramref name="data"/>, else 0.</summary>
    private static int SgrLength(ReadOnlySpan<byte> data)
    {
        if (data.Length < 3 || data[1] != (byte)'[')
        {
            return 0;
        }

        for (int i = 2; i < data.Length && i < MaxSgrLength; i++)
        {
            byte b = data[i];
            if (b == (byte)'m')
            {
                return i + 1;
            }

            if (b is not ((>= (byte)'0' and <= (byte)'9') or (byte)';' or (byte)':'))
            {
                return 0;
            }
        }

        return 0;
    }
}
