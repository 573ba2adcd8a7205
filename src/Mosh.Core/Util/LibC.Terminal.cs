using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>Pseudo-terminals and terminal attributes (<see cref="TerminalAttributes"/>, <see cref="WindowSize"/>).</summary>
internal static unsafe partial class LibC
{
    // ioctl(2) requests on terminals.
    public const nuint TIOCGWINSZ = 0x5413;
    public const nuint TIOCSWINSZ = 0x5414;

    [LibraryImport(Library, EntryPoint = "posix_openpt", SetLastError = true)]
    public static partial int PosixOpenPt(int flags);

    [LibraryImport(Library, EntryPoint = "grantpt", SetLastError = true)]
    public static partial int GrantPt(int fd);

    [LibraryImport(Library, EntryPoint = "unlockpt", SetLastError = true)]
    public static partial int UnlockPt(int fd);

    /// <summary>Returns an error number (not -1 and errno).</summary>
    [LibraryImport(Library, EntryPoint = "ptsname_r")]
    public static partial int PtsNameR(int fd, byte* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "isatty")]
    public static partial int IsAtty(int fd);

    [LibraryImport(Library, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(int fd, TerminalAttributes* attributes);

    [LibraryImport(Library, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int TcSetAttr(int fd, int optionalActions, TerminalAttributes* attributes);

    [LibraryImport(Library, EntryPoint = "cfmakeraw")]
    public static partial void CfMakeRaw(TerminalAttributes* attributes);
}
