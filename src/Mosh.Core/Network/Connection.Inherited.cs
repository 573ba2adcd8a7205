using System.Net.Sockets;
using Mosh.Crypto;

namespace Mosh.Network;

internal sealed partial class Connection
{
    /// <summary>
    /// A server connection on a socket bound by another process and inherited as a descriptor: mosh-server's
    /// detached daemon takes over the socket its first process bound and announced in "MOSH CONNECT".
    /// </summary>
    public static Connection AdoptServerSocket(SessionKey key, Socket socket, IClock? clock = null, Action<string>? log = null)
    {
        socket.Blocking = false;
        var connection = new Connection(isServer: true, key, clock ?? MonotonicClock.Instance, socket.AddressFamily) { Log = log };
        connection._sockets.Add(socket);
        connection.SetMtu(socket.AddressFamily);
        return connection;
    }
}
