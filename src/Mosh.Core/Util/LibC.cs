using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>
/// The glibc (Linux x86-64) calls behind the POSIX layer, bound with source-generated <c>LibraryImport</c> so they
/// work under Native AOT with nothing beside the executable. Constants are the Linux values for this platform.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    // errno values.
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;

    // open(2) flags.
    public const int O_RDONLY = 0x0;
    public const int O_RDWR = 0x2;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;

    // fcntl(2) commands.
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;

    // ioctl(2) requests on terminals.
    public const nuint TIOCGWINSZ = 0x5413;
    public const nuint TIOCSWINSZ = 0x5414;

    // posix_spawnattr_setflags(3) flags.
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

    public const int WNOHANG = 1;

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

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

    // posix_spawn family: these return an error number instead of setting errno.
    [LibraryImport(Library, EntryPoint = "posix_spawn")]
    public static partial int PosixSpawn(out int pid, byte* path, SpawnFileActions* fileActions,
        SpawnAttributes* attributes, byte** argv, byte** envp);

    [LibraryImport(Library, EntryPoint = "posix_spawnp")]
    public static partial int PosixSpawnP(out int pid, byte* file, SpawnFileActions* fileActions,
        SpawnAttributes* attributes, byte** argv, byte** envp);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_init")]
    public static partial int PosixSpawnAttrInit(SpawnAttributes* attributes);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int PosixSpawnAttrDestroy(SpawnAttributes* attributes);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int PosixSpawnAttrSetFlags(SpawnAttributes* attributes, short flags);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int PosixSpawnAttrSetSigDefault(SpawnAttributes* attributes, SignalSet* signals);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int PosixSpawnAttrSetSigMask(SpawnAttributes* attributes, SignalSet* signals);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int PosixSpawnFileActionsInit(SpawnFileActions* fileActions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int PosixSpawnFileActionsDestroy(SpawnFileActions* fileActions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addopen")]
    public static partial int PosixSpawnFileActionsAddOpen(SpawnFileActions* fileActions, int fd, byte* path,
        int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int PosixSpawnFileActionsAddDup2(SpawnFileActions* fileActions, int fd, int newFd);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    public static partial int PosixSpawnFileActionsAddChdir(SpawnFileActions* fileActions, byte* path);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    public static partial int PosixSpawnFileActionsAddCloseFrom(SpawnFileActions* fileActions, int lowFd);

    [LibraryImport(Library, EntryPoint = "sigemptyset")]
    public static partial int SigEmptySet(SignalSet* signals);

    [LibraryImport(Library, EntryPoint = "sigfillset")]
    public static partial int SigFillSet(SignalSet* signals);

    [LibraryImport(Library, EntryPoint = "sigaction", SetLastError = true)]
    public static partial int SigAction(int signal, SignalAction* action, SignalAction* oldAction);

    [LibraryImport(Library, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>Opaque glibc x86-64 <c>posix_spawnattr_t</c> (336 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 336)]
    public struct SpawnAttributes
    {
        private long _alignment;
    }

    /// <summary>Opaque glibc x86-64 <c>posix_spawn_file_actions_t</c> (80 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 80)]
    public struct SpawnFileActions
    {
        private long _alignment;
    }

    /// <summary>glibc's <c>sigset_t</c> (1024 bits).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 128)]
    public struct SignalSet
    {
        private long _alignment;
    }

    /// <summary>glibc x86-64 <c>struct sigaction</c> (152 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SignalAction
    {
        public nint Handler;
        public SignalSet Mask;
        public int Flags;
        public nint Restorer;
    }

    /// <summary>The last P/Invoke's errno as an exception naming the failed call.</summary>
    public static IOException LastError(string operation) => Error(operation, Marshal.GetLastPInvokeError());

    /// <summary>An error number (errno or a posix_spawn result) as an exception naming the failed call.</summary>
    public static IOException Error(string operation, int errorNumber) =>
        new($"{operation} failed: {Marshal.GetPInvokeErrorMessage(errorNumber)} (errno {errorNumber})", errorNumber);
}
