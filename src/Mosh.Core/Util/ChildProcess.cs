using System.Runtime.InteropServices;
using System.Text;

namespace Mosh.Util;

/// <summary>
/// A child started with posix_spawn, never fork (a forked .NET process would hold the runtime's locks with one
/// thread). With a terminal path the child starts a new session (POSIX_SPAWN_SETSID) and opens the terminal as
/// fds 0-2, so it becomes its controlling terminal; glibc does the open after setsid. Signal dispositions and the
/// mask are reset, since the runtime ignores SIGPIPE and blocks signals on its threads, and descriptors from 3 up
/// are closed. Only this child is ever reaped (waitpid(pid), never -1).
/// </summary>
internal sealed unsafe class ChildProcess
{
    private ProcessExitStatus? _exitStatus;

    private ChildProcess(int id) => Id = id;

    public int Id { get; }

    /// <summary>The exit status once <see cref="TryWait"/> or <see cref="WaitForExit"/> has reaped the child.</summary>
    public ProcessExitStatus? ExitStatus => _exitStatus;

    /// <summary>
    /// Starts <paramref name="file"/> (searched on this process's PATH unless it contains '/') with exactly
    /// <paramref name="argv"/> (argv[0] included, e.g. "-bash" for a login shell) and exactly
    /// <paramref name="environment"/> ("NAME=value" entries).
    /// </summary>
    /// <param name="terminalPath">The pty slave to make the controlling terminal and stdin/stdout/stderr, or null
    /// to share this process's standard descriptors and session.</param>
    /// <param name="workingDirectory">Directory to start in, or null for ours.</param>
    /// <param name="outputFd">Without a terminal: a descriptor (e.g. a pipe's write end) to become the child's
    /// stdout, or -1 to share ours.</param>
    /// <param name="stderrToOutput">With <paramref name="outputFd"/>: the child's stderr goes there too.</param>
    public static ChildProcess Start(string file, IReadOnlyList<string> argv, IReadOnlyList<string> environment,
        string? terminalPath = null, string? workingDirectory = null, int outputFd = -1, bool stderrToOutput = false)
    {
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count);

