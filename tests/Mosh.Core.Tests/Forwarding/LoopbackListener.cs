using System.Net;
using System.Net.Sockets;

namespace Mosh.Tests.Forwarding;

/// <summary>A started TCP listener on 127.0.0.1 with a port the kernel chose: a forwarding target, or a port taken.</summary>
internal static class LoopbackListener
{
    public static TcpListener Start(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
