using Mosh.Terminal;

namespace Mosh.Client;

/// <summary>
/// Something the client draws over the server's screen before showing it (upstream's overlays): it changes a
/// private copy of the newest server frame, never the synchronised state. The notification bar is one; the
/// prediction engine plugs in here too, ahead of the bar.
/// </summary>
internal interface IFrameOverlay
{
    /// <param name="frame">A copy of the server's frame, to change in place.</param>
    /// <param name="now">The client's clock, in ms.</param>
    void Apply(Framebuffer frame, long now);
}
