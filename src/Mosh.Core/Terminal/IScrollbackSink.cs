namespace Mosh.Terminal;

/// <summary>
/// Told about every row that leaves the top of the screen as the whole screen scrolls (LF/IND/NEL at the bottom, SU):
/// what a real terminal keeps in its scrollback. Rows leaving a partial scrolling region are not reported.
/// </summary>
internal interface IScrollbackSink
{
    /// <summary><paramref name="row"/> is about to leave the screen; it is only valid during the call.</summary>
    void RowScrolledOff(Row row);

    /// <summary>
    /// Lines of plain text in default renditions left the screen without ever being kept as rows (an output flood:
    /// see <see cref="Framebuffer.ScrollOffForFlood"/>): the lines of <paramref name="text"/>, printable ASCII each
    /// ended by CR LF, line i's CR at <paramref name="lineEnds"/>[i]. Each is stored as <see cref="HistoryLine.Encode"/>
    /// would store a row holding it: without its trailing spaces. Only valid during the call.
    /// </summary>
    void PlainLinesScrolledOff(ReadOnlySpan<byte> text, ReadOnlySpan<int> lineEnds);
}
