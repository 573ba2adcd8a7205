using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>Users and logins: the passwd database and the utmp file.</summary>
internal static unsafe partial class LibC
{
    /// <summary>utmpx's ut_type of a logged-in user.</summary>
    public const short USER_PROCESS = 7;

    [LibraryImport(Library, EntryPoint = "getuid")]
    public static partial uint GetUid();

    [LibraryImport(Library, EntryPoint = "getpwuid")]
    public static partial Passwd* GetPwUid(uint uid);

    [LibraryImport(Library, EntryPoint = "setutxent")]
    public static partial void SetUtxEnt();

    /// <summary>The next utmp entry (laid out as <see cref="UtmpxLayout.Current"/> says), or null at the end.</summary>
    [LibraryImport(Library, EntryPoint = "getutxent")]
    public static partial byte* GetUtxEnt();

    [LibraryImport(Library, EntryPoint = "endutxent")]
    public static partial void EndUtxEnt();

    /// <summary>glibc's <c>struct passwd</c>, the same on x86-64 and aarch64 (48 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint UserId;
        public uint GroupId;
        public nint Gecos;
        public nint Directory;
        public nint Shell;
    }

    /// <summary>
    /// Where glibc's <c>struct utmpx</c> keeps its fields. It differs by architecture: x86-64 keeps the 32-bit
    /// ut_session and ut_tv of its i386 compatibility (384 bytes), aarch64 has a 64-bit long and struct timeval
    /// (400 bytes). The fields mosh reads (ut_type at 0 as a short, the char arrays) sit alike on both.
    /// </summary>
    public readonly record struct UtmpxLayout(int Size, int Line, int User, int Host, int Session, int Time)
    {
        public const int LineSize = 32, UserSize = 32, HostSize = 256;

        public static readonly UtmpxLayout X64 = new(Size: 384, Line: 8, User: 44, Host: 76, Session: 336, Time: 340);
        public static readonly UtmpxLayout Arm64 = new(Size: 400, Line: 8, User: 44, Host: 76, Session: 336, Time: 344);

        /// <summary>The layout on <paramref name="architecture"/>; null where this build has not checked one.</summary>
        public static UtmpxLayout? For(Architecture architecture) => architecture switch
        {
            Architecture.X64 => X64,
            Architecture.Arm64 => Arm64,
            _ => null,
        };

        /// <summary>This process's layout (a constant once Native AOT compiles for one architecture).</summary>
        public static UtmpxLayout Current => For(RuntimeInformation.ProcessArchitecture)
            ?? throw new PlatformNotSupportedException($"no utmpx layout for {RuntimeInformation.ProcessArchitecture}");
    }
}
