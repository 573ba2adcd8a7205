namespace Mosh.StateSync;

/// <summary>What became of one received instruction.</summary>
internal enum ReceiveOutcome : byte
{
    /// <summary>A new newest remote state: it is acknowledged from now on.</summary>
    Accepted,

    /// <summary>A new state older than the newest held, kept in order but not acknowledged by itself.</summary>
    AcceptedOutOfOrder,

    /// <summary>The state is already held (a duplicate or retransmission); only its ack was used.</summary>
    Duplicate,

    /// <summary>The diff's reference state was never received or already thrown away; ignored, as upstream does.</summary>
    UnknownReference,

    /// <summary>
    /// The receive queue is full (too many states, and quenched; or too many bytes): the state was refused and is not
    /// acknowledged, so the sender sends it again.
    /// </summary>
    Quenched,

    /// <summary>The diff could not be applied (malformed); the state was refused.</summary>
    InvalidDiff,

    /// <summary>The peer speaks another protocol version; the caller reports "mosh protocol version mismatch".</summary>
    ProtocolVersionMismatch,
}
