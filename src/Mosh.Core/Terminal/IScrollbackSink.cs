namespace Mosh.Terminal;

/// <summary>
/// Told about every row that leaves the top of the screen as the whole screen scrolls (LF/IND/NEL at the bottom, SU):
/// what a real terminal keeps in its scrollback. Rows leaving a partial scrolling region are not reported.
/// </summary>
internal interface IScrollbackSink
{
    /// <summary><paramref name="row"/> is about to leave the screen; it is only valid during the call.</summary>
    void RowScrolledOff(Row row);
}
