using Mosh.Terminal;

namespace Mosh.Client;

/// <summary>
/// Puts "[mosh] " before the window title (and the icon name when they agree) of the frame shown, so the user can
/// tell a mosh window from others (upstream's TitleEngine; MOSH_TITLE_NOPREFIX turns it off). At exit it is taken
/// away, so the last frame gives the window its plain title back.
/// </summary>
internal sealed class TitlePrefix(string prefix) : IFrameOverlay
{
    public const string Mosh = "[mosh] ";

    public const string DisableVariable = "MOSH_TITLE_NOPREFIX";

    public void Apply(Framebuffer frame, long now)
    {
        if (prefix.Length != 0)
        {
            frame.PrefixWindowTitle(prefix);
        }
    }
}
