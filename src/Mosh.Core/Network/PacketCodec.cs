using System.Buffers.Binary;
using Mosh.Crypto;

namespace Mosh.Network;

/// <summary>
/// Seals and opens mosh datagrams: <c>[8-byte nonce: direction bit | sequence][OCB( [u16 BE timestamp]
/// [u16 BE timestamp reply][payload] )][16-byte tag]</c>. The server sends toward the client (direction bit set) and
/// accepts only datagrams toward the server; the client the reverse, so our own datagrams reflected back are dropped.
/// Bad input never throws: it is dropped and counted in <see cref="Stats"/>. Nothing is allocated per datagram.
/// </summary>
internal sealed class PacketCodec
{
    /// <summary>Bytes before the payload in a sealed datagram: nonce and the two timestamps.</summary>
    public const int PayloadOffset = CryptoSession.NonceTailLength + TimestampsLength;

    /// <summary>Bytes a datagram adds to its payload (upstream's Connection::ADDED_BYTES + Session::ADDED_BYTES).</summary>
    public const int Overhead = CryptoSession.Overhead + TimestampsLength;

    private const int TimestampsLength = 4;

    private readonly CryptoSession _session;
    private readonly NonceSequence _nonces;
    private readonly bool _acceptTowardClient;
    private DatagramStats _stats;

    /// <param name="session">The session cipher (shared key).</param>
    /// <param name="isServer">True for mosh-server: sends TO_CLIENT, accepts TO_SERVER.</param>
    public PacketCodec(CryptoSession session, bool isServer)
    {
        _session = session;
        _nonces = new NonceSequence(towardClient: isServer);
        _acceptTowardClient = !isServer;
    }

    public bool IsServer => !_acceptTowardClient;

    public ref readonly DatagramStats Stats => ref _stats;

    /// <summary>
    /// Seals a payload that the caller has already written at <see cref="PayloadOffset"/> in
    /// <paramref name="datagram"/> (so it is encrypted in place); returns the datagram length, payload + 28.
    /// Throws a fatal <see cref="CryptoException"/> when the session's nonces or block budget are exhausted.
    /// </summary>
    public int SealInPlace(ushort timestamp, ushort timestampReply, int payloadLength, Span<byte> datagram)
    {
        Span<byte> plaintext = datagram.Slice(CryptoSession.NonceTailLength, TimestampsLength + payloadLength);
        BinaryPrimitives.WriteUInt16BigEndian(plaintext, timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(plaintext[2..], timestampReply);
        int length = _session.Seal(_nonces.Next(), plaintext, datagram);
        _stats.Sealed++;
        return length;
    }

    /// <summary>Copies <paramref name="payload"/> into place and seals it; returns the datagram length.</summary>
    public int Seal(ushort timestamp, ushort timestampReply, ReadOnlySpan<byte> payload, Span<byte> datagram)
    {
        payload.CopyTo(datagram[PayloadOffset..]);
        return SealInPlace(timestamp, timestampReply, payload.Length, datagram);
    }

    /// <summary>
    /// Authenticates and decrypts a received datagram into <paramref name="plaintextBuffer"/> (at least
    /// <see cref="NetworkConstants.RECEIVE_MTU"/> bytes; it may be the datagram's own buffer). False, with the reason
    /// counted, for oversize, short, unauthentic or wrong-direction datagrams.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> datagram, Span<byte> plaintextBuffer, out Packet packet)
    {
        packet = default;
        if (datagram.Length > NetworkConstants.RECEIVE_MTU)
        {
            _stats.DroppedOversize++;
            return false;
        }

        if (datagram.Length < CryptoSession.Overhead + TimestampsLength)
        {
            // Too short to hold nonce, timestamps and tag (upstream: decrypt or Packet's dos_assert fails).
            _stats.DroppedShort++;
            return false;
        }

        if (!_session.TryOpen(datagram, plaintextBuffer, out ulong nonce, out int plaintextLength))
        {
            _stats.DroppedUnauthentic++;
            return false;
        }

        if (NonceLayout.IsTowardClient(nonce) != _acceptTowardClient)
        {
            _stats.DroppedWrongDirection++;
            return false;
        }

        ReadOnlySpan<byte> plaintext = plaintextBuffer[..plaintextLength];
        packet = new Packet(
            NonceLayout.Sequence(nonce),
            BinaryPrimitives.ReadUInt16BigEndian(plaintext),
            BinaryPrimitives.ReadUInt16BigEndian(plaintext[2..]),
            plaintext[TimestampsLength..]);
        _stats.Opened++;
        return true;
    }
}
