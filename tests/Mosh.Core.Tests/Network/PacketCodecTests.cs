using System.Buffers.Binary;
using CsCheck;
using Mosh.Crypto;
using Mosh.Network;

namespace Mosh.Tests.Network;

[TestFixture]
public class PacketCodecTests
{
    private SessionKey _key = null!;
    private CryptoSession _clientSession = null!;
    private CryptoSession _serverSession = null!;
    private PacketCodec _client = null!;
    private PacketCodec _server = null!;
    private readonly byte[] _plaintext = new byte[NetworkConstants.RECEIVE_MTU];

    [SetUp]
    public void SetUp()
    {
        _key = SessionKey.Generate();
        _clientSession = new CryptoSession(_key);
        _serverSession = new CryptoSession(_key);
        _client = new PacketCodec(_clientSession, isServer: false);
        _server = new PacketCodec(_serverSession, isServer: true);
    }

    [TearDown]
    public void TearDown()
    {
        _clientSession.Dispose();
        _serverSession.Dispose();
    }

    private static byte[] Seal(PacketCodec codec, ushort timestamp, ushort reply, ReadOnlySpan<byte> payload)
    {
        var datagram = new byte[payload.Length + PacketCodec.Overhead];
        Assert.That(codec.Seal(timestamp, reply, payload, datagram), Is.EqualTo(datagram.Length));
        return datagram;
    }

    [Test]
    public void ClientDatagramOpensAtTheServerWithTimestampsPayloadAndSequence()
    {
        for (ulong i = 0; i < 3; i++)
        {
            byte[] datagram = Seal(_client, (ushort)(1000 + i), Timestamp16.None, "fragment"u8);
            Assert.That(_server.TryOpen(datagram, _plaintext, out Packet packet), Is.True);
            Assert.That(packet.Sequence, Is.EqualTo(i));
            Assert.That(packet.Timestamp, Is.EqualTo(1000 + i));
            Assert.That(packet.TimestampReply, Is.EqualTo(Timestamp16.None));
            Assert.That(packet.Payload.ToArray(), Is.EqualTo("fragment"u8.ToArray()));
        }

        Assert.That(_server.Stats.Opened, Is.EqualTo(3));
        Assert.That(_client.Stats.Sealed, Is.EqualTo(3));
    }

    [Test]
    public void WireLayoutIsNonceThenSealedTimestampsAndPayload()
    {
        _ = Seal(_server, 1, 2, "a"u8);
        byte[] datagram = Seal(_server, 0x1234, 0xABCD, "xyz"u8);
        Assert.That(BinaryPrimitives.ReadUInt64BigEndian(datagram), Is.EqualTo(NonceLayout.DirectionToClient | 1));

        // A bare CryptoSession sees upstream's plaintext: u16 BE timestamp, u16 BE reply, payload.
        using var raw = new CryptoSession(_key);
        var plaintext = new byte[datagram.Length];
        Assert.That(raw.TryOpen(datagram, plaintext, out ulong nonce, out int length), Is.True);
        Assert.That(nonce, Is.EqualTo(NonceLayout.DirectionToClient | 1));
        Assert.That(plaintext[..length], Is.EqualTo(new byte[] { 0x12, 0x34, 0xAB, 0xCD, (byte)'x', (byte)'y', (byte)'z' }));
    }

    [Test]
    public void DatagramFromARawSessionOpensLikeAnUpstreamOne()
    {
        using var raw = new CryptoSession(_key);
        byte[] plaintext = [0x00, 0x05, 0xFF, 0xFF, 9, 8, 7];
        var datagram = new byte[plaintext.Length + CryptoSession.Overhead];
        _ = raw.Seal(NonceLayout.Compose(towardClient: true, 77), plaintext, datagram);
        Assert.That(_client.TryOpen(datagram, _plaintext, out Packet packet), Is.True);
        Assert.That((packet.Sequence, packet.Timestamp, packet.TimestampReply), Is.EqualTo((77UL, (ushort)5, Timestamp16.None)));
        Assert.That(packet.Payload.ToArray(), Is.EqualTo(new byte[] { 9, 8, 7 }));
    }

