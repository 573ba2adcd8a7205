using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// Detaches the server without fork() (a forked .NET process would hold the runtime's locks with one thread): the
/// first process re-launches its own executable with the same arguments in a new session, handing over the bound
/// UDP socket as an inherited descriptor. The session key travels through a pipe the daemon inherits and reads
/// once, so it never appears in any process's environment or argv (both readable in /proc by the session's own
/// programs, and shown by <c>ps eww</c>); upstream likewise keeps the key only in memory. The socket's descriptor
/// number, the key pipe's and the initial window size travel in environment variables the daemon removes at once
/// (its /proc environ keeps them, but they are no secret) and never passes on to the shell.
/// </summary>
internal static unsafe partial class DaemonLauncher
{
    public const string SocketVariable = "MOSH_SERVER_DAEMON_SOCKET";
    public const string KeyPipeVariable = "MOSH_SERVER_DAEMON_KEY_FD";
    public const string WindowVariable = "MOSH_SERVER_DAEMON_WINDOW";

    /// <summary>The variables only the first process and the daemon share; never passed on to the shell.</summary>
    public static readonly IReadOnlySet<string> Variables = new HashSet<string>(StringComparer.Ordinal)
    {
        SocketVariable, KeyPipeVariable, WindowVariable,
    };

    /// <summary>The descriptor the socket has in the daemon (the first one after stdio).</summary>
    private const int InheritedSocketFd = 3;

    /// <summary>The descriptor the key pipe's reading end has in the daemon.</summary>
    private const int InheritedKeyFd = 4;

    /// <summary>More than any key's text (22 characters of base64); a longer handover is refused.</summary>
    private const int MaxKeyLength = 64;

    /// <summary>What the daemon learns from the first process.</summary>
    internal readonly record struct Handover(int SocketFd, string Key, WindowSize Window);

    /// <summary>
    /// Starts the daemon and returns its pid. Unless <paramref name="keepStdio"/>, its stdin, stdout and stderr are
    /// /dev/null, so it holds none of ssh's pipes open.
    /// </summary>
    public static int Launch(string executable, IReadOnlyList<string> args, int socketFd, string key, WindowSize window,
        bool keepStdio)
    {
        // dup2 onto a different descriptor clears close-on-exec; clear it here too for the case socketFd == 3.
        if (LibC.Fcntl(socketFd, LibC.F_SETFD, 0) != 0)
        {
            throw LibC.LastError("fcntl(F_SETFD)");
        }

        var environment = new List<string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (!Variables.Contains((string)entry.Key))
            {
                environment.Add($"{entry.Key}={entry.Value}");
            }
        }

        environment.Add(FormattableString.Invariant($"{SocketVariable}={InheritedSocketFd}"));
        environment.Add(FormattableString.Invariant($"{KeyPipeVariable}={InheritedKeyFd}"));
        environment.Add(FormattableString.Invariant($"{WindowVariable}={window.Columns}x{window.Rows}"));