        using var strings = new NativeStrings([file, terminalPath, workingDirectory], argv, environment);
        LibC.SpawnAttributes attributes;
        LibC.SpawnFileActions actions;
        Check("posix_spawnattr_init", LibC.PosixSpawnAttrInit(&attributes));
        try
        {
            Check("posix_spawn_file_actions_init", LibC.PosixSpawnFileActionsInit(&actions));
            try
            {
                LibC.SignalSet all, none;
                LibC.SigFillSet(&all);
                // glibc's sigfillset leaves out its internal signals 32 and 33, which posix_spawn then sets to
                // SIG_IGN in the child (they survive exec); name them too so the child starts as after fork+exec.
                *(ulong*)&all = ulong.MaxValue;
                LibC.SigEmptySet(&none);
                short flags = LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK;
                Check("posix_spawnattr_setsigdefault", LibC.PosixSpawnAttrSetSigDefault(&attributes, &all));
                Check("posix_spawnattr_setsigmask", LibC.PosixSpawnAttrSetSigMask(&attributes, &none));

                if (terminalPath is not null)
                {
                    flags |= LibC.POSIX_SPAWN_SETSID;
                    Check("posix_spawn_file_actions_addopen",
                        LibC.PosixSpawnFileActionsAddOpen(&actions, 0, strings.Single(1), LibC.O_RDWR, 0));
                    Check("posix_spawn_file_actions_adddup2", LibC.PosixSpawnFileActionsAddDup2(&actions, 0, 1));
                    Check("posix_spawn_file_actions_adddup2", LibC.PosixSpawnFileActionsAddDup2(&actions, 0, 2));
                }
                else if (outputFd >= 0)
                {
                    Check("posix_spawn_file_actions_adddup2", LibC.PosixSpawnFileActionsAddDup2(&actions, outputFd, 1));
                    if (stderrToOutput)
                    {
                        Check("posix_spawn_file_actions_adddup2", LibC.PosixSpawnFileActionsAddDup2(&actions, outputFd, 2));
                    }
                }

                if (workingDirectory is not null)
                {
                    Check("posix_spawn_file_actions_addchdir_np",
                        LibC.PosixSpawnFileActionsAddChdir(&actions, strings.Single(2)));
                }

                Check("posix_spawn_file_actions_addclosefrom_np", LibC.PosixSpawnFileActionsAddCloseFrom(&actions, 3));
                Check("posix_spawnattr_setflags", LibC.PosixSpawnAttrSetFlags(&attributes, flags));

                int pid;
                int error = file.Contains('/')
                    ? LibC.PosixSpawn(out pid, strings.Single(0), &actions, &attributes, strings.Argv, strings.Environment)
                    : LibC.PosixSpawnP(out pid, strings.Single(0), &actions, &attributes, strings.Argv, strings.Environment);
                if (error != 0)
                {
                    throw LibC.Error($"posix_spawn({file})", error);
                }

                return new ChildProcess(pid);
            }
            finally
            {
                LibC.PosixSpawnFileActionsDestroy(&actions);
            }
        }
        finally
        {
            LibC.PosixSpawnAttrDestroy(&attributes);
        }
    }

    /// <summary>Reaps the child if it has ended, without waiting.</summary>
    public bool TryWait(out ProcessExitStatus status) => Wait(LibC.WNOHANG, out status);

    /// <summary>Blocks until the child ends and reaps it.</summary>
    public ProcessExitStatus WaitForExit()
    {
        Wait(0, out var status);
        return status;
    }

    /// <summary>Sends a signal; false if the child has already been reaped or is gone.</summary>
    public bool Signal(int signal) => _exitStatus is null && Signals.Send(Id, signal);

    private bool Wait(int options, out ProcessExitStatus status)
    {
        if (_exitStatus is { } known)
        {
            status = known;
            return true;
        }

        while (true)
        {
            int result = LibC.WaitPid(Id, out int raw, options);
            if (result == Id)
            {
                status = new ProcessExitStatus(raw);
                _exitStatus = status;
                return true;
            }

            if (result == 0)
            {
                status = default;
                return false;
            }

            int error = Marshal.GetLastPInvokeError();
            if (error != LibC.EINTR)
            {
                throw LibC.Error($"waitpid({Id})", error);
            }
        }
    }

    private static void Check(string operation, int error)
    {
        if (error != 0)
        {
            throw LibC.Error(operation, error);
        }
    }

    /// <summary>
    /// NUL-terminated UTF-8 copies of the spawn arguments in one native block: a few single strings, then the
    /// argv and envp pointer arrays (each ending with a null pointer).
    /// </summary>
    private sealed class NativeStrings : IDisposable
    {
        private readonly byte* _block;
        private readonly byte*[] _singles;

        public NativeStrings(string?[] singles, IReadOnlyList<string> argv, IReadOnlyList<string> environment)
        {
            int pointerCount = argv.Count + 1 + environment.Count + 1;
            int textSize = 0;
            foreach (string? text in singles)
            {
                textSize += SizeOf(text);
            }

            for (int i = 0; i < argv.Count; i++)
            {
                textSize += SizeOf(argv[i]);
            }

            for (int i = 0; i < environment.Count; i++)
            {
                textSize += SizeOf(environment[i]);
            }

            _block = (byte*)NativeMemory.Alloc((nuint)(pointerCount * sizeof(byte*) + textSize));
            var pointers = (byte**)_block;
            byte* next = _block + pointerCount * sizeof(byte*);

            _singles = new byte*[singles.Length];
            for (int i = 0; i < singles.Length; i++)
            {
                _singles[i] = singles[i] is { } text ? Copy(text, ref next) : null;
            }

            Argv = pointers;
            for (int i = 0; i < argv.Count; i++)
            {
                *pointers++ = Copy(argv[i], ref next);
            }

            *pointers++ = null;
            Environment = pointers;
            for (int i = 0; i < environment.Count; i++)
            {
                *pointers++ = Copy(environment[i], ref next);
            }

            *pointers = null;
        }

        public byte** Argv { get; }

        public byte** Environment { get; }

        public byte* Single(int index) => _singles[index];

        public void Dispose() => NativeMemory.Free(_block);

        /// <summary>UTF-8 length plus the terminating NUL; a NUL inside would silently cut the string, so refuse it.</summary>
        private static int SizeOf(string? text)
        {
            if (text is null)
            {
                return 0;
            }

            if (text.Contains('\0'))
            {
                throw new ArgumentException("an argument, environment entry or path contains NUL");
            }

            return Encoding.UTF8.GetByteCount(text) + 1;
        }

        private static byte* Copy(string text, ref byte* destination)
        {
            byte* start = destination;
            int length = Encoding.UTF8.GetByteCount(text);
            Encoding.UTF8.GetBytes(text, new Span<byte>(start, length));
            start[length] = 0;
            destination = start + length + 1;
            return start;
        }
    }
}
