using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// A session's end of the control channel: a Unix socket named by the session's pid in the user's
/// <see cref="ControlDirectory"/>. A background thread accepts connections, refuses any whose peer (SO_PEERCRED) is
/// another user, reads one request line (bounded in length and time, so a garbage or truncated request costs the
/// session nothing) and queues it; the session's event loop, woken through <see cref="WakeFd"/>, answers each with
/// <see cref="Reply"/>. Requests are thus handled one at a time, in order, by the loop that owns the session.
/// </summary>
internal sealed class ControlListener : IDisposable
{
    /// <summary>How long a client has to finish its request line.</summary>
    public const int RequestTimeoutMs = 2000;

    private readonly Socket _listener;
    private readonly uint _uid;
    private readonly WakePipe _wake = new();
    private readonly ConcurrentQueue<(Socket Connection, ControlRequest Request)> _requests = new();
    private volatile bool _disposed;

    private ControlListener(Socket listener, string path, uint uid)
    {
        _listener = listener;
        SocketPath = path;
        _uid = uid;
        var thread = new Thread(AcceptLoop) { IsBackground = true, Name = "mosh control" };
        thread.Start();
    }

    /// <summary>Where the session listens.</summary>
    public string SocketPath { get; }

    /// <summary>Readable when a request is waiting.</summary>
    public int WakeFd => _wake.Fd;

    /// <summary>
    /// Listens in the first usable candidate directory; null (with the reason given to <paramref name="complain"/>)
    /// when none is safe: the session then runs as before, only not attachable.
    /// </summary>
    public static ControlListener? TryStart(int pid, Func<string, string?> getEnvironment, Action<string> complain)
    {
        uint uid = FileStatus.CurrentUid;
        foreach (string directory in ControlDirectory.Candidates(getEnvironment, uid))
        {
            if (ControlDirectory.Prepare(directory, uid) is { } problem)
            {
                complain(problem);
                continue;
            }

            string path = ControlDirectory.SocketPath(directory, pid);
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                // Bound under a name no asker looks for, then renamed once listening: an asker that found the name
                // between bind and listen would be refused and remove it as stale. The rename also replaces any
                // leftover of a dead session that had this pid.
                string binding = path + ".new";
                File.Delete(binding);
                socket.Bind(new UnixDomainSocketEndPoint(binding));
                socket.Listen(8);
                File.Move(binding, path, overwrite: true);
                return new ControlListener(socket, path, uid);
            }
            catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
            {
                socket.Dispose();
                complain($"{path}: {e.Message}");
            }
        }

        return null;
    }

    /// <summary>Takes the next waiting request (empties the wake pipe first).</summary>
    public bool TryTake(out Socket connection, out ControlRequest request)
    {
        _wake.Drain();
        if (_requests.TryDequeue(out var item))
        {
            (connection, request) = item;
            return true;
        }

        connection = null!;
        request = default;
        return false;
    }

    /// <summary>Answers a request with one line and closes its connection.</summary>
    public static void Reply(Socket connection, string line)
    {
        try
        {
            connection.SendTimeout = RequestTimeoutMs;
            connection.Send(Encoding.UTF8.GetBytes(line + "\n"));
            connection.Shutdown(SocketShutdown.Send);
            // Closing with unread bytes (a refused or oversized request) would reset the connection before the
            // asker read the reply.
            Span<byte> scratch = stackalloc byte[256];
            connection.Blocking = false;
            for (int i = 0; i < 64 && connection.Available > 0; i++)
            {
                _ = connection.Receive(scratch);
            }
        }
        catch (SocketException)
        {
            // The asker gave up; nothing of the session's depends on it.
        }
        finally
        {
            connection.Dispose();
        }
    }

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_disposed)
                {
                    return;
                }

                Thread.Sleep(100); // e.g. EMFILE: do not spin
                continue;
            }

            try
            {
                Admit(connection);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                connection.Dispose();
            }
        }
    }

    private void Admit(Socket connection)
    {
        if (PeerCredentials.Of(connection) is not { } peer || peer.Uid != _uid)
        {
            Reply(connection, "error permission denied: this session belongs to another user");
            return;
        }

        connection.ReceiveTimeout = RequestTimeoutMs;
        Span<byte> line = stackalloc byte[ControlRequest.MaxLength];
        int length = 0;
        long deadline = Environment.TickCount64 + RequestTimeoutMs;
        while (true)
        {
            int n;
            try
            {
                n = connection.Receive(line[length..]);
            }
            catch (SocketException)
            {
                n = 0; // timed out or reset: a truncated request
            }

            if (n == 0 || Environment.TickCount64 > deadline)
            {
                Reply(connection, "error truncated request");
                return;
            }

            int newline = line.Slice(length, n).IndexOf((byte)'\n');
            length += n;
            if (newline >= 0)
            {
                length -= n - newline;
                break;
            }

            if (length == line.Length)
            {
                Reply(connection, "error request too long");
                return;
            }
        }

        if (!ControlRequest.TryParse(line[..length], out ControlRequest request, out string? complaint))
        {
            Reply(connection, "error " + complaint);
            return;
        }

        _requests.Enqueue((connection, request));
        _wake.Signal();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Remove the name only while it is still ours (a successor with our pid cannot exist while we run).
        try
        {
            File.Delete(SocketPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        _listener.Dispose();
        while (_requests.TryDequeue(out var item))
        {
            Reply(item.Connection, "error the session is ending");
        }

        _wake.Dispose();
    }
}
