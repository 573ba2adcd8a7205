using System.Runtime.InteropServices;
using Mosh.Util;

namespace Mosh.Server;

/// <summary>The current user's passwd entry (getpwuid(getuid())): the login shell and home directory.</summary>
internal sealed unsafe record PasswdEntry(string Name, string Home, string Shell)
{
    /// <summary>The entry, or null if the user has none (upstream then fails where it needs one).</summary>
    public static PasswdEntry? ForCurrentUser()
    {
        LibC.Passwd* entry = LibC.GetPwUid(LibC.GetUid());
        if (entry is null)
        {
            return null;
        }

        return new PasswdEntry(
            Marshal.PtrToStringUTF8(entry->Name) ?? string.Empty,
            Marshal.PtrToStringUTF8(entry->Directory) ?? string.Empty,
            Marshal.PtrToStringUTF8(entry->Shell) ?? string.Empty);
    }
}
