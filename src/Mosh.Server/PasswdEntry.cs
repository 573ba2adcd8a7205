using System.Runtime.InteropServices;

namespace Mosh.Server;

/// <summary>The current user's passwd entry (getpwuid(getuid())): the login shell and home directory.</summary>
internal sealed unsafe partial record PasswdEntry(string Name, string Home, string Shell)
{
    /// <summary>The entry, or null if the user has none (upstream then fails where it needs one).</summary>
    public static PasswdEntry? ForCurrentUser()
    {
        Passwd* entry = GetPwUid(GetUid());
        if (entry is null)
        {
            return null;
        }

        return new PasswdEntry(
            Marshal.PtrToStringUTF8(entry->Name) ?? string.Empty,
            Marshal.PtrToStringUTF8(entry->Directory) ?? string.Empty,
            Marshal.PtrToStringUTF8(entry->Shell) ?? string.Empty);
    }

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "getpwuid")]
    private static partial Passwd* GetPwUid(uint uid);

    /// <summary>glibc's struct passwd on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint UserId;
        public uint GroupId;
        public nint Gecos;
        public nint Directory;
        public nint Shell;
    }
}
