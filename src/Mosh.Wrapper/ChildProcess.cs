using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Mosh.Wrapper;

/// <summary>
/// A child started with posix_spawnp (never fork() from managed code) whose standard output, and optionally its
/// standard error, go into a pipe the wrapper reads. Signals the runtime ignores (SIGPIPE) are reset to their
/// defaults in the child and its signal mask is cleared, so ssh and mosh-server start as from a shell.
/// </summary>
internal sealed unsafe class ChildProcess
{
    public int Pid { get; }

    /// <summary>The read end of the child's output pipe.</summary>
    public FileStream Output { get; }

    private ChildProcess(int pid, FileStream output)
    {
        Pid = pid;
        Output = output;
    }

    /// <summary>Starts <paramref name="file"/> (looked up in PATH when it has no slash); throws <see cref="SpawnException"/>.</summary>
    public static ChildProcess Start(string file, IReadOnlyList<string> argv, EnvironmentBlock environment,
        bool stderrToPipe, string? workingDirectory = null)
    {
        int* fds = stackalloc int[2];
        if (Native.pipe2(fds, Native.O_CLOEXEC) != 0)
        {
            throw new SpawnException(Marshal.GetLastPInvokeError());
        }

        void* actions = NativeMemory.AllocZeroed(Native.FileActionsSize);
        void* attr = NativeMemory.AllocZeroed(Native.SpawnAttrSize);
        void* signals = NativeMemory.AllocZeroed(Native.SigSetSize);
        try
        {
            Native.posix_spawn_file_actions_init(actions);
            Native.posix_spawn_file_actions_adddup2(actions, fds[1], 1);
            if (stderrToPipe)
            {
                Native.posix_spawn_file_actions_adddup2(actions, fds[1], 2);
            }
            if (workingDirectory is not null)
            {
                Native.posix_spawn_file_actions_addchdir_np(actions, workingDirectory);
            }

            Native.posix_spawnattr_init(attr);
            Native.sigemptyset(signals);
            Native.posix_spawnattr_setsigmask(attr, signals);
            Native.sigaddset(signals, Native.SIGPIPE);
            Native.posix_spawnattr_setsigdefault(attr, signals);
            Native.posix_spawnattr_setflags(attr, Native.POSIX_SPAWN_SETSIGDEF | Native.POSIX_SPAWN_SETSIGMASK);

            using var args = new NativeStringArray(argv);
            using var env = new NativeStringArray(environment.ToEntries());
            int error = Native.posix_spawnp(out int pid, file, actions, attr, args.Pointer, env.Pointer);
            Native.close(fds[1]);
            if (error != 0)
            {
                Native.close(fds[0]);
                throw new SpawnException(error);
            }
            var output = new FileStream(new SafeFileHandle(fds[0], ownsHandle: true), FileAccess.Read, bufferSize: 0);
            return new ChildProcess(pid, output);
        }
        finally
        {
            Native.posix_spawn_file_actions_destroy(actions);
            Native.posix_spawnattr_destroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            NativeMemory.Free(signals);
        }
    }

    /// <summary>Waits for the child and returns its exit status (128 + N when killed by signal N).</summary>
    public int WaitForExit()
    {
        while (true)
        {
            if (Native.waitpid(Pid, out int status, 0) == Pid)
            {
                int signal = status & 0x7f;
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
            }
            if (Marshal.GetLastPInvokeError() != Native.EINTR)
            {
                return -1;
            }
        }
    }
}
