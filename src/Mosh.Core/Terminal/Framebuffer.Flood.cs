namespace Mosh.Terminal;

// The frame's side of the emulator's flood path (Emulator.Flood.cs).
internal sealed partial class Framebuffer
{
    /// <summary>
    /// The start of a flood of plain lines printed from the bottom row of the whole screen: every row above the
    /// bottom one scrolls off into the scrollback (as the first line feeds of the flood would take them) and the
    /// screen is left blank, the cursor where it was. The caller then reports the lines that scrolled through the
    /// bottom row (<see cref="PlainLinesScrolledOff"/>) and writes the rest into the rows above the bottom one
    /// (<see cref="GetMutableRow"/>). The scrolling region must be the whole primary screen.
    /// </summary>
    public void ScrollOffForFlood()
    {
        int height = State.Height;
        if (ScrollbackSink is { } sink)
        {
            ReportScrolledOff(sink, height - 1);
        }

        _resizeStash?.Clear();
        DeleteLines(0, height);
    }

    /// <summary>
    /// Lines of printable ASCII in default renditions went through the bottom row into the scrollback: the lines of
    /// <paramref name="text"/>, each ended by CR LF, line i's CR at <paramref name="lineEnds"/>[i].
    /// </summary>
    public void PlainLinesScrolledOff(ReadOnlySpan<byte> text, ReadOnlySpan<int> lineEnds) =>
        ScrollbackSink?.PlainLinesScrolledOff(text, lineEnds);
}
