using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>
/// Every C library call Mosh for .NET makes, bound with source-generated <c>LibraryImport</c> so they work under
/// Native AOT with nothing beside the executable; one partial per concern (this file: errors and file descriptors).
/// Constants and struct layouts are glibc's on Linux x86-64 and aarch64, which agree on every value used here
/// (aarch64 takes the asm-generic numbers that x86-64 also has for these); where a struct differs between them, its
/// layout is chosen per architecture. tests/Mosh.Core.Tests/Util/LibCLayoutTests checks all of them against the C
/// headers compiled by clang for each target.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    // errno values.
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;

    // open(2) flags.
    public const int O_RDONLY = 0x0;
    public const int O_RDWR = 0x2;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;

    // fcntl(2) commands.
    public const int F_SETFD = 2;
    public const int F_DUPFD_CLOEXEC = 1030;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport(Library, EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "usleep", SetLastError = true)]
    public static partial int USleep(uint microseconds);

    [LibraryImport(Library, EntryPoint = "strerror")]
    private static partial byte* StrError(int errorNumber);

    /// <summary>The C library's text for an errno value ("No such file or directory").</summary>
    public static string ErrorText(int errorNumber) =>
        Marshal.PtrToStringUTF8((nint)StrError(errorNumber)) ?? $"error {errorNumber}";

    /// <summary>The last P/Invoke's errno as an exception naming the failed call.</summary>
    public static IOException LastError(string operation) => Error(operation, Marshal.GetLastPInvokeError());

    /// <summary>An error number (errno or a posix_spawn result) as an exception naming the failed call.</summary>
    public static IOException Error(string operation, int errorNumber) =>
        new($"{operation} failed: {Marshal.GetPInvokeErrorMessage(errorNumber)} (errno {errorNumber})", errorNumber);
}
