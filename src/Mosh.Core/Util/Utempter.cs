using System.Runtime.InteropServices;
using System.Text;

namespace Mosh.Util;

/// <summary>
/// utmp records for a pseudo-terminal through libutempter, whose setgid helper may write /var/run/utmp where we may
/// not. The library is looked for at run time, so the executables need nothing beyond libc; where it is absent (or
/// lacks the two calls) every operation quietly does nothing, as an upstream build without libutempter does.
/// </summary>
internal static unsafe class Utempter
{
    private const string LibraryName = "libutempter.so.0";

    private static readonly delegate* unmanaged<int, byte*, int> s_add;
    private static readonly delegate* unmanaged<int, int> s_remove;

    static Utempter()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out nint library))
        {
            return;
        }

        if (NativeLibrary.TryGetExport(library, "utempter_add_record", out nint add)
            && NativeLibrary.TryGetExport(library, "utempter_remove_record", out nint remove))
        {
            s_add = (delegate* unmanaged<int, byte*, int>)add;
            s_remove = (delegate* unmanaged<int, int>)remove;
        }
        else
        {
            NativeLibrary.Free(library);
        }
    }

    /// <summary>True when libutempter was found, so the records are really written.</summary>
    public static bool IsAvailable => s_add != null;

    /// <summary>
    /// utempter_add_record: a USER_PROCESS entry for the terminal whose master side is <paramref name="masterFd"/>,
    /// with <paramref name="host"/> as its host text (the helper keeps what fits utmp's ut_host). False when it was
    /// not written (no library, or the helper failed, e.g. without a utmp file).
    /// </summary>
    public static bool AddRecord(int masterFd, string host)
    {
        if (!IsAvailable)
        {
            return false;
        }

        byte[] text = new byte[Encoding.UTF8.GetByteCount(host) + 1]; // NUL-terminated; only on attach and detach
        Encoding.UTF8.GetBytes(host, text);
        fixed (byte* hostText = text)
        {
            return s_add(masterFd, hostText) != 0;
        }
    }

    /// <summary>utempter_remove_record: marks the terminal's entry as ended (DEAD_PROCESS).</summary>
    public static bool RemoveRecord(int masterFd) => IsAvailable && s_remove(masterFd) != 0;
}