        var argv = new List<string>(args.Count + 1) { executable };
        argv.AddRange(args);
        int keyFd = KeyPipe(key);
        try
        {
            return Spawn(executable, argv, environment, socketFd, keyFd, keepStdio);
        }
        finally
        {
            LibC.Close(keyFd);
        }
    }

    /// <summary>
    /// A pipe holding the key and then its end: returns the reading end (close-on-exec here, above descriptor
    /// <see cref="InheritedKeyFd"/>; dup2'd onto it in the daemon).
    /// The key is far smaller than a pipe's buffer, so writing it all before the daemon exists cannot block.
    /// </summary>
    private static int KeyPipe(string key)
    {
        int* fds = stackalloc int[2];
        if (LibC.Pipe2(fds, LibC.O_CLOEXEC) != 0)
        {
            throw LibC.LastError("pipe2");
        }

        try
        {
            byte[] bytes = Encoding.ASCII.GetBytes(key);
            fixed (byte* start = bytes)
            {
                if (LibC.Write(fds[1], start, (nuint)bytes.Length) != bytes.Length)
                {
                    throw LibC.LastError("write(key pipe)");
                }
            }
        }
        catch
        {
            LibC.Close(fds[0]);
            throw;
        }
        finally
        {
            LibC.Close(fds[1]);
        }

        // Above both target descriptors, so that the dup2 of the socket onto 3 cannot overwrite it.
        int high = LibC.Fcntl(fds[0], LibC.F_DUPFD_CLOEXEC, InheritedKeyFd + 1);
        int error = Marshal.GetLastPInvokeError();
        LibC.Close(fds[0]);
        if (high < 0)
        {
            throw LibC.Error("fcntl(F_DUPFD_CLOEXEC)", error);
        }

        return high;
    }

    /// <summary>In the daemon: takes (and removes from the environment) what the first process handed over.</summary>
    public static Handover? TakeHandover()
    {
        string? socket = Take(SocketVariable);
        string? keyPipe = Take(KeyPipeVariable);
        string? window = Take(WindowVariable);
        if (socket is null || keyPipe is null
            || !int.TryParse(socket, NumberStyles.None, CultureInfo.InvariantCulture, out int fd)
            || !int.TryParse(keyPipe, NumberStyles.None, CultureInfo.InvariantCulture, out int keyFd)
            || ReadKey(keyFd) is not { } key)
        {
            return null;
        }

        var size = new WindowSize(24, 80);
        if (window?.Split('x') is [{ } columns, { } rows]
            && ushort.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out ushort c)
            && ushort.TryParse(rows, NumberStyles.None, CultureInfo.InvariantCulture, out ushort r)
            && c > 0 && r > 0)
        {
            size = new WindowSize(r, c);
        }

        return new Handover(fd, key, size);
    }

    /// <summary>Reads the key pipe to its end and closes it; null if it held nothing or too much.</summary>
    private static string? ReadKey(int fd)
    {
        byte* buffer = stackalloc byte[MaxKeyLength + 1];
        int length = 0;
        try
        {
            while (length <= MaxKeyLength)
            {
                nint read = LibC.Read(fd, buffer + length, (nuint)(MaxKeyLength + 1 - length));
                if (read > 0)
                {
                    length += (int)read;
                }
                else if (read == 0)
                {
                    break;
                }
                else if (Marshal.GetLastPInvokeError() != LibC.EINTR)
                {
                    return null;
                }
            }
        }
        finally
        {
            LibC.Close(fd);
        }

        return length is > 0 and <= MaxKeyLength ? Encoding.ASCII.GetString(buffer, length) : null;
    }

    private static string? Take(string name)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        NativeLocale.UnsetVariable(name);
        return value;
    }

    private static int Spawn(string path, List<string> argv, List<string> environment, int socketFd, int keyFd, bool keepStdio)
    {
        using var strings = new NativeStringBlock([path, "/dev/null", .. argv], environment);
        LibC.SpawnAttributes attributes;
        LibC.SpawnFileActions actions;
        Check("posix_spawnattr_init", LibC.PosixSpawnAttrInit(&attributes));
        try
        {
            Check("posix_spawn_file_actions_init", LibC.PosixSpawnFileActionsInit(&actions));
            try
            {
                // Start with default dispositions and an empty mask, as after fork+exec from a plain C process.
                LibC.SignalSet all, none;
                LibC.SigFillSet(&all);
                *(ulong*)&all = ulong.MaxValue;
                LibC.SigEmptySet(&none);
                Check("posix_spawnattr_setsigdefault", LibC.PosixSpawnAttrSetSigDefault(&attributes, &all));
                Check("posix_spawnattr_setsigmask", LibC.PosixSpawnAttrSetSigMask(&attributes, &none));
                Check("posix_spawnattr_setflags", LibC.PosixSpawnAttrSetFlags(&attributes,
                    LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSID));

                // keyFd is above both targets (KeyPipe), so neither dup2 overwrites the other's source.
                Check("posix_spawn_file_actions_adddup2", LibC.PosixSpawnFileActionsAddDup2(&actions, socketFd, InheritedSocketFd));
                Check("posix_spawn_file_actions_adddup2", LibC.PosixSpawnFileActionsAddDup2(&actions, keyFd, InheritedKeyFd));
                if (!keepStdio)
                {
                    Check("posix_spawn_file_actions_addopen",
                        LibC.PosixSpawnFileActionsAddOpen(&actions, 0, strings[1], LibC.O_RDWR, 0));
                    Check("posix_spawn_file_actions_adddup2", LibC.PosixSpawnFileActionsAddDup2(&actions, 0, 1));
                    Check("posix_spawn_file_actions_adddup2", LibC.PosixSpawnFileActionsAddDup2(&actions, 0, 2));
                }

                Check("posix_spawn_file_actions_addclosefrom_np",
                    LibC.PosixSpawnFileActionsAddCloseFrom(&actions, InheritedKeyFd + 1));

                int error = LibC.PosixSpawn(out int pid, strings[0], &actions, &attributes, strings.Argv, strings.Environment);
                if (error != 0)
                {
                    throw LibC.Error($"posix_spawn({path})", error);
                }

                return pid;
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

    private static void Check(string operation, int error)
    {
        if (error != 0)
        {
            throw LibC.Error(operation, error);
        }
    }

    /// <summary>
    /// NUL-terminated UTF-8 copies of the strings posix_spawn needs in one native block: the leading singles, then
    /// argv (the singles from index 2 on) and the environment as NULL-terminated pointer arrays.
    /// </summary>
    private sealed class NativeStringBlock : IDisposable
    {
        private readonly void* _block;
        private readonly int _argvStart;
        private readonly int _environmentStart;

        public NativeStringBlock(List<string> singlesThenArgv, List<string> environment)
        {
            // Layout of the pointer table: [path, devnull, argv..., NULL, env..., NULL].
            int count = singlesThenArgv.Count + 1 + environment.Count + 1;
            _argvStart = 2;
            _environmentStart = singlesThenArgv.Count + 1;

            int bytes = 0;
            foreach (string s in singlesThenArgv)
            {
                bytes += Encoding.UTF8.GetByteCount(s) + 1;
            }

            foreach (string s in environment)
            {
                bytes += Encoding.UTF8.GetByteCount(s) + 1;
            }

            int tableBytes = count * sizeof(nint);
            _block = NativeMemory.Alloc((nuint)(tableBytes + bytes));
            byte** table = (byte**)_block;
            byte* cursor = (byte*)_block + tableBytes;
            int slot = 0;
            foreach (string s in singlesThenArgv)
            {
                table[slot++] = Put(s, ref cursor);
            }

            table[slot++] = null;
            foreach (string s in environment)
            {
                table[slot++] = Put(s, ref cursor);
            }

            table[slot] = null;
        }

        public byte* this[int index] => ((byte**)_block)[index];

        public byte** Argv => (byte**)_block + _argvStart;

        public byte** Environment => (byte**)_block + _environmentStart;

        public void Dispose() => NativeMemory.Free(_block);

        private static byte* Put(string s, ref byte* cursor)
        {
            byte* start = cursor;
            int length = Encoding.UTF8.GetBytes(s, new Span<byte>(cursor, Encoding.UTF8.GetByteCount(s)));
            cursor[length] = 0;
            cursor += length + 1;
            return start;
        }
    }
}
