using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>Signals and child processes.</summary>
internal static unsafe partial class LibC
{
    public const int SIGPIPE = 13;

    /// <summary>signal(2)'s SIG_DFL and SIG_IGN handler values.</summary>
    public const nint SIG_DFL = 0, SIG_IGN = 1;

    public const int WNOHANG = 1;

    [LibraryImport(Library, EntryPoint = "sigemptyset")]
    public static partial int SigEmptySet(SignalSet* signals);

    [LibraryImport(Library, EntryPoint = "sigfillset")]
    public static partial int SigFillSet(SignalSet* signals);

    [LibraryImport(Library, EntryPoint = "sigaction", SetLastError = true)]
    public static partial int SigAction(int signal, SignalAction* action, SignalAction* oldAction);

    /// <summary>Sets a signal's disposition; returns the previous handler.</summary>
    [LibraryImport(Library, EntryPoint = "signal")]
    public static partial nint Signal(int signal, nint handler);

    [LibraryImport(Library, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>glibc's <c>sigset_t</c> (1024 bits) on x86-64 and aarch64.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 128)]
    public struct SignalSet
    {
        private long _alignment;
    }

    /// <summary>
    /// glibc's <c>struct sigaction</c>, the same on x86-64 and aarch64 (152 bytes: handler at 0, mask at 8, flags at
    /// 136, restorer at 144).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SignalAction
    {
        public nint Handler;
        public SignalSet Mask;
        public int Flags;
        public nint Restorer;
    }
}
