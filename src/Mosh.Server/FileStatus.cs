using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// Type, mode and owner of a path without following a final symbolic link (statx with AT_SYMLINK_NOFOLLOW; struct
/// statx has one layout on every Linux architecture, unlike struct stat).
/// </summary>
internal readonly unsafe record struct FileStatus(uint Mode, uint OwnerUid)
{
    public bool IsDirectory => (Mode & LibC.S_IFMT) == LibC.S_IFDIR;

    public bool IsSocket => (Mode & LibC.S_IFMT) == LibC.S_IFSOCK;

    /// <summary>The permission bits (e.g. 0700).</summary>
    public uint Permissions => Mode & 0xFFF;

    /// <summary>The status of <paramref name="path"/>, or null when it does not exist (or cannot be examined).</summary>
    public static FileStatus? Of(string path)
    {
        byte* buffer = stackalloc byte[LibC.StatxSize];
        if (LibC.Statx(LibC.AT_FDCWD, path, LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_TYPE | LibC.STATX_MODE | LibC.STATX_UID, buffer) != 0)
        {
            return null;
        }

        return new FileStatus(*(ushort*)(buffer + LibC.StatxModeOffset), *(uint*)(buffer + LibC.StatxUidOffset));
    }

    /// <summary>The real user id of this process.</summary>
    public static uint CurrentUid => LibC.GetUid();
}