    [Test]
    public void OwnDatagramReflectedBackIsDroppedAsWrongDirection()
    {
        byte[] datagram = Seal(_client, 1, 2, "x"u8);
        Assert.That(_client.TryOpen(datagram, _plaintext, out _), Is.False);
        Assert.That(_client.Stats.DroppedWrongDirection, Is.EqualTo(1));
        byte[] fromServer = Seal(_server, 1, 2, "x"u8);
        Assert.That(_server.TryOpen(fromServer, _plaintext, out _), Is.False);
        Assert.That(_server.Stats.DroppedWrongDirection, Is.EqualTo(1));
    }

    [Test]
    public void DatagramUnderAnotherKeyIsDroppedAsUnauthentic()
    {
        using var stranger = new CryptoSession(SessionKey.Generate());
        var codec = new PacketCodec(stranger, isServer: false);
        Assert.That(_server.TryOpen(Seal(codec, 1, 2, "x"u8), _plaintext, out _), Is.False);
        Assert.That(_server.Stats.DroppedUnauthentic, Is.EqualTo(1));
    }

    [Test]
    public void TamperedDatagramIsDroppedAsUnauthentic()
    {
        byte[] datagram = Seal(_client, 1, 2, "payload"u8);
        for (int i = 0; i < datagram.Length; i++)
        {
            byte[] copy = (byte[])datagram.Clone();
            copy[i] ^= 0x40;
            Assert.That(_server.TryOpen(copy, _plaintext, out _), Is.False, $"byte {i}");
        }

        Assert.That(_server.Stats.DroppedUnauthentic, Is.EqualTo(datagram.Length));
    }

    [Test]
    public void DatagramsTooShortForNonceTimestampsAndTagAreDropped()
    {
        for (int length = 0; length < PacketCodec.Overhead; length++)
        {
            Assert.That(_server.TryOpen(new byte[length], _plaintext, out _), Is.False);
        }

        // Authentic, but without the four timestamp bytes.
        using var raw = new CryptoSession(_key);
        var empty = new byte[CryptoSession.Overhead];
        _ = raw.Seal(0, ReadOnlySpan<byte>.Empty, empty);
        Assert.That(_server.TryOpen(empty, _plaintext, out _), Is.False);
        Assert.That(_server.Stats.DroppedShort, Is.EqualTo(PacketCodec.Overhead + 1));
    }

    [Test]
    public void DatagramLargerThanTheReceiveMtuIsDroppedAndExactlyTheMtuIsAccepted()
    {
        byte[] largest = Seal(_client, 1, 2, new byte[NetworkConstants.RECEIVE_MTU - PacketCodec.Overhead]);
        Assert.That(largest.Length, Is.EqualTo(2048));
        Assert.That(_server.TryOpen(largest, _plaintext, out Packet packet), Is.True);
        Assert.That(packet.Payload.Length, Is.EqualTo(2020));

        byte[] oversize = Seal(_client, 1, 2, new byte[NetworkConstants.RECEIVE_MTU - PacketCodec.Overhead + 1]);
        Assert.That(_server.TryOpen(oversize, new byte[4096], out _), Is.False);
        Assert.That(_server.Stats.DroppedOversize, Is.EqualTo(1));
    }

    [Test]
    public void RandomGarbageIsDroppedWithoutExceptions()
    {
        long before = _server.Stats.Dropped;
        Gen.Byte.Array[0, 2100].Sample(garbage =>
        {
            Assert.That(_server.TryOpen(garbage, _plaintext, out _), Is.False);
        }, iter: 3000, threads: 1);
        Assert.That(_server.Stats.Dropped - before, Is.EqualTo(3000));
    }

    [Test]
    public void PlaintextMayBeDecryptedIntoTheDatagramsOwnBuffer()
    {
        byte[] datagram = Seal(_client, 7, 8, "in place"u8);
        Assert.That(_server.TryOpen(datagram, datagram, out Packet packet), Is.True);
        Assert.That(packet.Payload.ToArray(), Is.EqualTo("in place"u8.ToArray()));
    }
}
