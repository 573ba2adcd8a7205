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

    private readonly Queue<byte[]> _pending = new();

    /// <summary>Number after the newest line taken in.</summary>
    public ulong End { get; private set; }

    /// <summary>Lines skipped because the server no longer had them (history longer than its size) or the inbox overflowed.</summary>
    public ulong Missed { get; private set; }

    public int PendingCount => _pending.Count;

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
        if (_pending.Count > MaxPending)
        {
            _ = _pending.Dequeue();
            Missed++;
        }
    }

    /// <summary>Takes the oldest undelivered line.</summary>
    public bool TryTake(out byte[] line) => _pending.TryDequeue(out line!);
}
