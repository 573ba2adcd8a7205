namespace Mosh.StateSync;

/// <summary>A numbered snapshot of a synchronised state and when it was sent or received (transportstate.h).</summary>
internal struct TimestampedState<TState>
    where TState : class, ISyncState<TState>
{
    public TimestampedState(long timestamp, ulong num, TState state)
    {
        Timestamp = timestamp;
        Num = num;
        State = state;
    }

    /// <summary>When this state was (last) sent, or received, in <see cref="Mosh.Network.IClock"/> ms.</summary>
    public long Timestamp { get; internal set; }

    public ulong Num { get; }

    public TState State { get; }
}
