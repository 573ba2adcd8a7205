using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Mosh.Server;

/// <summary>
/// The asking end of the control channel (<c>mosh-server list/attach/kill</c>): finds the user's sessions by their
/// sockets, checks with SO_PEERCRED that the listener is the user's own process with the pid the socket is named by,
/// sends one request and reads the one-line reply. Sockets nobody listens on are leftovers of dead sessions: they are
/// removed and never trusted.
/// </summary>
internal sealed class ControlClient
{
    /// <summary>How long a session has to answer.</summary>
    public const int ReplyTimeoutMs = 5000;

    private readonly uint _uid;
    private readonly IReadOnlyList<string> _directories;

    private ControlClient(uint uid, IReadOnlyList<string> directories)
    {
        _uid = uid;
        _directories = directories;
    }

    /// <summary>The client for this user, or null with the reason when a control directory is unsafe.</summary>
    public static ControlClient? Open(Func<string, string?> getEnvironment, out string? problem)
    {
        uint uid = FileStatus.CurrentUid;
        var usable = new List<string>(2);
        foreach (string directory in ControlDirectory.Candidates(getEnvironment, uid))
        {
            if (ControlDirectory.Problem(directory, uid, out bool missing) is { } why)
            {
                if (missing)
                {
                    continue;
                }

                problem = why;
                return null;
            }

            usable.Add(directory);
        }

        problem = null;
        return new ControlClient(uid, usable);
    }

    /// <summary>The pids that have a socket in the user's directories, lowest first (each may still be stale).</summary>
    public IReadOnlyList<int> SessionPids()
    {
        var pids = new SortedSet<int>();
        foreach (string directory in _directories)
        {
            string[] names;
            try
            {
                names = Directory.GetFiles(directory, "*.sock");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (string name in names)
            {
                if (int.TryParse(Path.GetFileNameWithoutExtension(name), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0)
                {
                    pids.Add(pid);
                }
            }
        }

        return [.. pids];
    }

    /// <summary>
    /// Sends <paramref name="request"/> to session <paramref name="pid"/> and returns its reply line; null when no
    /// live session of this user has that pid (<paramref name="error"/> then says why when it is more than absence).
    /// </summary>
    public string? Exchange(int pid, ControlRequest request, out string? error)
    {
        error = null;
        foreach (string directory in _directories)
        {
            string path = ControlDirectory.SocketPath(directory, pid);
            if (FileStatus.Of(path) is not { } status)
            {
                continue;
            }

            if (!status.IsSocket || status.OwnerUid != _uid)
            {
                error = $"{path}: not a socket of yours; ignored";
                continue;
            }

            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
            {
                RemoveStale(path);
                continue;
            }
            catch (SocketException e)
            {
                error = $"{path}: {e.Message}";
                continue;
            }

            if (PeerCredentials.Of(socket) is not { } peer || peer.Uid != _uid || peer.Pid != pid)
            {
                error = $"{path}: answered by another process or user; ignored";
                continue;
            }

            return Converse(socket, request, out error);
        }

        return null;
    }

    private static string? Converse(Socket socket, ControlRequest request, out string? error)
    {
        error = null;
        try
        {
            socket.SendTimeout = ReplyTimeoutMs;
            socket.ReceiveTimeout = ReplyTimeoutMs;
            socket.Send(Encoding.ASCII.GetBytes(request + "\n"));
            var reply = new List<byte>(128);
            byte[] buffer = new byte[512];
            while (reply.Count < 4096)
            {
                int n = socket.Receive(buffer);
                if (n == 0)
                {
                    break;
                }

                reply.AddRange(buffer.AsSpan(0, n));
                if (reply.Contains((byte)'\n'))
                {
                    break;
                }
            }

            int end = reply.IndexOf((byte)'\n');
            if (end < 0)
            {
                error = "the session closed the connection without an answer";
                return null;
            }

            return Encoding.UTF8.GetString([.. reply.GetRange(0, end)]);
        }
        catch (SocketException e)
        {
            error = e.SocketErrorCode == SocketError.TimedOut ? "the session did not answer in time" : e.Message;
            return null;
        }
    }

    private static void RemoveStale(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
