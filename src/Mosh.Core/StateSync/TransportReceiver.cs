using System.Buffers;
using Mosh.Network;
using Mosh.Protobufs;
using static Mosh.StateSync.TransportConstants;

namespace Mosh.StateSync;

/// <summary>
/// The receiving half of upstream's state synchronisation (the state side of <c>Transport::recv</c>): rebuilds the
/// peer's numbered states by applying each diff to a copy of the state it names as its base, keeping them sorted by
/// number. Instructions are idempotent: a state already held, or a diff from a state not held, is ignored.
/// </summary>
/// <remarks>
/// The sender's throwaway_num says which old states are no longer needed. A peer that never lets us throw any away
/// fills the queue: beyond 1024 states one new state is accepted per 15 s quench, rather than dropping states we may
/// already have acknowledged. Ours also bounds the queue in bytes (<see cref="RECEIVED_STATES_BYTE_LIMIT"/>): past
/// it, first the held states are rebased on the oldest one (what <see cref="GetRemoteDiff"/> does, possible once
/// the oldest has been consumed), and if they still hold too much the new state is refused until the consumer or
/// the sender's throwaway number frees some.
/// </remarks>
internal sealed class TransportReceiver<TState>
    where TState : class, ISyncState<TState>
{
    private readonly IClock _clock;
    private readonly List<TimestampedState<TState>> _receivedStates;
    private readonly long _byteLimit;
    private TState _lastConsumedState;
    private ulong _lastConsumedNum;
    private long _quenchUntil;

    /// <param name="initialState">The peer's state 0, which both ends start from; the receiver keeps copies.</param>
    /// <param name="byteLimit">What the held states may hold between them (tests set a smaller one).</param>
    public TransportReceiver(TState initialState, IClock clock, long byteLimit = RECEIVED_STATES_BYTE_LIMIT)
    {
        _byteLimit = byteLimit;
        _clock = clock;
        _receivedStates = [new TimestampedState<TState>(clock.NowMilliseconds, 0, initialState.Clone())];
        _lastConsumedState = initialState.Clone();
    }

    /// <summary>The newest state received in order, with its number and arrival time.</summary>
    public TimestampedState<TState> LatestRemoteState => _receivedStates[^1];

    /// <summary>Number of the newest remote state (what we acknowledge).</summary>
    public ulong RemoteStateNum => _receivedStates[^1].Num;

    /// <summary>States held, oldest first (at most a little over 1024).</summary>
    public int ReceivedStateCount => _receivedStates.Count;

    /// <summary>Whether state <paramref name="num"/> is held.</summary>
    public bool Holds(ulong num) => IndexOf(num) >= 0;

    /// <summary>
    /// Takes in the state an instruction describes (its version and ack already dealt with by the caller).
    /// <see cref="ReceiveOutcome.Accepted"/> means it is the newest remote state now.
    /// </summary>
    public ReceiveOutcome Receive(in TransportInstruction instruction)
    {
        ulong newNum = instruction.NewNum;
        if (IndexOf(newNum) >= 0)
        {
            return ReceiveOutcome.Duplicate;
        }

        // Only a state we hold can be a diff's base: this is what makes instructions idempotent.
        int reference = IndexOf(instruction.OldNum);
        if (reference < 0)
        {
            return ReceiveOutcome.UnknownReference;
        }

        TState referenceState = _receivedStates[reference].State;
        ProcessThrowawayUntil(instruction.ThrowawayNum);

        long now = _clock.NowMilliseconds;
        if (!HasRoomForMoreBytes())
        {
            return ReceiveOutcome.Quenched;
        }

        if (_receivedStates.Count > RECEIVED_STATES_LIMIT)
        {
            if (now < _quenchUntil)
            {
                return ReceiveOutcome.Quenched;
            }

            _quenchUntil = now + RECEIVER_QUENCH_INTERVAL;
        }

        TState newState = referenceState.Clone();
        ReadOnlySpan<byte> diff = instruction.Diff;
        if (!diff.IsEmpty && !newState.TryApply(diff))
        {
            return ReceiveOutcome.InvalidDiff;
        }

        var received = new TimestampedState<TState>(now, newNum, newState);
        int insertAt = InsertionPoint(newNum);
        if (insertAt < _receivedStates.Count)
        {
            _receivedStates.Insert(insertAt, received);
            return ReceiveOutcome.AcceptedOutOfOrder;
        }

        _receivedStates.Add(received);
        return ReceiveOutcome.Accepted;
    }

    /// <summary>Bytes the held states and the last consumed one hold between them (each a full copy).</summary>
    public long HeldBytes
    {
        get
        {
            long total = _lastConsumedState.HeldBytes;
            foreach (TimestampedState<TState> state in _receivedStates)
            {
                total += state.State.HeldBytes;
            }

            return total;
        }
    }

    /// <summary>
    /// Whether the held states are within the byte limit, after rebasing them on the oldest
    /// if that is no longer needed as a prefix of anything unconsumed (it is the last consumed state or older).
    /// </summary>
    private bool HasRoomForMoreBytes()
    {
        if (HeldBytes <= _byteLimit)
        {
            return true;
        }

        if (_receivedStates[0].Num <= _lastConsumedNum)
        {
            RebaseOn(RebasePoint(_lastConsumedState));
        }

        return HeldBytes <= _byteLimit;
    }

    /// <summary>
    /// Writes the diff from the state last consumed to the newest one (what the server feeds its terminal), then
    /// cuts the oldest held state out of every state, as it can no longer be needed as a prefix.
    /// </summary>
    public void GetRemoteDiff(IBufferWriter<byte> output)
    {
        TState newest = _receivedStates[^1].State;
        // A newest state behind the one consumed (our client's budget-cut frame, sent from an older state after a
        // longer one) brings nothing new, and the consumed state stays the reference for the next difference.
        bool behind = newest.IsBehind(_lastConsumedState);
        if (!behind)
        {
            newest.DiffFrom(_lastConsumedState, output);
            _lastConsumedState = newest.Clone();
        }

        RebaseOn(RebasePoint(_lastConsumedState));
        _lastConsumedNum = _receivedStates[^1].Num;
    }

    /// <summary>
    /// The oldest held state, which every later one extends, unless it reaches further than what was consumed (a
    /// longer state that arrived out of order, its newer number a shorter frame): then the consumed state, so that
    /// nothing unconsumed is cut.
    /// </summary>
    private TState RebasePoint(TState consumed)
    {
        TState oldest = _receivedStates[0].State;
        return consumed.IsBehind(oldest) ? consumed : oldest;
    }

    /// <summary>Cuts <paramref name="point"/> out of every held state and the consumed one (itself last).</summary>
    private void RebaseOn(TState point)
    {
        for (int i = _receivedStates.Count - 1; i >= 0; i--)
        {
            if (!ReferenceEquals(_receivedStates[i].State, point))
            {
                _receivedStates[i].State.Subtract(point);
            }
        }

        if (!ReferenceEquals(_lastConsumedState, point))
        {
            _lastConsumedState.Subtract(point);
        }

        point.Subtract(point);
    }

    /// <summary>Discards states older than <paramref name="throwawayNum"/>, always keeping at least the newest.</summary>
    private void ProcessThrowawayUntil(ulong throwawayNum)
    {
        int discard = InsertionPoint(throwawayNum);
        while (discard > 0 && _receivedStates[discard - 1].Num == throwawayNum)
        {
            discard--;
        }

        // Upstream aborts if a peer asks to throw everything away; we keep the newest state instead.
        discard = Math.Min(discard, _receivedStates.Count - 1);
        if (discard > 0)
        {
            _receivedStates.RemoveRange(0, discard);
        }
    }

    private int IndexOf(ulong num)
    {
        int at = InsertionPoint(num) - 1;
        return at >= 0 && _receivedStates[at].Num == num ? at : -1;
    }

    /// <summary>Index of the first state numbered above <paramref name="num"/> (the queue is sorted by number).</summary>
    private int InsertionPoint(ulong num)
    {
        int low = 0;
        int high = _receivedStates.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_receivedStates[mid].Num <= num)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
