using System.Globalization;
using System.Net.Sockets;

namespace Mosh.Server;

/// <summary>
/// The session's forwarded-agent socket (<c>mosh-server new -A</c>): <c>agent.sock</c> in a directory of its own
/// (<c>agent-PID</c> in the control directory, else a fresh temporary one), mode 0700 and checked like the control
/// directory, so only the user reaches it. The shell gets its path as SSH_AUTH_SOCK; the socket and its directory
/// go when the session ends.
/// </summary>
internal sealed class AgentSocket : IDisposable
{
    private const string SocketName = "agent.sock";

    private AgentSocket(string directory, Socket socket)
    {
        Directory = directory;
        Socket = socket;
    }

    /// <summary>The private directory holding the socket.</summary>
    public string Directory { get; }

    public string Path => System.IO.Path.Combine(Directory, SocketName);

    /// <summary>The listening socket (blocking mode is the caller's to set).</summary>
    public Socket Socket { get; }

    /// <summary>
    /// Makes the socket for session <paramref name="pid"/> in the first usable one of <paramref name="controlDirectories"/>
    /// (else in a new temporary directory); null, with <paramref name="problem"/> saying why, when none works.
    /// </summary>
    public static AgentSocket? Create(IReadOnlyList<string> controlDirectories, int pid, uint uid, out string problem)
    {
        problem = "no directory for the agent socket";
        foreach (string parent in controlDirectories)
        {
            if (ControlDirectory.Problem(parent, uid, out _) is not null)
            {
                continue;
            }

            string directory = System.IO.Path.Combine(parent, "agent-" + pid.ToString(CultureInfo.InvariantCulture));
            if (TryCreateIn(directory, uid, fresh: false, out AgentSocket? socket, out problem))
            {
                return socket;
            }
        }

        try
        {
            string temporary = System.IO.Directory.CreateTempSubdirectory("mosh-agent-").FullName; // 0700
            return TryCreateIn(temporary, uid, fresh: true, out AgentSocket? socket, out problem) ? socket : null;
        }
        catch (IOException e)
        {
            problem = e.Message;
            return null;
        }
    }

    private static bool TryCreateIn(string directory, uint uid, bool fresh, out AgentSocket? agent, out string problem)
    {
        agent = null;
        if (OperatingSystem.IsWindows())
        {
            problem = "agent sockets need a POSIX system";
            return false;
        }

        Socket? socket = null;
        try
        {
            if (!fresh)
            {
                // A directory left by an earlier session with this pid is reused only if it is still ours and private.
                System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            if (ControlDirectory.Problem(directory, uid, out _) is { } unsafeDirectory)
            {
                problem = unsafeDirectory;
                return false;
            }

            string path = System.IO.Path.Combine(directory, SocketName);
            File.Delete(path); // a stale socket of a dead session
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            socket.Listen(16);
            agent = new AgentSocket(directory, socket);
            problem = string.Empty;
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException)
        {
            socket?.Dispose();
            problem = $"{directory}: {e.Message}";
            return false;
        }
    }

    public void Dispose()
    {
        Socket.Dispose();
        try
        {
            File.Delete(Path);
            System.IO.Directory.Delete(Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // something else was put there; left alone
        }
    }
}
