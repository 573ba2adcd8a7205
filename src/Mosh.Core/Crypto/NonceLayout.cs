using System.Buffers.Binary;

namespace Mosh.Crypto;

/// <summary>
/// How upstream lays out a datagram's nonce: a 64-bit big-endian value on the wire whose top bit is the
/// direction (set = toward the client) and whose low 63 bits are the sender's sequence number. The OCB nonce
/// is four zero bytes followed by those eight.
/// </summary>
internal static class NonceLayout
{
    /// <summary>Bytes of nonce at the start of every datagram.</summary>
    public const int WireLength = 8;

    /// <summary>Bytes of the nonce given to OCB: <see cref="OcbZeroPrefixLength"/> zeros, then the wire bytes.</summary>
    public const int OcbNonceLength = 12;

    public const int OcbZeroPrefixLength = OcbNonceLength - WireLength;

    /// <summary>Upstream's direction bit: set on datagrams from server to client (TO_CLIENT).</summary>
    public const ulong DirectionToClient = 1UL << 63;

    /// <summary>The sequence-number part of a nonce (upstream's SEQUENCE_MASK).</summary>
    public const ulong SequenceMask = DirectionToClient - 1;

    public static ulong Compose(bool towardClient, ulong sequence)
    {
        if (sequence > SequenceMask)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), "A nonce's sequence number has 63 bits.");
        }

        return (towardClient ? DirectionToClient : 0) | sequence;
    }

    public static bool IsTowardClient(ulong nonce) => (nonce & DirectionToClient) != 0;

    public static ulong Sequence(ulong nonce) => nonce & SequenceMask;

    public static void Write(ulong nonce, Span<byte> destination) =>
        BinaryPrimitives.WriteUInt64BigEndian(destination, nonce);

    public static ulong Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt64BigEndian(source);

    /// <summary>The 12-byte OCB nonce for a wire nonce (upstream's <c>Nonce</c> bytes).</summary>
    public static void WriteOcbNonce(ulong nonce, Span<byte> destination)
    {
        destination[..OcbZeroPrefixLength].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(destination[OcbZeroPrefixLength..OcbNonceLength], nonce);
    }
}
