using Mosh.Crypto;

namespace Mosh.Network;

internal sealed partial class Connection
{
    private bool _handedOver;

    /// <summary>
    /// True once <see cref="HandOverTo"/> gave this connection's sockets to a successor: it may still send (its last
    /// words to the client it had, under the old key), but it receives nothing and leaves the sockets open.
    /// </summary>
    public bool HandedOver => _handedOver;

    /// <summary>
    /// A server connection under <paramref name="newKey"/> on this connection's sockets (same port), as after an
    /// attach: no client address, RTT estimate or sequence numbers carry over, so only a client holding the new key
    /// is heard. From now on datagrams under the old key fail to open there and are dropped.
    /// </summary>
    public Connection HandOverTo(SessionKey newKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_isServer)
        {
            throw new InvalidOperationException("only a server connection is handed over");
        }

        var successor = new Connection(isServer: true, newKey, _clock, _sockets[^1].AddressFamily) { Log = Log, Mtu = Mtu };
        successor._sockets.AddRange(_sockets);
        _handedOver = true;
        return successor;
    }
}
