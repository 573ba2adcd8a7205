namespace Mosh.Util;

/// <summary>A logged-in user's utmp entry (type USER_PROCESS): who, on which terminal, from where.</summary>
internal readonly record struct UtmpLogin(string User, string Line, string Host);

/// <summary>
/// Reads the system's utmp file through glibc's getutxent (which knows where the file is and how to lock it).
/// No file, no entries.
/// </summary>
internal static unsafe class UtmpReader
{
    /// <summary>Every USER_PROCESS entry, in file order.</summary>
    public static List<UtmpLogin> UserProcesses()
    {
        var logins = new List<UtmpLogin>();
        LibC.UtmpxLayout layout = LibC.UtmpxLayout.Current;
        LibC.SetUtxEnt();
        try
        {
            for (byte* entry = LibC.GetUtxEnt(); entry is not null; entry = LibC.GetUtxEnt())
            {
                if (*(short*)entry == LibC.USER_PROCESS)
                {
                    logins.Add(new UtmpLogin(
                        Field(entry + layout.User, LibC.UtmpxLayout.UserSize),
                        Field(entry + layout.Line, LibC.UtmpxLayout.LineSize),
                        Field(entry + layout.Host, LibC.UtmpxLayout.HostSize)));
                }
            }
        }
        finally
        {
            LibC.EndUtxEnt();
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
}
