using Mosh.Util;

namespace Mosh.Wrapper;

/// <summary>Replaces the wrapper with another program (execve), so mosh-client keeps our process id and terminal.</summary>
internal static unsafe class ProcessReplacement
{
    /// <summary>Runs <paramref name="path"/> in place of this process; returns the errno only if that failed.</summary>
    public static int Exec(string path, IReadOnlyList<string> argv, EnvironmentBlock environment)
    {
        // The runtime ignores SIGPIPE and exec keeps ignored signals ignored; the client should start with defaults.
        _ = LibC.Signal(LibC.SIGPIPE, LibC.SIG_DFL);
        using var pathBytes = new NativeStringArray([path]);
        using var args = new NativeStringArray(argv);
        using var env = new NativeStringArray(environment.ToEntries());
        _ = LibC.ExecVe(pathBytes.Pointer[0], args.Pointer, env.Pointer);
        return System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
    }
}
