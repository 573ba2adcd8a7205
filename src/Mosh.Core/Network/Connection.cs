using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Mosh.Crypto;

namespace Mosh.Network;

/// <summary>
/// The UDP endpoint of a mosh session (upstream's <c>Network::Connection</c>): seals outgoing transport payloads
/// (fragments) into datagrams with timestamps, opens incoming ones, estimates the round trip, and keeps the peer's
/// address. The server follows its client to whatever address its latest authentic, in-order datagram came from
/// and detaches after 40 s of silence; the client hops to a fresh source port when round trips stop succeeding.
/// Not thread-safe: one event loop drives it. Sending and receiving allocate nothing per datagram.
/// </summary>
internal sealed partial class Connection : IDisposable
{
    /// <summary>A server stops sending to a client it has not heard from for this long.</summary>
    public const int SERVER_ASSOCIATION_TIMEOUT = 40000;

    /// <summary>The client takes a new source port after this long without a successful round trip.</summary>
    public const int PORT_HOP_INTERVAL = 10000;

    /// <summary>Most sockets a client keeps open for receiving after hops.</summary>
    public const int MAX_PORTS_OPEN = 10;

    /// <summary>Older sockets are closed once the newest has been in use this long.</summary>
    public const int MAX_OLD_SOCKET_AGE = 60000;

    /// <summary>Bounds the work of one <see cref="TryReceive"/> call under a flood of bad datagrams.</summary>
    private const int MaxDatagramsPerReceive = 64;

    /// <summary>Large enough that no UDP datagram is truncated, so oversize ones are seen and counted.</summary>
    private const int ReceiveBufferLength = 65536;

