using System.Runtime.InteropServices;

namespace Mosh.Wrapper;

/// <summary>The few libc calls the wrapper needs beyond Mosh.Util's: replacing itself (execve) and error texts.</summary>
internal static unsafe partial class Native
{
    public const int SIGPIPE = 13;
    public const int ENOENT = 2;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int execve(byte* path, byte** argv, byte** envp);

    [LibraryImport("libc")]
    public static partial nint signal(int signal, nint handler);

    [LibraryImport("libc")]
    private static partial byte* strerror(int errnum);

    /// <summary>The C library's text for an errno value ("No such file or directory").</summary>
    public static string ErrorText(int errno) => Marshal.PtrToStringUTF8((nint)strerror(errno)) ?? $"error {errno}";
}
