namespace Mosh.EndToEnd.Harness;

/// <summary>What happened to the datagrams of one direction. Written by the relay thread, read by tests.</summary>
internal sealed class RelayCounters
{
    private long received;
    private long delivered;
    private long dropped;
    private long blackedOut;
    private long duplicated;
    private long reordered;
    private long injected;

    /// <summary>Datagrams that arrived from the sender (before any impairment).</summary>
    public long Received => Interlocked.Read(ref received);

    /// <summary>Datagrams sent on to the receiver, duplicates and injections included.</summary>
    public long Delivered => Interlocked.Read(ref delivered);

    /// <summary>Dropped by the random loss.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Dropped because a blackout was on (on arrival or while delayed).</summary>
    public long BlackedOut => Interlocked.Read(ref blackedOut);

    public long Duplicated => Interlocked.Read(ref duplicated);

    /// <summary>Delivered after a datagram that arrived later than it (by jitter or explicit reordering).</summary>
    public long Reordered => Interlocked.Read(ref reordered);

    public long Injected => Interlocked.Read(ref injected);

    internal void CountReceived() => Interlocked.Increment(ref received);

    internal void CountDelivered() => Interlocked.Increment(ref delivered);

    internal void CountDropped() => Interlocked.Increment(ref dropped);

    internal void CountBlackedOut() => Interlocked.Increment(ref blackedOut);

    internal void CountDuplicated() => Interlocked.Increment(ref duplicated);

    internal void CountReordered() => Interlocked.Increment(ref reordered);

    internal void CountInjected() => Interlocked.Increment(ref injected);

    public override string ToString() =>
        $"received {Received}, delivered {Delivered}, dropped {Dropped}, blacked out {BlackedOut}, duplicated {Duplicated}, reordered {Reordered}, injected {Injected}";
}
