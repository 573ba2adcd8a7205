using System.Buffers;
using System.Runtime.InteropServices;
using Mosh.Network;
using Mosh.Protobufs;
using static Mosh.StateSync.TransportConstants;

namespace Mosh.StateSync;

/// <summary>
/// The sending half of upstream's state synchronisation (<c>TransportSender&lt;MyState&gt;</c>): keeps numbered
/// snapshots of the local state it has sent, decides when to send (frame rate from the RTT, delayed and keep-alive
/// acks, retransmission after RTO + ACK_DELAY) and what (the diff from the state the receiver is assumed to hold),
/// and runs our half of the shutdown handshake.
/// </summary>
/// <remarks>
/// The queue of sent states runs from the newest state the receiver has acknowledged (front, whose number goes out
/// as throwaway_num) to the last state sent (back); the receiver is assumed to hold the newest state sent less than
/// RTO + ACK_DELAY ago. Time comes from the injected clock, RTT figures from the connection, so it is deterministic
/// under test. Not thread-safe: one event loop drives it.
/// </remarks>
internal sealed class TransportSender<TState>
    where TState : class, ISyncState<TState>
{
    private const long Never = long.MaxValue;

    /// <summary>Frame intervals between frames that carry only background data (<see cref="ISyncState{TSelf}.OnlyBackgroundBeyond"/>).</summary>
    private const int BackgroundFrameIntervals = 2;

    private readonly ITransportConnection _connection;
    private readonly IInstructionSink _sink;
    private readonly IClock _clock;
    private readonly Random _chaffRandom;
    private readonly List<TimestampedState<TState>> _sentStates;

    private ArrayBufferWriter<byte> _diff = new();
    private ArrayBufferWriter<byte> _resendDiff = new();

    private TState _currentState;
    private int _assumedReceiverState;
    private long _nextAckTime;
    private long _nextSendTime;
    private long? _mindelayClock;
    private long _lastDiffSent = long.MinValue / 2; // when an instruction last carried a diff; never at first
    private bool _lastDiffCarriedBulk; // that diff carried bulk data (forwarded streams), so frames are kept busy
    private bool _expedite; // the current state holds an interactive change that should not wait behind bulk data
    private long _expediteAt; // when it was asked for

    private bool _shutdownInProgress;
    private int _shutdownTries;
    private long _shutdownStart;

    private ulong _ackNum;
    private ulong _lastAckSent;
    private bool _pendingDataAck;
    private long _lastHeard = long.MinValue / 2; // never: keeps "heard within 10 s" false without overflow

    /// <summary>Number of the state the receiver was last assumed to hold, to notice when that assumption fails.</summary>
    private ulong _lastAssumedNum;

    /// <summary>
    /// The highest state number sent: a new state takes the next one. Not the last held state's number, as a state
    /// behind the acknowledged one is forgotten, and the receiver may hold it under its number.
    /// </summary>
    private ulong _highestNumSent;

    /// <param name="initialState">State 0, which both ends start from; the sender keeps its own copy.</param>
    /// <param name="chaffRandom">Source of chaff lengths and bytes; <see cref="Random.Shared"/> if null.</param>
    public TransportSender(TState initialState, ITransportConnection connection, IInstructionSink sink, IClock clock,
        Random? chaffRandom = null)
    {
        _connection = connection;
        _sink = sink;
        _clock = clock;
        _chaffRandom = chaffRandom ?? Random.Shared;
        long now = clock.NowMilliseconds;
        _currentState = initialState.Clone();
        _sentStates = new List<TimestampedState<TState>>(SENT_STATES_LIMIT + 1)
        {
            new(now, 0, initialState.Clone()),
        };
        _nextAckTime = now;
        _nextSendTime = now;
    }

    /// <summary>
    /// Upstream's -v self-check of each diff before it may be sent (round trip and target state); null, the default,
    /// checks nothing.
    /// </summary>
    public SentDiffVerifier<TState>? Verifier { get; set; }

    /// <summary>ms to collect input before sending a changed state; <see cref="SEND_MINDELAY"/> unless changed.</summary>
    public int SendMinDelay { get; set; } = SEND_MINDELAY;

    /// <summary>
    /// The local state to synchronise, to be changed in place (e.g. keystrokes pushed onto a <see cref="UserStream"/>).
    /// Changing it is illegal once shutdown has started.
    /// </summary>
    public TState CurrentState
    {
        get
        {
            ThrowIfShuttingDown();
            return _currentState;
        }
    }

    /// <summary>Replaces the local state with a copy of <paramref name="state"/> (illegal once shutdown has started).</summary>
    public void SetCurrentState(TState state)
    {
        ThrowIfShuttingDown();
        _currentState = state.Clone();
    }

    /// <summary>
    /// A changed state waits for its send time (the collection delay and the frame rate): true from the first look
    /// at a state that differs from the last one sent (<see cref="WaitTime"/>, <see cref="Tick"/>) until it goes out.
    /// </summary>
    public bool ChangeScheduled => _mindelayClock is not null;

    /// <summary>
    /// The current state holds an interactive change (typed keys, or the server's echo of them): while frames are busy
    /// carrying bulk data (forwarded streams and their acknowledgements), send it after the collection delay, in a
    /// frame without bulk data where the state can hold that back, rather than at the next frame-rate slot behind them. Without bulk data in flight nothing changes: the frame rate applies as
    /// before (so upstream's peers, which never get bulk data, see upstream's timing).
    /// </summary>
    public void Expedite()
    {
        _expediteAt = _expedite ? _expediteAt : _clock.NowMilliseconds;
        _expedite = true;
    }

    /// <summary>ms between frames: two per round trip, ceil(SRTT / 2) clamped to [20, 250].</summary>
    public int SendInterval => Math.Clamp((int)Math.Ceiling(_connection.SmoothedRoundTripTime / 2.0), SEND_INTERVAL_MIN, SEND_INTERVAL_MAX);

    public bool ShutdownInProgress => _shutdownInProgress;

    /// <summary>The peer has acknowledged our shutdown state: we may quit.</summary>
    public bool ShutdownAcknowledged => _sentStates[0].Num == SHUTDOWN_STATE_NUM;

    /// <summary>The peer asked to shut down and we have sent it an acknowledgement: we may quit.</summary>
    public bool CounterpartyShutdownAckSent => _lastAckSent == SHUTDOWN_STATE_NUM;

    /// <summary>Give up waiting for the peer's shutdown ack: 16 shutdown instructions sent, or 10 s since we started.</summary>
    public bool ShutdownAckTimedOut =>
        _shutdownInProgress
        && (_shutdownTries >= SHUTDOWN_RETRIES || _clock.NowMilliseconds - _shutdownStart >= ACTIVE_RETRY_TIMEOUT);

    /// <summary>Number of the newest state the receiver has acknowledged.</summary>
    public ulong SentStateAcked => _sentStates[0].Num;

    /// <summary>When the newest acknowledged state was sent (clock ms), for round-trip reports.</summary>
    public long SentStateAckedTimestamp => _sentStates[0].Timestamp;

    /// <summary>Number of the last state sent.</summary>
    public ulong SentStateLast => _sentStates[^1].Num;

    /// <summary>Sent states still held (acknowledged front through last sent); at most 32.</summary>
    public int SentStateCount => _sentStates.Count;

    /// <summary>Numbers of the sent states held, acknowledged front first (for diagnostics and tests).</summary>
    public ulong[] SentStateNumbers()
    {
        ulong[] numbers = new ulong[_sentStates.Count];
        for (int i = 0; i < numbers.Length; i++)
        {
            numbers[i] = _sentStates[i].Num;
        }

        return numbers;
    }

    /// <summary>Number of the state we believe the receiver holds (old_num of the next diff).</summary>
    public ulong AssumedReceiverStateNum => _sentStates[_assumedReceiverState].Num;

    /// <summary>Starts the shutdown handshake: every later instruction carries new_num = 2^64 - 1.</summary>
    public void StartShutdown()
    {
        if (!_shutdownInProgress)
        {
            _shutdownStart = _clock.NowMilliseconds;
            _shutdownInProgress = true;
        }
    }

    /// <summary>The newest remote state number received in order; goes out as ack_num.</summary>
    public void SetAckNum(ulong ackNum) => _ackNum = ackNum;

    /// <summary>Received a state with data: acknowledge it within <see cref="ACK_DELAY"/>.</summary>
    public void SetDataAck() => _pendingDataAck = true;

    /// <summary>The newest state the receiver acknowledged.</summary>
    public ulong AcknowledgedStateNum => _sentStates[0].Num;

    /// <summary>
    /// Times the receiver was assumed to hold a state it did not acknowledge within RTO + ACK_DELAY, so sending fell
    /// back to an older one: a loss (or a blackout). A sender of bulk data can shrink its frames on it.
    /// </summary>
    public long Timeouts { get; private set; }

    /// <summary>Received a new remote state at <paramref name="timestamp"/>: the peer is alive, keep retrying.</summary>
    public void RemoteHeard(long timestamp) => _lastHeard = timestamp;

    /// <summary>The receiver holds state <paramref name="ackNum"/>: forget every older state (unknown numbers are ignored).</summary>
    public void ProcessAcknowledgmentThrough(ulong ackNum)
    {
        // Numbers only grow along the queue, so the states older than the acknowledged one form its front.
        int acked = -1;
        for (int i = 0; i < _sentStates.Count; i++)
        {
            if (_sentStates[i].Num == ackNum)
            {
                acked = i;
                break;
            }
        }

        if (acked > 0)
        {
            _sentStates.RemoveRange(0, acked);
            _assumedReceiverState = Math.Max(0, _assumedReceiverState - acked);
        }
    }

    /// <summary>ms until the sender next has something to do (int.MaxValue while there is no one to send to).</summary>
    public int WaitTime()
    {
        long now = _clock.NowMilliseconds;
        CalculateTimers(now);
        if (!_connection.HasRemoteAddress)
        {
            return int.MaxValue;
        }

        long next = Math.Min(_nextAckTime, _nextSendTime);
        return next > now ? (int)Math.Min(next - now, int.MaxValue) : 0;
    }

    /// <summary>Sends a diff or an empty ack if one is due.</summary>
    public void Tick()
    {
        long now = _clock.NowMilliseconds;
        CalculateTimers(now);
        if (!_connection.HasRemoteAddress || (now < _nextAckTime && now < _nextSendTime))
        {
            return;
        }

        _diff.ResetWrittenCount();
        TState assumed = _sentStates[_assumedReceiverState].State;
        // Ahead of the frame rate only for an expedited change, and then without the bulk data that keeps frames busy.
        TState frame = now < _lastDiffSent + SendInterval && _expedite && _currentState.InteractiveFrameFor(assumed) is { } interactive
            ? interactive
            : _currentState.FrameFor(assumed);
        frame.DiffFrom(assumed, _diff);
        bool carriesBulk = frame.CarriesBulkBeyond(assumed);
        AttemptProspectiveResendOptimization(frame);
        Verifier?.Verify(_sentStates[_assumedReceiverState].State, _diff.WrittenSpan, frame);

        if (_diff.WrittenCount == 0)
        {
            if (now >= _nextAckTime)
            {
                SendEmptyAck(now, frame);
                _mindelayClock = null;
            }

            if (now >= _nextSendTime)
            {
                _nextSendTime = Never;
                _mindelayClock = null;
            }
        }
        else if (now >= _nextSendTime || now >= _nextAckTime)
        {
            if (carriesBulk && _pendingDataAck && _diff.WrittenCount >= BULK_ACK_AHEAD_MIN_DIFF && !_shutdownInProgress)
            {
                SendAckAhead();
            }

            SendToReceiver(now, frame);
            _mindelayClock = null;
            _lastDiffCarriedBulk = carriesBulk;
            _expedite = false;
        }
    }

    private void CalculateTimers(long now)
    {
        UpdateAssumedReceiverState(now);
        RationalizeStates();

        if (_pendingDataAck && _nextAckTime > now + ACK_DELAY)
        {
            _nextAckTime = now + ACK_DELAY;
        }

        TimestampedState<TState> lastSent = _sentStates[^1];
        bool peerActive = _lastHeard + ACTIVE_RETRY_TIMEOUT > now;
        if (!_currentState.Equals(lastSent.State))
        {
            // A new state: wait SEND_MINDELAY to collect more of it, and keep to the frame rate.
            _mindelayClock ??= now;
            // The frame rate limits diffs only: upstream also counts an empty ack, so a keystroke typed just after
            // the delayed ack waited a whole frame interval (up to 20 ms at ~0 RTT) for nothing.
            int interval = _currentState.OnlyBackgroundBeyond(lastSent.State) ? BackgroundFrameIntervals * SendInterval : SendInterval;
            _nextSendTime = Math.Max(_mindelayClock.Value + SendMinDelay, _lastDiffSent + interval);
            if (_expedite && _lastDiffCarriedBulk)
            {
                _nextSendTime = Math.Min(_nextSendTime, _expediteAt + SendMinDelay);
            }
        }
        else if (!_currentState.Equals(_sentStates[_assumedReceiverState].State) && peerActive)
        {
            _nextSendTime = lastSent.Timestamp + SendInterval;
            if (_mindelayClock is long mindelay)
            {
                _nextSendTime = Math.Max(_nextSendTime, mindelay + SendMinDelay);
            }
        }
        else if (!_currentState.Equals(_sentStates[0].State) && peerActive)
        {
            // Sent but unacknowledged: retransmit once the ack is overdue.
            _nextSendTime = lastSent.Timestamp + _connection.RetransmissionTimeout + ACK_DELAY;
        }
        else
        {
            _nextSendTime = Never;
        }

        // Speed up the shutdown handshake: ack at frame rate.
        if (_shutdownInProgress || _ackNum == SHUTDOWN_STATE_NUM)
        {
            _nextAckTime = lastSent.Timestamp + SendInterval;
        }
    }

    /// <summary>Give unacknowledged states sent recently enough the benefit of the doubt.</summary>
    private void UpdateAssumedReceiverState(long now)
    {
        long window = _connection.RetransmissionTimeout + ACK_DELAY;
        _assumedReceiverState = 0;
        for (int i = 1; i < _sentStates.Count && now - _sentStates[i].Timestamp < window; i++)
        {
            _assumedReceiverState = i;
        }

        ulong assumed = _sentStates[_assumedReceiverState].Num;
        if (assumed < _lastAssumedNum)
        {
            Timeouts++;
        }

        _lastAssumedNum = assumed;
    }

    /// <summary>
    /// Cuts what the receiver is known to hold out of every state (the front last, as it is the prefix). A sent state
    /// behind the acknowledged one (a frame cut to a budget after a timeout, shorter than one sent before it) is
    /// forgotten: the receiver holds more than it, so no diff may start from it (the receiver's copy, rebuilt by
    /// appending, would not match ours), and an acknowledgement of it says nothing new.
    /// </summary>
    private void RationalizeStates()
    {
        TState known = _sentStates[0].State;
        for (int i = _sentStates.Count - 1; i >= 1; i--)
        {
            if (_sentStates[i].State.IsBehind(known))
            {
                _sentStates.RemoveAt(i);
                if (_assumedReceiverState >= i)
                {
                    _assumedReceiverState--;
                }
            }
        }

        _currentState.Subtract(known);
        for (int i = _sentStates.Count - 1; i >= 0; i--)
        {
            _sentStates[i].State.Subtract(known);
        }
    }

    /// <summary>
    /// Prefer the diff from the acknowledged state when it is no longer, or small and at most 100 bytes longer: it
    /// needs no assumption about what the receiver holds.
    /// </summary>
    /// <remarks>
    /// Both diffs lead to the same <paramref name="frame"/>: a frame capped afresh from the acknowledged state would
    /// carry as much history as the proposed one and win, re-sending what is in flight instead of advancing.
    /// </remarks>
    private void AttemptProspectiveResendOptimization(TState frame)
    {
        if (_assumedReceiverState == 0)
        {
            return;
        }

        // The resend diff replaces the proposed one only if it is no longer, or small and at most a little longer; a
        // size that loses, loses for every larger size too, so a lower bound that loses spares computing the diff.
        int proposed = _diff.WrittenCount;
        bool Wins(long resend) => resend <= proposed || (resend < RESEND_DIFF_SMALL && resend - proposed < RESEND_DIFF_SLACK);
        long atLeast = ((ISyncState<TState>)frame).DiffSizeAtLeast(_sentStates[0].State, Math.Max(RESEND_DIFF_SMALL, proposed + RESEND_DIFF_SLACK));
        if (!Wins(atLeast))
        {
            return;
        }

        _resendDiff.ResetWrittenCount();
        frame.DiffFrom(_sentStates[0].State, _resendDiff);
        if (Wins(_resendDiff.WrittenCount))
        {
            _assumedReceiverState = 0;
            (_diff, _resendDiff) = (_resendDiff, _diff);
        }
    }

    private void SendEmptyAck(long now, TState frame)
    {
        ulong newNum = _shutdownInProgress ? SHUTDOWN_STATE_NUM : unchecked(_highestNumSent + 1);
        AddSentState(now, newNum, frame.Clone());
        SendInstruction([], newNum);
        _nextAckTime = now + ACK_INTERVAL;
        _nextSendTime = Never;
    }

    /// <summary>
    /// Sends the acknowledgement of the peer's newest state, when that state brought data, in an instruction of its own,
    /// just before a bulk frame of several datagrams: in the frame it would be lost with any of them (at 10 % datagram loss a 14-datagram frame
    /// arrives 23 % of the time), and a peer that is itself sending bulk data (both directions of forwarding at once)
    /// would time out and shrink its frames for want of acks. Alone it travels as one datagram. It names the
    /// acknowledged state as both its reference and its new state, which the receiver holds: a duplicate, so the
    /// receiver takes its ack number and changes nothing else (no new state, no acknowledgement of it).
    /// </summary>
    private void SendAckAhead()
    {
        ulong acknowledged = _sentStates[0].Num;
        SendInstruction([], acknowledged, acknowledged);
    }

    private void SendToReceiver(long now, TState frame)
    {
        ref TimestampedState<TState> lastSent = ref CollectionsMarshal.AsSpan(_sentStates)[^1];
        ulong newNum = frame.Equals(lastSent.State) ? lastSent.Num : unchecked(_highestNumSent + 1);
        if (_shutdownInProgress)
        {
            newNum = SHUTDOWN_STATE_NUM;
        }

        if (newNum == lastSent.Num)
        {
            lastSent.Timestamp = now; // a retransmission refreshes the state's send time
        }
        else
        {
            AddSentState(now, newNum, frame.Clone());
        }

        SendInstruction(_diff.WrittenSpan, newNum);
        _lastDiffSent = now;
        _assumedReceiverState = _sentStates.Count - 1;
        _nextAckTime = now + ACK_INTERVAL;
        _nextSendTime = Never;
    }

    private void AddSentState(long now, ulong num, TState state)
    {
        _highestNumSent = Math.Max(_highestNumSent, num);
        _sentStates.Add(new TimestampedState<TState>(now, num, state));
        if (_sentStates.Count > SENT_STATES_LIMIT)
        {
            // Erase from the middle: keep the acknowledged front and the recent states the receiver may build on.
            int erase = _sentStates.Count - SENT_STATES_CULL_FROM_END;
            _sentStates.RemoveAt(erase);
            if (_assumedReceiverState >= erase)
            {
                _assumedReceiverState = Math.Max(0, _assumedReceiverState - 1);
            }
        }
    }

    private void SendInstruction(ReadOnlySpan<byte> diff, ulong newNum) =>
        SendInstruction(diff, newNum, _sentStates[_assumedReceiverState].Num);

    private void SendInstruction(ReadOnlySpan<byte> diff, ulong newNum, ulong oldNum)
    {
        Span<byte> chaff = stackalloc byte[CHAFF_MAX];
        chaff = chaff[..(_chaffRandom.Next(256) % (CHAFF_MAX + 1))];
        _chaffRandom.NextBytes(chaff);

        var instruction = new TransportInstruction
        {
            ProtocolVersion = NetworkConstants.MOSH_PROTOCOL_VERSION,
            OldNum = oldNum,
            NewNum = newNum,
            AckNum = _ackNum,
            ThrowawayNum = _sentStates[0].Num,
            Diff = diff,
            Chaff = chaff,
        };

        if (newNum == SHUTDOWN_STATE_NUM)
        {
            _shutdownTries++;
        }

        _sink.Send(in instruction);
        _lastAckSent = _ackNum;
        _pendingDataAck = false;
    }

    private void ThrowIfShuttingDown()
    {
        if (_shutdownInProgress)
        {
            ThrowShuttingDown();
        }
    }

    private static void ThrowShuttingDown() =>
        throw new InvalidOperationException("the local state cannot change once shutdown has started");
}
