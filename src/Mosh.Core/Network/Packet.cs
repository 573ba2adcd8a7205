namespace Mosh.Network;

/// <summary>
/// An opened datagram (upstream's <c>Network::Packet</c>): the sender's sequence number, its 16-bit clock, its echo
/// of ours, and the transport payload (a fragment), which views the caller's plaintext buffer.
/// </summary>
internal readonly ref struct Packet
{
    public Packet(ulong sequence, ushort timestamp, ushort timestampReply, ReadOnlySpan<byte> payload)
    {
        Sequence = sequence;
        Timestamp = timestamp;
        TimestampReply = timestampReply;
        Payload = payload;
    }

    /// <summary>The 63-bit sequence number from the nonce (direction bit removed).</summary>
    public ulong Sequence { get; }

    /// <summary>Sender's clock mod 65536, or <see cref="Timestamp16.None"/>.</summary>
    public ushort Timestamp { get; }

    /// <summary>Our earlier timestamp advanced by the sender's hold time, or <see cref="Timestamp16.None"/>.</summary>
    public ushort TimestampReply { get; }

    public ReadOnlySpan<byte> Payload { get; }
}
