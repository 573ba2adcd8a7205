namespace Mosh.Network;

/// <summary>Counts of datagrams offered to a <see cref="PacketCodec"/> and why any were dropped.</summary>
internal struct DatagramStats
{
    public long Sealed;
    public long Opened;

    /// <summary>Larger than upstream's RECEIVE_MTU (2048 bytes).</summary>
    public long DroppedOversize;

    /// <summary>Shorter than nonce + tag, or decrypting to fewer than the 4 timestamp bytes.</summary>
    public long DroppedShort;

    /// <summary>Failed OCB authentication: garbage, corruption or another session's key.</summary>
    public long DroppedUnauthentic;

    /// <summary>Authentic but sent in our own direction: a reflection of our datagrams back to us.</summary>
    public long DroppedWrongDirection;

    public readonly long Dropped => DroppedOversize + DroppedShort + DroppedUnauthentic + DroppedWrongDirection;
}
