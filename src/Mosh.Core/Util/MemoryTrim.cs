namespace Mosh.Util;

/// <summary>
/// Gives the memory a burst of work took back to the system. The GC keeps the regions it committed for a burst (a
/// flood of output allocates fresh rows behind every snapshot the sender holds) long after the burst is over: the
/// server's resident set grew by about 1.7 MB over three coloured floods and stayed there, with 2 MB of live
/// objects in 5.5 MB committed. A full compacting collection in aggressive mode decommits what it frees; on the
/// server's heap it takes about half a millisecond, so it runs at most once every <see cref="IntervalMs"/>, and only
/// after <see cref="AllocatedBytesThreshold"/> were allocated since the last one (an idle or steady session never
/// pays for it).
/// </summary>
internal sealed class MemoryTrim
{
    /// <summary>
    /// Least time between two collections. A flood allocates about 3 MB a second: collected once a second the
    /// server's peak RSS over `make compare`'s runs was 10.0-10.4 MB, four times a second 9.4-9.7 MB, with server
    /// CPU the same within the noise (four half-millisecond collections a second at most).
    /// </summary>
    public const long IntervalMs = 250;

    /// <summary>Bytes allocated since the last collection that make the next one worth it.</summary>
    public const long AllocatedBytesThreshold = 1L << 20;

    private readonly Func<long> _allocatedBytes;
    private readonly Action _collect;
    private long _allocatedAtLast;
    private long _notBefore; // clock readings are never negative

    public MemoryTrim()
        : this(static () => GC.GetTotalAllocatedBytes(), static () => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true))
    {
    }

    /// <summary>With the allocation counter and the collection given (tests).</summary>
    internal MemoryTrim(Func<long> allocatedBytes, Action collect)
    {
        _allocatedBytes = allocatedBytes;
        _collect = collect;
        _allocatedAtLast = allocatedBytes();
    }

    /// <summary>Whether enough was allocated since the last collection for another to be due.</summary>
    private bool Pending => _allocatedBytes() - _allocatedAtLast >= AllocatedBytesThreshold;

    /// <summary>Milliseconds until <see cref="Service"/> has work (a collection pending but not yet allowed), else <see cref="long.MaxValue"/>.</summary>
    public long WaitTime(long nowMs) => Pending ? Math.Max(0, _notBefore - nowMs) : long.MaxValue;

    /// <summary>Collects if one is pending and allowed at <paramref name="nowMs"/>; whether it did.</summary>
    public bool Service(long nowMs)
    {
        if (nowMs < _notBefore || !Pending)
        {
            return false;
        }

        _collect();
        _allocatedAtLast = _allocatedBytes();
        _notBefore = nowMs + IntervalMs;
        return true;
    }
}
