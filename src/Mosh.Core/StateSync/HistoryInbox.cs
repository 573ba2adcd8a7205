namespace Mosh.StateSync;

/// <summary>
/// Client side: scrollback lines received from the server (field 41), shared by every copy of the remote terminal
/// state. Lines are numbered absolutely and never change, so whichever state's diff brings one first delivers it:
/// each number is taken once, in order, and lines the inbox already passed are ignored. The session takes
/// <see cref="Pending"/> lines and writes them into the user's terminal.
/// </summary>
internal sealed class HistoryInbox
{
    /// <summary>Undelivered lines kept at most; beyond it the oldest are dropped (the session drains every frame).</summary>
    public const int MaxPending = 200_000;

    /// <summary>
    /// Undelivered bytes kept at most: lines wait while the user's terminal shows its alternate screen, and a
    /// hostile server could keep sending them then (its own history is far smaller: 512 bytes a line on average).
    /// </summary>
    public const long MaxPendingBytes = 32L * 1024 * 1024;

    private readonly Queue<byte[]> _pending = new();
    private long _pendingBytes;

    /// <summary>Number after the newest line taken in.</summary>
    public ulong End { get; private set; }

    /// <summary>Lines skipped because the server no longer had them (history longer than its size) or the inbox overflowed.</summary>
    public ulong Missed { get; private set; }

    public int PendingCount => _pending.Count;

    /// <summary>Bytes of the undelivered lines.</summary>
    public long PendingBytes => _pendingBytes;

    /// <summary>Line <paramref name="number"/> arrived; kept only if it is new.</summary>
    public void Offer(ulong number, ReadOnlySpan<byte> line)
    {
        if (number < End)
        {
            return;
        }

        Missed += number - End;
        End = number + 1;
        _pending.Enqueue(line.ToArray());
        _pendingBytes += line.Length;
        while (_pending.Count > MaxPending || (_pendingBytes > MaxPendingBytes && _pending.Count > 1))
        {
            _pendingBytes -= _pending.Dequeue().Length;
            Missed++;
        }
    }

    /// <summary>Takes the oldest undelivered line.</summary>
    public bool TryTake(out byte[] line)
    {
        if (!_pending.TryDequeue(out line!))
        {
            return false;
        }

        _pendingBytes -= line.Length;
        return true;
    }
}
