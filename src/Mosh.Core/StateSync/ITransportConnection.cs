namespace Mosh.StateSync;

/// <summary>
/// What the transport needs from the datagram connection beneath it (upstream's <c>Connection</c> as seen by
/// <c>TransportSender</c> and <c>Transport::recv</c>). The connection implements it; tests fake it.
/// </summary>
internal interface ITransportConnection
{
    /// <summary>Smoothed round-trip time in ms (upstream's <c>get_SRTT()</c>; 1000 before any sample).</summary>
    double SmoothedRoundTripTime { get; }

    /// <summary>Retransmission timeout in ms, ceil(SRTT + 4 RTTVAR) clamped to [50, 1000] (upstream's <c>timeout()</c>).</summary>
    int RetransmissionTimeout { get; }

    /// <summary>False while a server has not heard from (or has detached from) its client: nothing is sent.</summary>
    bool HasRemoteAddress { get; }

    /// <summary>
    /// Told, on every instruction received, when (on the transport's <see cref="Mosh.Network.IClock"/>) the newest state
    /// of ours the peer has acknowledged was sent: end-to-end connectivity, which the client's port hopping watches.
    /// </summary>
    void ReportRoundTripSuccess(long timestamp);
}
