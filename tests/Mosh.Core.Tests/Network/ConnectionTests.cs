using System.Net;
using System.Net.Sockets;
using Mosh.Crypto;
using Mosh.Network;

namespace Mosh.Tests.Network;

[TestFixture]
public class ConnectionTests
{
    private readonly List<IDisposable> _disposables = [];
    private readonly List<string> _log = [];
    private ManualClock _clock = null!;
    private SessionKey _key = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualClock();
        _key = SessionKey.Generate();
        _log.Clear();
    }

    [TearDown]
    public void TearDown()
    {
        foreach (IDisposable d in _disposables)
        {
            d.Dispose();
        }

        _disposables.Clear();
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    private Connection Server(string? ip = "127.0.0.1", PortRange? ports = null) =>
        Track(Connection.CreateServer(_key, ip, ports ?? new PortRange(0, 0), _clock, _log.Add));

    private Connection ClientOf(Connection server, string ip = "127.0.0.1") =>
        Track(Connection.CreateClient(_key, ip, server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), _clock));

    private static byte[] Receive(Connection connection)
    {
        for (int i = 0; i < 20; i++)
        {
            if (connection.TryReceive(out ReadOnlySpan<byte> payload))
            {
                return payload.ToArray();
            }

            _ = connection.WaitForDatagram(100);
        }

        Assert.Fail("no authentic datagram arrived");
        return [];
    }

    private static bool ReceivesNothing(Connection connection)
    {
        _ = connection.WaitForDatagram(200);
        return !connection.TryReceive(out _);
    }

    private Socket RawSocket()
    {
        var socket = Track(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>An authentic client datagram with a chosen sequence number, as if sent by the client from elsewhere.</summary>
    private byte[] ClientDatagram(ulong sequence, ReadOnlySpan<byte> payload, SessionKey? key = null, ushort timestamp = Timestamp16.None)
    {
        using var session = new CryptoSession(key ?? _key);
        var plaintext = new byte[4 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(plaintext, timestamp);
        plaintext[2] = plaintext[3] = 0xFF;
        payload.CopyTo(plaintext.AsSpan(4));
        var datagram = new byte[plaintext.Length + CryptoSession.Overhead];
        _ = session.Seal(NonceLayout.Compose(towardClient: false, sequence), plaintext, datagram);
        return datagram;
    }

    private static void SendRaw(Socket socket, byte[] datagram, Connection server) =>
        socket.SendTo(datagram, new IPEndPoint(IPAddress.Loopback, server.Port));

    [Test]
    public void ClientAndServerExchangePayloadsAndMeasureTheRoundTrip()
    {
        Connection server = Server();
        Connection client = ClientOf(server);
        Assert.That(server.HasRemoteAddress, Is.False);

        client.Send("hello server"u8);
        Assert.That(Receive(server), Is.EqualTo("hello server"u8.ToArray()));
        Assert.That(server.HasRemoteAddress, Is.True);
        Assert.That(_log, Has.Some.StartsWith("Server now attached to client at 127.0.0.1:"));

        _clock.Advance(30);
        server.Send("hello client"u8);
        _clock.Advance(40);
        Assert.That(Receive(client), Is.EqualTo("hello client"u8.ToArray()));

        // The client's timestamp went out at t0, was held 30 ms by the server and came back at t0+70.
        Assert.That(client.Rtt.HasSample, Is.True);
        Assert.That(client.Srtt, Is.EqualTo(40));
    }

    [Test]
    public void ServerSendsNothingBeforeItHasHeardAClient()
    {
        Connection server = Server();
        server.Send("lost"u8);
        Assert.That(server.Stats.Sealed, Is.Zero);
    }

    [Test]
    public void MtuFollowsTheAddressFamily()
    {
        Assert.That(Server().Mtu, Is.EqualTo(1252));
        Assert.That(Server("::1").Mtu, Is.EqualTo(1216));
    }

    [Test]
    public void ServerBindsTheFirstFreePortOfItsRange()
    {
        using var occupied = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        occupied.Bind(new IPEndPoint(IPAddress.Any, 0));
        int taken = ((IPEndPoint)occupied.LocalEndPoint!).Port;
        if (taken > 65000)
        {
            Assert.Ignore("ephemeral port too close to the top for a range");
        }

        Connection server = Server("127.0.0.1", new PortRange(taken, taken + 30));
        Assert.That(server.Port, Is.GreaterThan(taken).And.LessThanOrEqualTo(taken + 30));
    }

    [Test]
    public void DefaultRangeIsUpstreams60001To60999()
    {
        Connection server = Track(Connection.CreateServer(_key, "127.0.0.1", null, _clock));
        Assert.That(server.Port, Is.InRange(60001, 60999));
    }

    [Test]
    public void OccupiedSinglePortFailsWithANetworkException()
    {
        using var occupied = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        occupied.Bind(new IPEndPoint(IPAddress.Any, 0));
        int taken = ((IPEndPoint)occupied.LocalEndPoint!).Port;
        Assert.That(() => Connection.CreateServer(_key, "127.0.0.1", new PortRange(taken, taken), _clock, _log.Add), Throws.InstanceOf<NetworkException>());
        Assert.That(_log, Has.Some.StartsWith("Error binding to IP 127.0.0.1"));
        Assert.That(_log, Has.Some.StartsWith("Error binding to any interface"));
    }

    [Test]
    public void UnusableRequestedAddressFallsBackToAnyInterface()
    {
        Connection server = Server("not-an-address");
        Assert.That(_log, Has.Some.StartsWith("Error binding to IP not-an-address"));
        Connection client = ClientOf(server);
        client.Send("via any"u8);
        Assert.That(Receive(server), Is.EqualTo("via any"u8.ToArray()));
    }

    [Test]
    public void IPv6AnyServerAlsoAcceptsIPv4Clients()
    {
        Connection server = Server("::");
        Assert.That(server.Sockets[0].DualMode, Is.True);
        Connection client = ClientOf(server, "127.0.0.1");
        client.Send("v4 to dual stack"u8);
        Assert.That(Receive(server), Is.EqualTo("v4 to dual stack"u8.ToArray()));
        server.Send("back"u8);
        Assert.That(Receive(client), Is.EqualTo("back"u8.ToArray()));
    }

    [Test]
    public void SocketsCarryUpstreamsOptions()
    {
        Connection client = ClientOf(Server());
        Socket socket = client.Sockets[0];
        Assert.That(SocketNative.GetTypeOfService(socket), Is.EqualTo(0x02), "ECT(0)");
        Assert.That(SocketNative.GetMtuDiscover(socket), Is.Zero, "IP_PMTUDISC_DONT");
        Assert.That(SocketNative.GetReceiveTos(socket), Is.EqualTo(1), "IP_RECVTOS");
    }

    [TestCase(0x02, 1000, TestName = "ECT(0) datagram: timestamp echoed as is")]
    [TestCase(0x03, 500, TestName = "Congestion-experienced datagram: echo 500 ms older")]
    public void EcnCongestionExperiencedPenalisesTheEchoedTimestamp(int tos, int expectedReply)
    {
        Connection server = Server();
        Socket client = RawSocket();
        SocketNative.SetTypeOfService(client, tos);
        SendRaw(client, ClientDatagram(0, "ecn"u8, timestamp: 1000), server);
        _ = Receive(server);
        server.Send("reply"u8);

        var buffer = new byte[2048];
        client.ReceiveTimeout = 2000;
        int length = client.Receive(buffer);
        using var session = new CryptoSession(_key);
        var plaintext = new byte[length];
        Assert.That(session.TryOpen(buffer.AsSpan(0, length), plaintext, out _, out _), Is.True);
        Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(plaintext.AsSpan(2)), Is.EqualTo(expectedReply));
        Assert.That(_log.Contains("Received explicit congestion notification."), Is.EqualTo(tos == 0x03));
    }

    [Test]
    public void ServerFollowsItsClientToANewSourceAddress()
    {
        Connection server = Server();
        Socket first = RawSocket();
        Socket second = RawSocket();

        SendRaw(first, ClientDatagram(0, "from first"u8), server);
        Assert.That(Receive(server), Is.EqualTo("from first"u8.ToArray()));
        Assert.That(server.RemoteEndPoint!.Port, Is.EqualTo(((IPEndPoint)first.LocalEndPoint!).Port));

        SendRaw(second, ClientDatagram(1, "from second"u8), server);
        Assert.That(Receive(server), Is.EqualTo("from second"u8.ToArray()));
        Assert.That(server.RemoteEndPoint!.Port, Is.EqualTo(((IPEndPoint)second.LocalEndPoint!).Port));

        server.Send("to second"u8);
        var buffer = new byte[2048];
        second.ReceiveTimeout = 2000;
        Assert.That(second.Receive(buffer), Is.EqualTo("to second".Length + PacketCodec.Overhead));
    }

    [Test]
    public void StrangersWithoutTheKeyCannotMoveTheServer()
    {
        Connection server = Server();
        Socket client = RawSocket();
        Socket stranger = RawSocket();
        SendRaw(client, ClientDatagram(0, "real"u8), server);
        Assert.That(Receive(server), Is.EqualTo("real"u8.ToArray()));

        SendRaw(stranger, ClientDatagram(1, "forged"u8, SessionKey.Generate()), server);
        SendRaw(stranger, new byte[100], server);
        SendRaw(stranger, new byte[3000], server);
        Assert.That(ReceivesNothing(server), Is.True);
        Assert.That(server.Stats.DroppedUnauthentic, Is.EqualTo(2));
        Assert.That(server.Stats.DroppedOversize, Is.EqualTo(1));
        Assert.That(server.RemoteEndPoint!.Port, Is.EqualTo(((IPEndPoint)client.LocalEndPoint!).Port));
    }

    [Test]
    public void ReplayedOldDatagramIsDeliveredButDoesNotMoveTheServer()
    {
        Connection server = Server();
        Socket client = RawSocket();
        Socket replayer = RawSocket();
        SendRaw(client, ClientDatagram(5, "new"u8), server);
        Assert.That(Receive(server), Is.EqualTo("new"u8.ToArray()));
        long heard = server.LastHeard;
        _clock.Advance(1000);

        SendRaw(replayer, ClientDatagram(3, "old"u8), server);
        Assert.That(Receive(server), Is.EqualTo("old"u8.ToArray()));
        Assert.That(server.RemoteEndPoint!.Port, Is.EqualTo(((IPEndPoint)client.LocalEndPoint!).Port));
        Assert.That(server.LastHeard, Is.EqualTo(heard), "an out-of-order datagram is no sign of life");
    }

    [Test]
    public void ServerReflectionOfItsOwnDatagramIsDropped()
    {
        Connection server = Server();
        Socket client = RawSocket();
        SendRaw(client, ClientDatagram(0, "hi"u8), server);
        _ = Receive(server);
        server.Send("echo me"u8);
        var buffer = new byte[2048];
        client.ReceiveTimeout = 2000;
        int length = client.Receive(buffer);
        SendRaw(client, buffer[..length], server);
        Assert.That(ReceivesNothing(server), Is.True);
        Assert.That(server.Stats.DroppedWrongDirection, Is.EqualTo(1));
    }

    [Test]
    public void ServerDetachesAfterFortySecondsOfSilenceAndReattaches()
    {
        Connection server = Server();
        Connection client = ClientOf(server);
        client.Send("a"u8);
        _ = Receive(server);

        _clock.Advance(Connection.SERVER_ASSOCIATION_TIMEOUT);
        server.Send("still here"u8);
        Assert.That(server.HasRemoteAddress, Is.True);
        _clock.Advance(1);
        server.Send("last"u8);
        Assert.That(server.HasRemoteAddress, Is.False);
        Assert.That(_log, Has.Member("Server now detached from client."));
        long sealedBefore = server.Stats.Sealed;
        server.Send("nobody listens"u8);
        Assert.That(server.Stats.Sealed, Is.EqualTo(sealedBefore));

        client.Send("back"u8);
        _ = Receive(server);
        Assert.That(server.HasRemoteAddress, Is.True);
    }

    [Test]
    public void ClientHopsPortsAfterTenSecondsWithoutARoundTripAndTheServerFollows()
    {
        Connection server = Server();
        Connection client = ClientOf(server);
        client.Send("one"u8);
        _ = Receive(server);
        int firstPort = server.RemoteEndPoint!.Port;

        _clock.Advance(Connection.PORT_HOP_INTERVAL + 1);
        client.Send("two"u8); // sent on the old socket, then hops
        Assert.That(client.Sockets, Has.Count.EqualTo(2));
        _ = Receive(server);

        // The server still answers the old port: the old socket keeps receiving.
        server.Send("to old port"u8);
        Assert.That(Receive(client), Is.EqualTo("to old port"u8.ToArray()));

        client.Send("three"u8);
        Assert.That(Receive(server), Is.EqualTo("three"u8.ToArray()));
        Assert.That(server.RemoteEndPoint!.Port, Is.Not.EqualTo(firstPort));
        Assert.That(server.RemoteEndPoint!.Port, Is.EqualTo(((IPEndPoint)client.Sockets[^1].LocalEndPoint!).Port));
    }

    [Test]
    public void RecentRoundTripSuccessPreventsHopping()
    {
        Connection server = Server();
        Connection client = ClientOf(server);
        _clock.Advance(Connection.PORT_HOP_INTERVAL + 1);
        client.SetLastRoundtripSuccess(_clock.NowMilliseconds - 5000);
        client.Send("x"u8);
        Assert.That(client.Sockets, Has.Count.EqualTo(1));
    }

    [Test]
    public void ClientKeepsAtMostTenSocketsAndClosesOldOnesAMinuteAfterTheNewest()
    {
        Connection server = Server();
        Connection client = ClientOf(server);
        for (int i = 0; i < 12; i++)
        {
            _clock.Advance(Connection.PORT_HOP_INTERVAL + 1);
            client.Send("hop"u8);
        }

        Assert.That(client.Sockets, Has.Count.EqualTo(Connection.MAX_PORTS_OPEN));
        int received = 0;
        while (server.WaitForDatagram(300) && server.TryReceive(out _))
        {
            received++;
        }

        Assert.That(received, Is.EqualTo(12));

        _clock.Advance(Connection.MAX_OLD_SOCKET_AGE + 1);
        client.SetLastRoundtripSuccess(_clock.NowMilliseconds);
        server.Send("prune"u8); // to the socket of the twelfth send, still open
        Assert.That(Receive(client), Is.EqualTo("prune"u8.ToArray()));
        Assert.That(client.Sockets, Has.Count.EqualTo(1), "a successful receive prunes sockets older than a minute");
    }
}
