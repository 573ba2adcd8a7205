using System.Net;
using System.Net.Sockets;
using Mosh.Crypto;

namespace Mosh.Network;

internal sealed partial class Connection
{
    /// <summary>
    /// Opens the server's socket: on <paramref name="desiredIp"/> if given (falling back to any interface, as upstream
    /// does), on the first free port of <paramref name="ports"/> (default 60001..60999). An IPv6 any-address socket
    /// also accepts IPv4. Throws <see cref="NetworkException"/> if no port can be bound.
    /// </summary>
    public static Connection CreateServer(SessionKey key, string? desiredIp = null, PortRange? ports = null, IClock? clock = null, Action<string>? log = null)
    {
        PortRange range = ports ?? PortRange.Default;
        if (desiredIp is not null)
        {
            try
            {
                return BindServer(key, ParseAddress(desiredIp), range, clock, log);
            }
            catch (NetworkException e)
            {
                log?.Invoke($"Error binding to IP {desiredIp}: {e.Message}");
            }
        }

        try
        {
            return BindServer(key, IPAddress.Any, range, clock, log);
        }
        catch (NetworkException e)
        {
            log?.Invoke($"Error binding to any interface: {e.Message}");
            throw;
        }
    }

    private static Connection BindServer(SessionKey key, IPAddress address, PortRange range, IClock? clock, Action<string>? log)
    {
        Socket socket = NewSocket(address.AddressFamily);
        if (address.Equals(IPAddress.IPv6Any))
        {
            socket.DualMode = true; // clears IPV6_V6ONLY so IPv4 clients reach an any-address server
        }

        SocketException? last = null;
        for (int port = range.Low; port <= range.High; port++)
        {
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                var connection = new Connection(isServer: true, key, clock ?? MonotonicClock.Instance, address.AddressFamily) { Log = log };
                connection._sockets.Add(socket);
                connection.SetMtu(address.AddressFamily);
                return connection;
            }
            catch (SocketException e)
            {
                last = e;
            }
        }

        socket.Dispose();
        log?.Invoke($"Failed binding to {address}:{range.High}");
        throw new NetworkException("bind: " + (last?.Message ?? "no port in range"), last!);
    }

    private static IPAddress ParseAddress(string text) =>
        IPAddress.TryParse(text, out IPAddress? address)
            ? address
            : throw new NetworkException($"Bad IP address ({text}): Name or service not known");
}
