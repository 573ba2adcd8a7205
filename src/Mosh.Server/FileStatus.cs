using System.Runtime.InteropServices;

namespace Mosh.Server;

/// <summary>
/// Type, mode and owner of a path without following a final symbolic link (statx with AT_SYMLINK_NOFOLLOW; struct
/// statx has one layout on every Linux architecture, unlike struct stat).
/// </summary>
internal readonly unsafe partial record struct FileStatus(uint Mode, uint OwnerUid)
{
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_UID = 0x8;
    private const uint S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFSOCK = 0xC000;

    public bool IsDirectory => (Mode & S_IFMT) == S_IFDIR;

    public bool IsSocket => (Mode & S_IFMT) == S_IFSOCK;

    /// <summary>The permission bits (e.g. 0700).</summary>
    public uint Permissions => Mode & 0xFFF;

    /// <summary>The status of <paramref name="path"/>, or null when it does not exist (or cannot be examined).</summary>
    public static FileStatus? Of(string path)
    {
        byte* buffer = stackalloc byte[256]; // struct statx is 256 bytes
        if (Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_MODE | STATX_UID, buffer) != 0)
        {
            return null;
        }

        // stx_uid at offset 20, stx_mode (16 bits) at 28.
        return new FileStatus(*(ushort*)(buffer + 28), *(uint*)(buffer + 20));
    }

    /// <summary>The real user id of this process.</summary>
    public static uint CurrentUid => GetUid();

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();
}
