using System.Globalization;
using System.Net;
using Mosh.Crypto;

namespace Mosh.Network;

internal sealed partial class Connection
{
    /// <summary>Opens a client socket toward the server at <paramref name="ip"/> (numeric) and <paramref name="port"/>.</summary>
    public static Connection CreateClient(SessionKey key, string ip, string port, IClock? clock = null)
    {
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int portNumber) || portNumber > 65535)
        {
            throw new NetworkException($"Bad IP address ({ip}): Servname not supported for ai_socktype");
        }

        return CreateClient(key, new IPEndPoint(ParseAddress(ip), portNumber), clock);
    }

    public static Connection CreateClient(SessionKey key, IPEndPoint server, IClock? clock = null)
    {
        var connection = new Connection(isServer: false, key, clock ?? MonotonicClock.Instance, server.AddressFamily);
        connection._remoteAddress = server.Serialize();
        connection.HasRemoteAddress = true;
        connection._sockets.Add(NewClientSocket(server.AddressFamily));
        connection.SetMtu(server.AddressFamily);
        return connection;
    }

    /// <summary>Takes a fresh source port (new socket); older sockets stay open for late replies.</summary>
    private void HopPort()
    {
        _lastPortChoice = _clock.NowMilliseconds;
        _sockets.Add(NewClientSocket(_remoteAddress.Family));
        PruneSockets();
    }

    private void PruneSockets()
    {
        if (_sockets.Count <= 1)
        {
            return;
        }

        // The newest socket has worked long enough: nobody should still be answering the old ones.
        if (_clock.NowMilliseconds - _lastPortChoice > MAX_OLD_SOCKET_AGE)
        {
            CloseOldest(_sockets.Count - 1);
        }

        if (_sockets.Count > MAX_PORTS_OPEN)
        {
            CloseOldest(_sockets.Count - MAX_PORTS_OPEN);
        }
    }

    private void CloseOldest(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _sockets[i].Dispose();
        }

        _sockets.RemoveRange(0, count);
    }
}
