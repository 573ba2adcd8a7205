using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>File status through statx(2), whose struct has one layout on every Linux architecture (unlike stat).</summary>
internal static unsafe partial class LibC
{
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const uint STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_UID = 0x8;
    public const uint S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFSOCK = 0xC000;

    /// <summary>sizeof(struct statx) and the offsets of the fields read (x86-64 and aarch64 alike).</summary>
    public const int StatxSize = 256, StatxUidOffset = 20, StatxModeOffset = 28;

    /// <summary>Fills <paramref name="buffer"/> (<see cref="StatxSize"/> bytes); -1 and errno on failure.</summary>
    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);
}
