using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>The kernel's CSPRNG (see <see cref="OsRandom"/>).</summary>
internal static unsafe partial class LibC
{
    [LibraryImport(Library, EntryPoint = "getrandom", SetLastError = true)]
    public static partial nint GetRandom(byte* buffer, nuint length, uint flags);
}
