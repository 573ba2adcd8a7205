using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mosh.Terminal;

// An output flood (seq, cat of a log) arrives as whole lines of plain text at the bottom of the screen. Printed one by
// one, each would be written into the bottom row's cells, scrolled up and, by the end of the same write, off the top
// into the scrollback, where it is stored as its text again. The lines that leave the screen within the write never
// need to be cells: they go to the scrollback as the text they are, and only the lines still on the screen at the end
// are written into its rows. The result is the same frame and the same scrollback as printing every line
// (EmulatorFloodTests).
internal sealed partial class Emulator
{
    // A write's remaining bytes beyond which no flood can start: a scan found too few whole plain lines before a
    // line that is not one, so a line feed between here and there need not scan the same lines again.
    private int _floodScanLimit = int.MaxValue;

    /// <summary>Most bytes one scan looks at (so at most 8,193 line ends are kept).</summary>
    private const int MaxFloodScanBytes = 16 * 1024;

    // Where each line of a flood ends (its CR), found by the scan and used to hand the lines on.
    private int[] _floodLineEnds = [];

    /// <summary>
    /// After a line feed: takes the plain lines at the start of <paramref name="following"/> that would scroll off
    /// the screen before its end (see above) and returns their length in bytes, or 0 when there are none or the
    /// terminal is not where a flood's line feeds leave it.
    /// </summary>
    private int TakeFloodLines(ReadOnlySpan<byte> following)
    {
        ref DrawState ds = ref _fb.State;
        int height = ds.Height;

        // Enough bytes for a screenful of empty lines, the cursor at the start of a blank bottom row of the whole
        // primary screen, and nothing that makes printing there other than writing cells of default renditions.
        if (following.Length > _floodScanLimit || following.Length < 2 * height
            || ds.CursorColumn != 0 || ds.CursorRow != height - 1 || ds.NextPrintWillWrap || ds.InsertMode
            || ds.ScrollingRegionTop != 0 || ds.ScrollingRegionBottom != height - 1 || ds.AlternateScreen
            || ds.Renditions != default || _fb.GetRow(height - 1) is not { InkEnd: 0, Wrap: false })
        {
            return 0;
        }

        // Whole lines of printable ASCII narrower than the screen (so none wraps), each ended by CR LF; at most
        // MaxFloodScanBytes are looked at (the server reads less at a time; a longer write floods on in steps).
        int width = ds.Width;
        ReadOnlySpan<byte> scanned = following.Length > MaxFloodScanBytes ? following[..MaxFloodScanBytes] : following;
        int length = scanned.Length;
        if (_floodLineEnds.Length <= length / 2)
        {
            _floodLineEnds = new int[length / 2 + 1]; // room for every line the bytes can hold (two bytes each at least)
        }

        int[] ends = _floodLineEnds;
        int lines = FindFloodLines(scanned, width, ends, out int lineStart);

        // The last height - 1 lines stay on the screen; the rest scroll through it.
        int through = lines - (height - 1);
        if (through <= 0)
        {
            // The line that ended the scan is not a flood line (unless the scan's window cut it short): no flood
            // starts before it.
            if (length == following.Length || length - lineStart > width + 1)
            {
                _floodScanLimit = following.Length - lineStart - 1;
            }

            return 0;
        }

        _fb.ScrollOffForFlood();
        _fb.PlainLinesScrolledOff(following, ends.AsSpan(0, through));

        // The lines that stay go into the blank rows above the bottom one, where their line feeds would have left
        // them; the cursor stays at the start of the bottom row, as the last line feed leaves it.
        Renditions renditions = default;
        for (int i = through; i < lines; i++)
        {
            int start = ends[i - 1] + 2;
            if (ends[i] > start)
            {
                _fb.GetMutableRow(i - through).SetAscii(0, following[start..ends[i]], renditions);
            }
        }

        return ends[lines - 1] + 2;
    }

    /// <summary>
    /// Counts the whole lines of printable ASCII narrower than <paramref name="width"/>, each ended by CR LF, at the
    /// start of <paramref name="text"/>, and notes where each one's CR is in <paramref name="ends"/> (room for
    /// text.Length / 2 + 1). <paramref name="firstOther"/> is where the first line that is not one starts. Sixteen
    /// bytes at a time while sixteen are left, every byte that is not printable in them a line's end; then one at a time.
    /// </summary>
    private static int FindFloodLines(ReadOnlySpan<byte> text, int width, int[] ends, out int firstOther)
    {
        int length = text.Length;
        int lines = 0, block = 0, lineStart = 0;
        bool stopped = false;
        ref byte data = ref MemoryMarshal.GetReference(text);
        while (block + Vector128<byte>.Count <= length)
        {
            Vector128<byte> vector = Vector128.LoadUnsafe(ref data, (nuint)block);
            uint stops = AnsiParser.NotPrintableAscii(vector);
            if (stops != 0)
            {
                uint returns = Vector128.Equals(vector, Vector128.Create((byte)'\r')).ExtractMostSignificantBits();
                uint feeds = Vector128.Equals(vector, Vector128.Create((byte)'\n')).ExtractMostSignificantBits();
                if (stops == (returns | feeds) && feeds == ((returns << 1) & 0xFFFF)
                    && ((returns & 0x8000) == 0 || (block + 16 < length && Unsafe.Add(ref data, block + 16) == (byte)'\n')))
                {
                    // Only CR LF pairs (the common block): each CR ends a line.
                    do
                    {
                        int at = block + BitOperations.TrailingZeroCount(returns);
                        if (at - lineStart >= width)
                        {
                            stopped = true;
                            break;
                        }

                        ends[lines++] = at;
                        lineStart = at + 2;
                        returns &= returns - 1;
                    }
                    while (returns != 0);
                }
                else
                {
                    // Something else among them: line by line, up to the first that is not a flood line.
                    while (stops != 0)
                    {
                        int at = block + BitOperations.TrailingZeroCount(stops);
                        if (!EndsFloodLine(text, at, lineStart, width))
                        {
                            stopped = true;
                            break;
                        }

                        ends[lines++] = at;
                        lineStart = at + 2;
                        stops &= stops - 1; // the CR
                        stops &= ~(1u << (at + 1 - block)); // the LF (when it is in this block)
                    }
                }

                if (stopped)
                {
                    break;
                }
            }

            block += Vector128<byte>.Count;
            if (block - lineStart >= width)
            {
                stopped = true; // the line under way is too wide already
                break;
            }

            block = Math.Max(block, lineStart); // past an LF that was the first byte of the next block
        }

        if (!stopped)
        {
            int position = block;
            while (true)
            {
                while (position < length && (uint)(text[position] - 0x20) <= 0x7E - 0x20)
                {
                    position++;
                }

                if (!EndsFloodLine(text, position, lineStart, width))
                {
                    break;
                }

                ends[lines++] = position;
                position += 2;
                lineStart = position;
            }
        }

        firstOther = lineStart;
        return lines;
    }

    /// <summary>Whether a flood line that started at <paramref name="lineStart"/> ends at <paramref name="at"/> (CR LF there, narrower than the screen).</summary>
    private static bool EndsFloodLine(ReadOnlySpan<byte> following, int at, int lineStart, int width) =>
        at + 1 < following.Length && following[at] == (byte)'\r' && following[at + 1] == (byte)'\n' && at - lineStart < width;
}
