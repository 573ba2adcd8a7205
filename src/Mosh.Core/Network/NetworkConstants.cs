namespace Mosh.Network;

/// <summary>Upstream's wire-level constants (network.h, crypto.h, transportfragment.h), with upstream's names.</summary>
internal static class NetworkConstants
{
    /// <summary>Instruction.protocol_version; "bumped for echo-ack". A different version is refused.</summary>
    public const uint MOSH_PROTOCOL_VERSION = 2;

    /// <summary>Application datagram MTU for constructors and as the fallback after EMSGSIZE.</summary>
    public const int DEFAULT_SEND_MTU = 500;

    /// <summary>20-byte IPv4 header + 8-byte UDP header.</summary>
    public const int IPV4_HEADER_LEN = 20 + 8;

    /// <summary>40-byte IPv6 header + two minimum extension headers + 8-byte UDP header.</summary>
    public const int IPV6_HEADER_LEN = 40 + 16 + 8;

    public const int DEFAULT_IPV4_MTU = 1280;
    public const int DEFAULT_IPV6_MTU = 1280;

    /// <summary>Application datagram bytes over IPv4 (1252).</summary>
    public const int IPV4_SEND_MTU = DEFAULT_IPV4_MTU - IPV4_HEADER_LEN;

    /// <summary>Application datagram bytes over IPv6 (1216).</summary>
    public const int IPV6_SEND_MTU = DEFAULT_IPV6_MTU - IPV6_HEADER_LEN;

    /// <summary>Connection::ADDED_BYTES: 8-byte nonce (sequence) + two 16-bit timestamps.</summary>
    public const int CONNECTION_ADDED_BYTES = 8 + 4;

    /// <summary>Session::ADDED_BYTES: the final OCB block (the tag).</summary>
    public const int SESSION_ADDED_BYTES = 16;

    /// <summary>Session::RECEIVE_MTU: largest datagram accepted.</summary>
    public const int RECEIVE_MTU = 2048;

    /// <summary>Fragment::frag_header_len: 64-bit instruction id + 16-bit final flag and fragment number.</summary>
    public const int FRAG_HEADER_LEN = 8 + 2;

    /// <summary>What the sender passes to the fragmenter for a datagram MTU (header plus contents).</summary>
    public static int FragmenterMtu(int datagramMtu) => datagramMtu - CONNECTION_ADDED_BYTES - SESSION_ADDED_BYTES;

    /// <summary>Fragment contents per datagram: 1214 over IPv4, 1178 over IPv6, 462 at the fallback MTU.</summary>
    public static int FragmentPayloadBudget(int datagramMtu) => FragmenterMtu(datagramMtu) - FRAG_HEADER_LEN;

    public const int IPV4_FRAGMENT_PAYLOAD = IPV4_SEND_MTU - CONNECTION_ADDED_BYTES - SESSION_ADDED_BYTES - FRAG_HEADER_LEN;
    public const int IPV6_FRAGMENT_PAYLOAD = IPV6_SEND_MTU - CONNECTION_ADDED_BYTES - SESSION_ADDED_BYTES - FRAG_HEADER_LEN;
    public const int DEFAULT_FRAGMENT_PAYLOAD = DEFAULT_SEND_MTU - CONNECTION_ADDED_BYTES - SESSION_ADDED_BYTES - FRAG_HEADER_LEN;

    /// <summary>Fragment numbers are 15 bits; upstream aborts beyond this.</summary>
    public const int MAX_FRAGMENTS = 0x8000;
}
