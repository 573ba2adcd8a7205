namespace Mosh.StateSync;

/// <summary>Upstream's state-synchronisation constants (transportsender.h, networktransport-impl.h), upstream's names.
/// The protocol version is <see cref="Mosh.Network.NetworkConstants.MOSH_PROTOCOL_VERSION"/>.</summary>
internal static class TransportConstants
{
    /// <summary>Fastest frame rate: ms between frames.</summary>
    public const int SEND_INTERVAL_MIN = 20;

    /// <summary>Slowest frame rate: ms between frames.</summary>
    public const int SEND_INTERVAL_MAX = 250;

    /// <summary>ms between empty acks (the keep-alive when idle).</summary>
    public const int ACK_INTERVAL = 3000;

    /// <summary>ms before a delayed ack of received data.</summary>
    public const int ACK_DELAY = 100;

    /// <summary>Shutdown packets to send before giving up on the peer's acknowledgement.</summary>
    public const int SHUTDOWN_RETRIES = 16;

    /// <summary>ms since the peer was last heard during which unacknowledged states are resent at frame rate.</summary>
    public const int ACTIVE_RETRY_TIMEOUT = 10000;

    /// <summary>Default ms to collect input before sending a new state (the server's; the client uses 1).</summary>
    public const int SEND_MINDELAY = 8;

    /// <summary>The client's <see cref="SEND_MINDELAY"/> (upstream's <c>set_send_delay(1)</c> in stmclient.cc).</summary>
    public const int CLIENT_SEND_MINDELAY = 1;

    /// <summary>Most random bytes of chaff appended to disguise an instruction's length.</summary>
    public const int CHAFF_MAX = 16;

    /// <summary>Sent-state queue limit; beyond it the state 16 from the end is erased.</summary>
    public const int SENT_STATES_LIMIT = 32;

    /// <summary>Where in the full sent-state queue (counted from the end) the sender erases a state.</summary>
    public const int SENT_STATES_CULL_FROM_END = 16;

    /// <summary>Received-state queue limit; beyond it new states are refused during a quench.</summary>
    public const int RECEIVED_STATES_LIMIT = 1024;

    /// <summary>
    /// Ours, not upstream's: bytes the received states may hold between them (<see cref="ISyncState{TSelf}.HeldBytes"/>)
    /// before new states are refused. Each received state is a full copy, so a peer that never lets old ones be
    /// thrown away (the protocol's throwaway number) grew the queue quadratically: 1000 states of 1000 keystrokes
    /// took 638 MB. A refused state is not acknowledged, so the sender sends it again later: nothing is lost.
    /// </summary>
    public const long RECEIVED_STATES_BYTE_LIMIT = 16L * 1024 * 1024;

    /// <summary>ms for which a full receiver refuses new states before accepting one again.</summary>
    public const int RECEIVER_QUENCH_INTERVAL = 15000;

    /// <summary>A resend from the acknowledged state is always taken below this size if not much longer.</summary>
    public const int RESEND_DIFF_SMALL = 1000;

    /// <summary>How many bytes longer a small resend-from-acknowledged diff may be than the proposed diff.</summary>
    public const int RESEND_DIFF_SLACK = 100;

    /// <summary>
    /// Ours, not upstream's: a frame carrying bulk data (forwarded streams) with a diff of at least this many bytes
    /// (about one datagram) is preceded by an instruction of its own carrying the acknowledgement, when the peer's
    /// newest state brought data (<see cref="TransportSender{TState}"/>). Only peers that take bulk data (ours) ever see it.
    /// </summary>
    public const int BULK_ACK_AHEAD_MIN_DIFF = 1024;

    /// <summary>State number meaning "shutting down" (upstream's <c>uint64_t(-1)</c>).</summary>
    public const ulong SHUTDOWN_STATE_NUM = ulong.MaxValue;
}
