using System.Buffers;
using System.Text;

namespace Mosh.Terminal;

/// <summary>
/// Turns a terminal showing one <see cref="Framebuffer"/> into one showing another by writing the difference as
/// escape sequences (upstream's Terminal::Display). mosh-server sends <c>NewFrame(true, old, new)</c> as the
/// host bytes of a diff; mosh-client redraws the user's terminal with it. What it may use depends on the
/// terminal (<see cref="ForServer"/> assumes a mosh emulator, <see cref="ForTerminal"/> reads terminfo).
/// </summary>
/// <remarks>An instance keeps scratch state (the string form's buffer, a blank row), so use it from one thread at a time.</remarks>
internal sealed partial class Display
{
    /// <summary>Terminal types that take OSC 0/1/2 (terminfo does not say reliably, so upstream lists prefixes).</summary>
    private static readonly string[] TitleTerminalPrefixes = ["xterm", "rxvt", "kterm", "Eterm", "alacritty", "screen", "tmux"];

    /// <summary>Leaves application cursor keys and renditions, shows the cursor and stops every mouse mode.</summary>
    private const string CloseSequence =
        "\e[?1l\e[0m\e[?25h\e[?1003l\e[?1002l\e[?1001l\e[?1000l\e[?1015l\e[?1006l\e[?1005l";

    /// <summary>The client always puts its terminal in application cursor-key mode (DECCKM).</summary>
    private const string OpenSequence = "\e[?1h";

    private ArrayBufferWriter<byte>? _scratch;
    private Row? _blankRow;

    public Display(bool hasEch, bool hasBce, bool hasTitle, string? enterCaMode = null, string? exitCaMode = null)
    {
        HasEch = hasEch;
        HasBce = hasBce;
        HasTitle = hasTitle;
        EnterCaMode = enterCaMode;
        ExitCaMode = exitCaMode;
    }

    /// <summary>ECH (<c>CSI n X</c>) erases characters; tmux and the <c>screen</c> entry lack it.</summary>
    public bool HasEch { get; }

    /// <summary>Erasing fills with the current background colour (bce).</summary>
    public bool HasBce { get; }

    /// <summary>
    /// Longest OSC 52 clipboard written: a longer one is cut to this (what upstream's emulator keeps), or left out
    /// when <see cref="LargeClipboardSentElsewhere"/>. Unlimited for a real terminal.
    /// </summary>
    public int ClipboardLimit { get; init; } = int.MaxValue;

    /// <summary>Set while diffing for a client that takes large clipboards through the clipboard extension.</summary>
    public bool LargeClipboardSentElsewhere { get; set; }

    /// <summary>The terminal takes window title and icon name (OSC 0/1/2).</summary>
    public bool HasTitle { get; }

    /// <summary>terminfo smcup (e.g. switch to the alternate screen), written by <see cref="Open"/>.</summary>
    public string? EnterCaMode { get; }

    /// <summary>terminfo rmcup, written by <see cref="Close"/>.</summary>
    public string? ExitCaMode { get; }

    /// <summary>
    /// Put before the window title (and the icon name when both are equal) when they are written; the client uses
    /// <c>"[mosh] "</c> unless MOSH_TITLE_NOPREFIX is set.
    /// </summary>
    public string TitlePrefix { get; init; } = string.Empty;

    /// <summary>
    /// The server's display (upstream's Display(false)): the diff is read by a mosh emulator, which has ECH, BCE
    /// and titles; no alternate screen.
    /// </summary>
    public static Display ForServer() => new(hasEch: true, hasBce: true, hasTitle: true) { ClipboardLimit = Emulator.UpstreamClipboardLength };

    /// <summary>
    /// The client's display for terminal type <paramref name="term"/> described by <paramref name="terminfo"/>:
    /// <c>ech</c> gives ECH, <c>bce</c> BCE, <c>smcup</c>/<c>rmcup</c> the alternate screen unless
    /// <paramref name="noTermInit"/> (MOSH_NO_TERM_INIT); titles only for known terminal families. Without a
    /// terminfo entry this fails as upstream's setupterm does.
    /// </summary>
    public static Display ForTerminal(string? term, Terminfo? terminfo, bool noTermInit)
    {
        if (terminfo is null)
        {
            throw new InvalidOperationException("Unknown terminal type.");
        }

        return new Display(
            hasEch: terminfo.EraseChars is not null,
            hasBce: terminfo.BackColorErase,
            hasTitle: SupportsTitle(term),
            enterCaMode: noTermInit ? null : terminfo.EnterCaMode,
            exitCaMode: noTermInit ? null : terminfo.ExitCaMode);
    }

    /// <summary>The client's display for $TERM, from the terminfo database, honouring MOSH_NO_TERM_INIT.</summary>
    public static Display FromEnvironment()
    {
        string? term = Environment.GetEnvironmentVariable("TERM");
        bool noTermInit = Environment.GetEnvironmentVariable("MOSH_NO_TERM_INIT") is not null;
        return ForTerminal(term, TerminfoDatabase.Load(term), noTermInit);
    }

    /// <summary>Whether a terminal type is one of the families known to take OSC titles.</summary>
    public static bool SupportsTitle(string? term)
    {
        if (term is null)
        {
            return false;
        }

        foreach (string prefix in TitleTerminalPrefixes)
        {
            if (term.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The user's terminal keeps the server's scrollback (history extension): the display stays on the primary
    /// screen (no smcup/rmcup from now on) and never lets its own scrolling or clearing put rows into the terminal's
    /// scrollback, which then holds exactly the history lines written there (<see cref="ScrollbackPainter"/>).
    /// </summary>
    public bool PreserveScrollback { get; set; }

    /// <summary>What the client writes when it takes over the terminal: smcup, then application cursor keys.</summary>
    public string Open() => (PreserveScrollback ? string.Empty : EnterCaMode ?? string.Empty) + OpenSequence;

    /// <summary>What the client writes when it gives the terminal back: modes and renditions reset, then rmcup.</summary>
    public string Close() => CloseSequence + (PreserveScrollback ? string.Empty : ExitCaMode ?? string.Empty);

    /// <summary>
    /// The frame diff as a string (UTF-8 decoded); convenient, but allocates. See
    /// <see cref="NewFrame(bool, Framebuffer, Framebuffer, IBufferWriter{byte})"/>.
    /// </summary>
    public string NewFrame(bool initialized, Framebuffer last, Framebuffer next)
    {
        ArrayBufferWriter<byte> scratch = _scratch ??= new ArrayBufferWriter<byte>(4096);
        scratch.ResetWrittenCount();
        NewFrame(initialized, last, next, scratch);
        return Encoding.UTF8.GetString(scratch.WrittenSpan);
    }
}
