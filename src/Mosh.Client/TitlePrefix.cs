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

    // The last title seen and its prefixed form: the overlay runs on every frame, the title rarely changes, so
    // the prefixed string is built once per title instead of twice per frame.
    private string _title = string.Empty;
    private string _prefixed = string.Empty;

    /// <summary>Prefixes the window title, and the icon name when it equals the title (keeping them equal).</summary>
    public void Apply(Framebuffer frame, long now)
    {
        if (prefix.Length == 0)
        {
            return;
        }

        string title = frame.WindowTitle;
        if (_prefixed.Length == 0 || !string.Equals(title, _title, StringComparison.Ordinal))
        {
            _title = title;
            _prefixed = prefix + title;
        }

        if (string.Equals(frame.IconName, title, StringComparison.Ordinal))
        {
            frame.SetIconName(_prefixed);
        }
        frame.SetWindowTitle(_prefixed);
    }
}
