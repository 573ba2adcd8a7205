using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>syslog(3) (see <see cref="Syslog"/>).</summary>
internal static unsafe partial class LibC
{
    public const int LOG_INFO = 6;

    // Variadic in C. With only pointer arguments the x86-64 and the Linux aarch64 calling conventions pass them as
    // for a fixed-argument call (Apple's arm64 would not, which is why this is bound for Linux only).
    [LibraryImport(Library, EntryPoint = "syslog")]
    public static partial void SyslogFormat(int priority, byte* format, byte* argument);
}
