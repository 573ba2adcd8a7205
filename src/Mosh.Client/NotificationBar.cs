using Mosh.Terminal;

namespace Mosh.Client;

/// <summary>
/// The white-on-blue bar the client draws over the top row (upstream's NotificationEngine): a message
/// ("Nothing received from server...", "Exiting...", the escape-key help, a network error) and/or how long the
/// server has been silent ("Last contact 7 seconds ago.") once it is late, with the quit keystroke. Times are
/// milliseconds of the client's clock.
/// </summary>
internal sealed class NotificationBar : IFrameOverlay
{
    /// <summary>The server is late after this long without a word from it.</summary>
    private const long ServerLateMs = 6500;

    /// <summary>Our states are late after this long without an acknowledgement.</summary>
    private const long ReplyLateMs = 10000;

    /// <summary>A temporary message shows this long.</summary>
    private const long MessageLifetimeMs = 1000;

    /// <summary>A network error shows for ACK_INTERVAL + 100 ms.</summary>
    private const long NetworkErrorLifetimeMs = 3000 + 100;

    /// <summary>After a minute without contact the count refreshes every ACK_INTERVAL instead of every second.</summary>
    private const long SlowCountupAfterMs = 60000;

    private const long Permanent = long.MaxValue;

    private static readonly TerminalColor BarForeground = TerminalColor.Indexed(7);
    private static readonly TerminalColor BarBackground = TerminalColor.Indexed(4);

    private long _lastWordFromServer;
    private long _lastAckedState;
    private string _escapeKeyString = string.Empty;
    private string _message = string.Empty;
    private bool _messageIsNetworkError;
    private long _messageExpiration = Permanent;
    private bool _showQuitKeystroke = true;

    public NotificationBar(long now)
    {
        _lastWordFromServer = now;
        _lastAckedState = now;
    }

    public string Message => _message;

    /// <summary>Names the quit keystroke: " [To quit: Ctrl-^ .]".</summary>
    public void SetEscapeKeyName(string? name) => _escapeKeyString = name is null ? string.Empty : $" [To quit: {name} .]";

    public void ServerHeard(long timestamp) => _lastWordFromServer = timestamp;

    public void ServerAcked(long timestamp) => _lastAckedState = timestamp;

    /// <summary>
    /// A forwarding problem shows this long: it often comes while the session starts, before the user looks (and an
    /// upstream-style one-second message was gone by the first prompt).
    /// </summary>
    public const long ForwardingMessageLifetimeMs = 10000;

    /// <summary>Shows a message: permanently, or for <paramref name="lifetimeMs"/> (one second by default).</summary>
    public void SetMessage(string message, long now, bool permanent = false, bool showQuitKeystroke = true,
        long lifetimeMs = MessageLifetimeMs)
    {
        _message = message;
        _messageExpiration = permanent ? Permanent : now + lifetimeMs;
        _messageIsNetworkError = false;
        _showQuitKeystroke = showQuitKeystroke;
    }

    public void SetNetworkError(string error, long now)
    {
        _message = error;
        _messageIsNetworkError = true;
        _messageExpiration = now + NetworkErrorLifetimeMs;
    }

    /// <summary>A network error, if showing, goes away within a second.</summary>
    public void ClearNetworkError(long now)
    {
        if (_messageIsNetworkError)
        {
            _messageExpiration = Math.Min(_messageExpiration, now + MessageLifetimeMs);
        }
    }

    /// <summary>Drops an expired message (upstream's adjust_message).</summary>
    public void Expire(long now)
    {
        if (now >= _messageExpiration)
        {
            // Nothing left to expire: a past expiration would make WaitTime 0, and the client's loop spin.
            _message = string.Empty;
            _messageExpiration = Permanent;
            _messageIsNetworkError = false;
        }
    }

    /// <summary>ms until the bar next needs redrawing (a message expiring or the count going up).</summary>
    public long WaitTime(long now)
    {
        long wait = _messageExpiration == Permanent || _message.Length == 0 ? int.MaxValue : Math.Max(0, _messageExpiration - now);
        if (NeedCountup(now))
        {
            long interval = now - _lastWordFromServer > SlowCountupAfterMs ? 3000 : 1000;
            wait = Math.Min(wait, interval);
        }

        return wait;
    }

    /// <summary>The bar's text for <paramref name="now"/>, or null when nothing is to be drawn.</summary>
    public string? Text(long now)
    {
        bool countup = NeedCountup(now);
        if (_message.Length == 0 && !countup)
        {
            return null;
        }

        // Prefer "last contact" when the server is silent; "last reply" when only our uplink seems broken.
        long elapsedMs = now - _lastWordFromServer;
        string explanation = "contact";
        if (ReplyLate(now) && !ServerLate(now))
        {
            elapsedMs = now - _lastAckedState;
            explanation = "reply";
        }

        int seconds = (int)(elapsedMs / 1000);
        string keystroke = _showQuitKeystroke ? _escapeKeyString : string.Empty;
        if (_message.Length == 0)
        {
            return $"mosh: Last {explanation} {Duration(seconds, "seconds")} ago.{keystroke}";
        }

        if (!countup)
        {
            return $"mosh: {_message}{keystroke}";
        }

        return $"mosh: {_message} ({Duration(seconds, "s")} without {explanation}.){keystroke}";
    }

    /// <summary>Drops an expired message and draws the bar over row 0 of <paramref name="frame"/> (a copy of the server's screen).</summary>
    public void Apply(Framebuffer frame, long now)
    {
        Expire(now);
        if (Text(now) is not { } text)
        {
            return;
        }

        if (frame.State.CursorRow == 0)
        {
            frame.State.CursorVisible = false;
        }

        var blank = new Renditions { Foreground = BarForeground, Background = BarBackground };
        var bold = blank;
        bold.Set(TextAttributes.Bold, true);

        Row row = frame.GetMutableRow(0);
        int width = frame.Width;
        for (int column = 0; column < width; column++)
        {
            row.SetCharacter(column, ' ', blank, wide: false);
        }

        int at = 0;
        int combining = -1;
        foreach (System.Text.Rune rune in text.EnumerateRunes())
        {
            if (at >= width)
            {
                break;
            }

            int codePoint = rune.Value;
            int charWidth = CharWidth.Of(codePoint);
            if (charWidth is 1 or 2)
            {
                row.SetCharacter(at, codePoint, bold, wide: charWidth == 2);
                combining = at;
                at += charWidth;
            }
            else if (charWidth == 0 && combining >= 0)
            {
                row.AppendToCell(combining, codePoint);
            }
        }
    }

    private bool ServerLate(long now) => now - _lastWordFromServer > ServerLateMs;

    private bool ReplyLate(long now) => now - _lastAckedState > ReplyLateMs;

    private bool NeedCountup(long now) => ServerLate(now) || ReplyLate(now);

    /// <summary>"N seconds" (or "N s") under a minute, then M:SS, then H:MM:SS.</summary>
    internal static string Duration(int seconds, string secondsUnit) => seconds switch
    {
        < 60 => $"{seconds} {secondsUnit}",
        < 3600 => $"{seconds / 60}:{seconds % 60:D2}",
        _ => $"{seconds / 3600}:{seconds / 60 % 60:D2}:{seconds % 60:D2}",
    };
}
