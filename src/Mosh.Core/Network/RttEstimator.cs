namespace Mosh.Network;

/// <summary>
/// Round-trip estimation from the datagram timestamps, as upstream's Connection does it: every datagram carries our
/// 16-bit clock and, if we heard a timestamp from the peer less than a second ago, that timestamp advanced by how long
/// we held it. A reply that comes back gives a sample R; SRTT and RTTVAR follow RFC 6298 (first sample: SRTT = R,
/// RTTVAR = R/2), and the retransmission timeout is ceil(SRTT + 4 RTTVAR) clamped to 50..1000 ms.
/// </summary>
internal sealed class RttEstimator
{
    public const int MIN_RTO = 50;
    public const int MAX_RTO = 1000;

    /// <summary>Samples this large are ignored (e.g. the peer was suspended).</summary>
    public const int MAX_RTT_SAMPLE = 5000;

    /// <summary>A timestamp older than this is not echoed.</summary>
    public const int TIMESTAMP_REPLY_WINDOW = 1000;

    /// <summary>Subtracted from an echoed timestamp when the datagram arrived marked ECN congestion-experienced.</summary>
    public const int CONGESTION_TIMESTAMP_PENALTY = 500;

    public const double INITIAL_SRTT = 1000;
    public const double INITIAL_RTTVAR = 500;

    private const double Alpha = 1.0 / 8.0;
    private const double Beta = 1.0 / 4.0;

    private readonly IClock _clock;
    private bool _hasSavedTimestamp;
    private ushort _savedTimestamp;
    private long _savedTimestampReceivedAt;

    public RttEstimator(IClock clock) => _clock = clock;

    public double Srtt { get; private set; } = INITIAL_SRTT;

    public double RttVar { get; private set; } = INITIAL_RTTVAR;

    /// <summary>Whether any sample has been taken (upstream's RTT_hit).</summary>
    public bool HasSample { get; private set; }

    /// <summary>Retransmission timeout in ms (upstream's <c>Connection::timeout()</c>).</summary>
    public int TimeoutMilliseconds => (int)Math.Clamp(Math.Ceiling(Srtt + (4 * RttVar)), MIN_RTO, MAX_RTO);

    /// <summary>The timestamps for a datagram about to be sent; using up the saved peer timestamp.</summary>
    public (ushort Timestamp, ushort TimestampReply) NextOutgoing()
    {
        long now = _clock.NowMilliseconds;
        ushort reply = Timestamp16.None;
        if (_hasSavedTimestamp && now - _savedTimestampReceivedAt < TIMESTAMP_REPLY_WINDOW)
        {
            reply = unchecked((ushort)(_savedTimestamp + (now - _savedTimestampReceivedAt)));
            _hasSavedTimestamp = false;
        }

        return (Timestamp16.From(now), reply);
    }

    /// <summary>
    /// Takes the timestamps of an authentic, in-order datagram (out-of-order ones must not be passed: a replay could
    /// otherwise skew the estimate).
    /// </summary>
    public void OnReceived(ushort timestamp, ushort timestampReply, bool congestionExperienced)
    {
        long now = _clock.NowMilliseconds;
        if (timestamp != Timestamp16.None)
        {
            // A penalised (older-looking) echo makes the peer see a longer RTT and slow down.
            _savedTimestamp = congestionExperienced ? unchecked((ushort)(timestamp - CONGESTION_TIMESTAMP_PENALTY)) : timestamp;
            _savedTimestampReceivedAt = now;
            _hasSavedTimestamp = true;
        }

        if (timestampReply != Timestamp16.None)
        {
            AddSample(Timestamp16.Difference(Timestamp16.From(now), timestampReply));
        }
    }

    /// <summary>Feeds one round-trip sample in ms; samples of 5000 ms or more are ignored.</summary>
    public void AddSample(double r)
    {
        if (r >= MAX_RTT_SAMPLE)
        {
            return;
        }

        if (!HasSample)
        {
            Srtt = r;
            RttVar = r / 2;
            HasSample = true;
        }
        else
        {
            RttVar = ((1 - Beta) * RttVar) + (Beta * Math.Abs(Srtt - r));
            Srtt = ((1 - Alpha) * Srtt) + (Alpha * r);
        }
    }
}
