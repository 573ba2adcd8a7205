using System.Text;

namespace Mosh.Terminal;

// Operating system commands: window title / icon name (0, 1, 2), clipboard (52), hyperlinks (8).
internal sealed partial class Emulator
{
    /// <summary>Upstream's MAXIMUM_CLIPBOARD_SIZE: an OSC keeps at most this many characters.</summary>
    public const int MaxOscLength = 16 * 1024;

    /// <summary>
    /// An OSC 52 (clipboard) keeps this many: above tmux's 1 MiB input limit and a 1 MiB copy in base64. Only
    /// <see cref="MaxOscLength"/> of it reach an upstream peer; ours gets it whole through the clipboard extension.
    /// </summary>
    public const int MaxClipboardOscLength = 2 * 1024 * 1024;

    /// <summary>The longest clipboard upstream's emulator keeps (its OSC limit less the "52;c;" prefix).</summary>
    public const int UpstreamClipboardLength = MaxOscLength - 5;

    /// <summary>Titles keep the first 256 characters of the OSC string (its "0;" prefix included, as upstream).</summary>
    public const int MaxTitleLength = 256;

    private int[]? _osc;
    private int _oscLength;

    private void OscStart() => _oscLength = 0;

    private void OscPut(int codePoint)
    {
        if (_oscLength < MaxOscLength)
        {
            _osc ??= new int[MaxOscLength];
            _osc[_oscLength++] = codePoint;
        }
        else if (_oscLength < MaxClipboardOscLength && _osc![0] == '5' && _osc[1] == '2' && _osc[2] == ';')
        {
            if (_oscLength == _osc.Length)
            {
                Array.Resize(ref _osc, Math.Min(_osc.Length * 2, MaxClipboardOscLength));
            }

            _osc[_oscLength++] = codePoint;
        }
    }

    private void OscEnd()
    {
        ReadOnlySpan<int> s = _osc.AsSpan(0, _oscLength);
        if (s.Length >= 5 && s[0] == '5' && s[1] == '2' && s[2] == ';' && s[3] == 'c' && s[4] == ';')
        {
            _fb.SetClipboard(ToString(s[5..]));
            if (_osc!.Length > MaxOscLength)
            {
                _osc = null; // a large clipboard's buffer is not kept for every later OSC
            }

            return;
        }

        if (s.IsEmpty)
        {
            return;
        }

        int command, offset;
        if (s[0] == ';')
        {
            command = 0; // "ESC ] ; title" is treated as OSC 0
            offset = 1;
        }
        else if (s.Length >= 2 && s[1] == ';')
        {
            command = s[0] - '0';
            offset = 2;
        }
        else
        {
            return;
        }

        if (command == 8)
        {
            Hyperlink(s);
            return;
        }

        bool icon = command is 0 or 1, title = command is 0 or 2;
        if (!icon && !title)
        {
            return;
        }

        _fb.SetTitleInitialized();
        string text = ToString(s[offset..Math.Min(s.Length, MaxTitleLength)]);
        if (icon)
        {
            _fb.SetIconName(text);
        }

        if (title)
        {
            _fb.SetWindowTitle(text);
        }
    }

    /// <summary>
    /// OSC 8 (upstream after 1.4.0): <c>8;params;uri</c> starts a link for the following characters, an empty
    /// URI ends it. Strings with characters outside 32..126 are ignored.
    /// </summary>
    private void Hyperlink(ReadOnlySpan<int> s)
    {
        foreach (int c in s)
        {
            if (c < 32 || c > 126)
            {
                return;
            }
        }

        int second = s[2..].IndexOf(';');
        if (second < 0)
        {
            return;
        }

        string parameters = ToString(s.Slice(2, second));
        string uri = ToString(s[(2 + second + 1)..]);
        _fb.State.Renditions.HyperlinkId = _fb.InternHyperlink(new Hyperlink(parameters, uri));
    }

    private static string ToString(ReadOnlySpan<int> codePoints)
    {
        var builder = new StringBuilder(codePoints.Length);
        foreach (int cp in codePoints)
        {
            builder.Append(Rune.IsValid(cp) ? new Rune(cp) : Rune.ReplacementChar);
        }

        return builder.ToString();
    }
}