    private readonly bool _isServer;
    private readonly IClock _clock;
    private readonly CryptoSession _session;
    private readonly PacketCodec _codec;
    private readonly List<Socket> _sockets = [];
    private readonly byte[] _sendBuffer = new byte[NetworkConstants.RECEIVE_MTU];
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferLength];
    private SocketAddress _remoteAddress;
    private SocketAddress _sourceAddress;
    private ulong _expectedReceiverSeq;
    private long _lastHeard = long.MinValue / 2;
    private long _lastPortChoice;
    private long _lastRoundtripSuccess = long.MinValue / 2;
    private bool _disposed;

    private Connection(bool isServer, SessionKey key, IClock clock, AddressFamily family)
    {
        _isServer = isServer;
        _clock = clock;
        Key = key;
        _session = new CryptoSession(key);
        _codec = new PacketCodec(_session, isServer);
        Rtt = new RttEstimator(clock);
        _remoteAddress = new SocketAddress(family);
        _sourceAddress = new SocketAddress(family);
        _lastPortChoice = clock.NowMilliseconds;
    }

    public SessionKey Key { get; }

    public bool IsServer => _isServer;

    /// <summary>Application datagram MTU: 1252 (IPv4) or 1216 (IPv6), 500 after EMSGSIZE.</summary>
    public int Mtu { get; private set; } = NetworkConstants.DEFAULT_SEND_MTU;

    /// <summary>False for a server until a client is heard, and again after it has been silent for 40 s.</summary>
    public bool HasRemoteAddress { get; private set; }

    public RttEstimator Rtt { get; }

    /// <summary>Retransmission timeout in ms (upstream's <c>timeout()</c>).</summary>
    public int TimeoutMilliseconds => Rtt.TimeoutMilliseconds;

    public double Srtt => Rtt.Srtt;

    /// <summary>The last sendto() failure, for the front end to show; null if none yet, and again once a later
    /// datagram went out (upstream's client shows the error once and clears it, so it does not linger in the bar
    /// after, say, the EMSGSIZE fallback).</summary>
    public string? SendError { get; private set; }

    /// <summary>Counts of datagrams sealed, opened and dropped (by reason).</summary>
    public ref readonly DatagramStats Stats => ref _codec.Stats;

    /// <summary>Human-readable events (attach/detach), as upstream prints them to stderr.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Monotonic time of the last authentic, in-order datagram.</summary>
    public long LastHeard => _lastHeard;

    /// <summary>Open sockets, oldest first; the newest sends. For waiting on readability with other descriptors.</summary>
    public IReadOnlyList<Socket> Sockets => _sockets;

    /// <summary>The local UDP port of the newest socket (what <c>MOSH CONNECT</c> announces).</summary>
    public int Port => ((IPEndPoint)_sockets[^1].LocalEndPoint!).Port;

    /// <summary>The peer's address (allocates; for display and tests).</summary>
    public IPEndPoint? RemoteEndPoint => HasRemoteAddress ? ToEndPoint(_remoteAddress) : null;

    /// <summary>Counts the server's moves to a new client address, so a caller sees roaming without comparing.</summary>
    public int RemoteAddressChanges { get; private set; }

    /// <summary>The transport reports when an acknowledgement last proved a round trip (upstream's setter).</summary>
    public void SetLastRoundtripSuccess(long milliseconds) => _lastRoundtripSuccess = milliseconds;

    /// <summary>Largest payload one datagram can carry at the current MTU.</summary>
    public int MaxPayloadLength => Mtu - PacketCodec.Overhead;

    /// <summary>
    /// Where to write the next payload in place (then call <see cref="Send(int)"/>): avoids a copy. Its length allows
    /// up to the receive MTU; keep payloads within <see cref="MaxPayloadLength"/>.
    /// </summary>
    public Span<byte> PayloadBuffer => _sendBuffer.AsSpan(PacketCodec.PayloadOffset);

    /// <summary>Copies and sends one payload (a fragment). See <see cref="Send(int)"/>.</summary>
    public void Send(ReadOnlySpan<byte> payload)
    {
        payload.CopyTo(PayloadBuffer);
        Send(payload.Length);
    }

    /// <summary>
    /// Sends the payload already written to <see cref="PayloadBuffer"/>. Silently does nothing while there is no
    /// remote address. A failing sendto() is recorded in <see cref="SendError"/> (EMSGSIZE also drops the MTU to 500),
    /// not thrown. Then the server checks whether its client has gone silent and the client whether to hop ports.
    /// </summary>
    public void Send(int payloadLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!HasRemoteAddress)
        {
            return;
        }

        (ushort timestamp, ushort reply) = Rtt.NextOutgoing();
        int length = _codec.SealInPlace(timestamp, reply, payloadLength, _sendBuffer);
        try
        {
            _ = _sockets[^1].SendTo(_sendBuffer.AsSpan(0, length), SocketFlags.None, _remoteAddress);
            SendError = null;
        }
        catch (SocketException e)
        {
            SendError = "sendto: " + e.Message;
            if (e.SocketErrorCode == SocketError.MessageSize)
            {
                Mtu = NetworkConstants.DEFAULT_SEND_MTU; // payload MTU of last resort
            }
        }

        long now = _clock.NowMilliseconds;
        if (_isServer)
        {
            if (now - _lastHeard > SERVER_ASSOCIATION_TIMEOUT)
            {
                HasRemoteAddress = false;
                Log?.Invoke("Server now detached from client.");
            }
        }
        else if (now - _lastPortChoice > PORT_HOP_INTERVAL && now - _lastRoundtripSuccess > PORT_HOP_INTERVAL)
        {
            HopPort();
        }
    }

    /// <summary>
    /// Reads datagrams waiting on any socket (oldest socket first, as upstream) until one is authentic, and returns
    /// its payload, which stays valid until the next call. Out-of-order datagrams (sequence below the next expected)
    /// are returned but do not feed the RTT estimate, the liveness clock or the server's roaming. False when nothing
    /// authentic is waiting; bad datagrams are dropped and counted in <see cref="Stats"/>.
    /// </summary>
    public bool TryReceive(out ReadOnlySpan<byte> payload)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_handedOver)
        {
            payload = default;
            return false; // the sockets' datagrams are the successor's now
        }

        int attempts = 0;
        for (int i = 0; i < _sockets.Count; i++)
        {
            Socket socket = _sockets[i];
            while (attempts++ < MaxDatagramsPerReceive)
            {
                int received = SocketNative.ReceiveMessage(socket, _receiveBuffer, _sourceAddress, out bool congestionExperienced);
                if (received < 0)
                {
                    break; // nothing (more) waiting here, or an error reported on this socket: try the others
                }

                if (TryAccept(received, congestionExperienced, out payload))
                {
                    PruneSockets();
                    return true;
                }
            }
        }

        payload = default;
        return false;
    }

    /// <summary>Blocks until a datagram is waiting on some socket or the timeout passes.</summary>
    public bool WaitForDatagram(int timeoutMilliseconds) =>
        SocketNative.WaitReadable(CollectionsMarshal.AsSpan(_sockets), timeoutMilliseconds);

    private bool TryAccept(int received, bool congestionExperienced, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (!_codec.TryOpen(_receiveBuffer.AsSpan(0, received), _receiveBuffer, out Packet packet))
        {
            return false;
        }

        payload = packet.Payload;
        if (packet.Sequence < _expectedReceiverSeq)
        {
            return true; // delivered, but a replay must not move timestamps or the server's target
        }

        _expectedReceiverSeq = packet.Sequence + 1;
        Rtt.OnReceived(packet.Timestamp, packet.TimestampReply, congestionExperienced);
        if (congestionExperienced && _isServer && packet.Timestamp != Timestamp16.None)
        {
            Log?.Invoke("Received explicit congestion notification.");
        }

        HasRemoteAddress = true;
        _lastHeard = _clock.NowMilliseconds;

        if (_isServer && !_sourceAddress.Equals(_remoteAddress))
        {
            _remoteAddress.Size = _sourceAddress.Size;
            _sourceAddress.Buffer.Span[.._sourceAddress.Size].CopyTo(_remoteAddress.Buffer.Span);
            RemoteAddressChanges++;
            if (Log is { } log)
            {
                IPEndPoint client = ToEndPoint(_remoteAddress);
                log($"Server now attached to client at {client.Address}:{client.Port}");
            }
        }

        return true;
    }

    private static IPEndPoint ToEndPoint(SocketAddress address) =>
        (IPEndPoint)new IPEndPoint(address.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(address);

    private static Socket NewSocket(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        SocketNative.ApplyUpstreamOptions(socket);
        return socket;
    }

    /// <summary>A client socket on an ephemeral port, the port the kernel would pick at the first sendto().</summary>
    private static Socket NewClientSocket(AddressFamily family)
    {
        Socket socket = NewSocket(family);
        socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        return socket;
    }

    private void SetMtu(AddressFamily family) =>
        Mtu = family == AddressFamily.InterNetworkV6 ? NetworkConstants.IPV6_SEND_MTU : NetworkConstants.IPV4_SEND_MTU;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_handedOver)
        {
            foreach (Socket socket in _sockets)
            {
                socket.Dispose();
            }
        }

        _sockets.Clear();
        _session.Dispose();
    }
}
