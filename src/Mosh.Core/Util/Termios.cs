namespace Mosh.Util;

/// <summary>
/// Terminal settings of a tty file descriptor: attributes, raw mode (as mosh-client puts the user's terminal in,
/// with IUTF8 kept on), and the window size.
/// </summary>
internal static unsafe class Termios
{
    /// <summary>tcsetattr: apply now.</summary>
    public const int TCSANOW = 0;

    /// <summary>tcsetattr: apply after pending output is written.</summary>
    public const int TCSADRAIN = 1;

    public static bool IsTerminal(int fd) => LibC.IsAtty(fd) == 1;

    public static bool TryGetAttributes(int fd, out TerminalAttributes attributes)
    {
        fixed (TerminalAttributes* pointer = &attributes)
        {
            return LibC.TcGetAttr(fd, pointer) == 0;
        }
    }

    public static TerminalAttributes GetAttributes(int fd) =>
        TryGetAttributes(fd, out var attributes) ? attributes : throw LibC.LastError("tcgetattr");

    public static void SetAttributes(int fd, in TerminalAttributes attributes, int when = TCSANOW)
    {
        TerminalAttributes copy = attributes;
        while (LibC.TcSetAttr(fd, when, &copy) != 0)
        {
            if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != LibC.EINTR)
            {
                throw LibC.LastError("tcsetattr");
            }
        }
    }

    /// <summary>The attributes with cfmakeraw applied (no echo, no line editing, no signals, 8-bit) and IUTF8 set.</summary>
    public static TerminalAttributes MakeRaw(in TerminalAttributes attributes)
    {
        TerminalAttributes raw = attributes;
        LibC.CfMakeRaw(&raw);
        raw.InputFlags |= TerminalAttributes.IUTF8;
        return raw;
    }

    /// <summary>Puts the terminal in raw mode; returns the previous attributes for <see cref="SetAttributes"/>.</summary>
    public static TerminalAttributes EnterRawMode(int fd)
    {
        TerminalAttributes original = GetAttributes(fd);
        SetAttributes(fd, MakeRaw(original));
        return original;
    }

    /// <summary>Sets IUTF8 so the kernel's line editing erases whole UTF-8 characters.</summary>
    public static void EnableUtf8(int fd)
    {
        TerminalAttributes attributes = GetAttributes(fd);
        attributes.InputFlags |= TerminalAttributes.IUTF8;
        SetAttributes(fd, attributes);
    }

    public static bool TryGetWindowSize(int fd, out WindowSize size)
    {
        fixed (WindowSize* pointer = &size)
        {
            return LibC.Ioctl(fd, LibC.TIOCGWINSZ, pointer) == 0;
        }
    }

    public static WindowSize GetWindowSize(int fd) =>
        TryGetWindowSize(fd, out var size) ? size : throw LibC.LastError("ioctl(TIOCGWINSZ)");

    /// <summary>Sets the size; on a pty master the kernel also sends SIGWINCH to the slave's foreground group.</summary>
    public static void SetWindowSize(int fd, WindowSize size)
    {
        if (LibC.Ioctl(fd, LibC.TIOCSWINSZ, &size) != 0)
        {
            throw LibC.LastError("ioctl(TIOCSWINSZ)");
        }
    }
}
