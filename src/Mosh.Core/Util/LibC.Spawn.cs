using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>Starting programs: the posix_spawn family and execve.</summary>
internal static unsafe partial class LibC
{
    // posix_spawnattr_setflags(3) flags.
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

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

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int PosixSpawnFileActionsAddDup2(SpawnFileActions* fileActions, int fd, int newFd);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    public static partial int PosixSpawnFileActionsAddChdir(SpawnFileActions* fileActions, byte* path);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    public static partial int PosixSpawnFileActionsAddCloseFrom(SpawnFileActions* fileActions, int lowFd);

    /// <summary>Replaces this process; returns only on failure (-1 and errno).</summary>
    [LibraryImport(Library, EntryPoint = "execve", SetLastError = true)]
    public static partial int ExecVe(byte* path, byte** argv, byte** envp);

    /// <summary>Opaque glibc <c>posix_spawnattr_t</c>: 336 bytes on x86-64 and aarch64.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 336)]
    public struct SpawnAttributes
    {
        private long _alignment;
    }

    /// <summary>Opaque glibc <c>posix_spawn_file_actions_t</c>: 80 bytes on x86-64 and aarch64.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 80)]
    public struct SpawnFileActions
    {
        private long _alignment;
    }
}
