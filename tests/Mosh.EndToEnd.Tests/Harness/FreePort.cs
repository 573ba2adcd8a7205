using System.Net;
using System.Net.Sockets;

namespace Mosh.EndToEnd.Harness;

/// <summary>Asks the kernel for a currently unused 127.0.0.1 port. Another process may still take it before we
/// bind, so callers that hand the port to a daemon retry on failure.</summary>
internal static class FreePort
{
    public static int Tcp()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static int Udp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
