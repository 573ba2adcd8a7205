using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>A logged-in user's utmp entry (type USER_PROCESS): who, on which terminal, from where.</summary>
internal readonly record struct UtmpLogin(string User, string Line, string Host);

/// <summary>
/// Reads the system's utmp file through glibc's getutxent (which knows where the file is and how to lock it).
/// No file, no entries.
/// </summary>
internal static unsafe partial class UtmpReader
{
    private const short UserProcess = 7;

    // struct utmpx on glibc x86-64: ut_type at 0, ut_line[32] at 8, ut_user[32] at 44, ut_host[256] at 76.
    private const int LineOffset = 8, LineSize = 32, UserOffset = 44, UserSize = 32, HostOffset = 76, HostSize = 256;

    /// <summary>Every USER_PROCESS entry, in file order.</summary>
    public static List<UtmpLogin> UserProcesses()
    {
        var logins = new List<UtmpLogin>();
        SetUtxEnt();
        try
        {
            for (byte* entry = GetUtxEnt(); entry is not null; entry = GetUtxEnt())
            {
                if (*(short*)entry == UserProcess)
                {
                    logins.Add(new UtmpLogin(
                        Field(entry + UserOffset, UserSize),
                        Field(entry + LineOffset, LineSize),
                        Field(entry + HostOffset, HostSize)));
                }
            }
        }
        finally
        {
            EndUtxEnt();
        }

        return logins;
    }

    /// <summary>A fixed-size char field: NUL-terminated unless it fills the field.</summary>
    private static string Field(byte* start, int size)
    {
        var bytes = new ReadOnlySpan<byte>(start, size);
        int end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    [LibraryImport("libc", EntryPoint = "setutxent")]
    private static partial void SetUtxEnt();

    [LibraryImport("libc", EntryPoint = "getutxent")]
    private static partial byte* GetUtxEnt();

    [LibraryImport("libc", EntryPoint = "endutxent")]
    private static partial void EndUtxEnt();
}
