namespace Mosh.StateSync;

/// <summary>
/// The server's frame-collection delay. Upstream always waits <see cref="TransportConstants.SEND_MINDELAY"/> (8 ms)
/// after the screen changes before sending, so that output written in several pieces goes out as one frame; on a
/// fast link that wait is most of the time a keystroke takes to show. Output that follows closely on plain typed
/// characters (the application's echo, a few bytes, written at once by shells and editors) goes out without
/// waiting (<see cref="EchoSendMinDelay"/>); should an echo come in two pieces, the second follows at the frame
/// rate. A CR or any other control key (which may start a command and its output), output long after the keys, or
/// more than <see cref="EchoBytesLimit"/> bytes of it keep the 8 ms collection. The frame rate limit (the send interval) still
/// applies, so bulk output is never sent in more datagrams than before. Only the send timing changes: the wire
/// format is untouched.
/// </summary>
internal sealed class EchoSendTiming
{
    /// <summary>ms after typed characters reach the application during which its output counts as their echo.</summary>
    public const int EchoWindowMs = 50;

    /// <summary>Bytes of output after the keys that still count as echo (a character, a line redraw).</summary>
    public const int EchoBytesLimit = 256;

    /// <summary>ms to collect an echo before sending it: none (1 ms measured 3.0 ms median keystroke-to-screen at
    /// ~0 RTT against 1.9 ms without).</summary>
    public const int EchoSendMinDelay = 0;

    private long _keysAt = long.MinValue / 2;
    private int _bytesSinceKeys = int.MaxValue;

    /// <summary>Keystrokes were written to the application at <paramref name="now"/>.</summary>
    public void KeystrokesDelivered(ReadOnlySpan<byte> keys, long now)
    {
        // Plain characters (UTF-8 included) and DEL (backspace) are echoed in place; other controls may start output.
        bool plain = !keys.IsEmpty;
        foreach (byte b in keys)
        {
            if (b < 0x20)
            {
                plain = false;
                break;
            }
        }

        _keysAt = now;
        _bytesSinceKeys = plain ? 0 : int.MaxValue;
    }

    /// <summary>The collection delay for <paramref name="bytes"/> of application output read at <paramref name="now"/>.</summary>
    public int SendMinDelayFor(int bytes, long now)
    {
        if (_bytesSinceKeys <= EchoBytesLimit && now - _keysAt <= EchoWindowMs && bytes <= EchoBytesLimit - _bytesSinceKeys)
        {
            _bytesSinceKeys += bytes;
            return EchoSendMinDelay;
        }

        _bytesSinceKeys = int.MaxValue; // the echo is over: collect whatever follows as upstream does
        return TransportConstants.SEND_MINDELAY;
    }
}
