using Mosh.Protobufs;

namespace Mosh.StateSync;

/// <summary>
/// Server side: the stream frames sent to the client, as one append-only log of StreamFrames entries addressed by
/// absolute byte offset and shared by the live terminal and its snapshots. A state holds "the log up to offset N";
/// the diff between two states is the slice between their offsets, so stream data is retransmitted and acknowledged
/// by the state-sync protocol itself. What the client acknowledged is dropped (<see cref="DropBefore"/>).
/// </summary>
internal sealed class StreamLog
{
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    /// <summary>Absolute offset of the oldest byte still kept.</summary>
    public ulong First { get; private set; }

    /// <summary>Absolute offset after the newest entry.</summary>
    public ulong End => First + (ulong)(_end - _start);

    /// <summary>
    /// Most log bytes one frame carries beyond the screen (at least one entry always goes):
    /// <see cref="CompleteTerminal.StreamFrameBudget"/> unless the sender adapts it to the link
    /// (<see cref="AdaptiveStreamBudget"/>).
    /// </summary>
    public int FrameBudget { get; set; } = CompleteTerminal.StreamFrameBudget;

    /// <summary>Bytes kept (sent but not yet acknowledged, or not yet sent).</summary>
    public int Length => _end - _start;

    /// <summary>Appends whole, encoded entries.</summary>
    public void Append(ReadOnlySpan<byte> entries)
    {
        if (_buffer.Length - _end < entries.Length)
        {
            int live = Length;
            byte[] target = _buffer;
            if (_buffer.Length - live < entries.Length)
            {
                target = new byte[Math.Max(_buffer.Length * 2, live + entries.Length)];
            }

            Array.Copy(_buffer, _start, target, 0, live);
            _buffer = target;
            _start = 0;
            _end = live;
        }

        entries.CopyTo(_buffer.AsSpan(_end));
        _end += entries.Length;
    }

    /// <summary>Forgets entries before <paramref name="offset"/> (the client holds them).</summary>
    public void DropBefore(ulong offset)
    {
        if (offset <= First)
        {
            return;
        }

        int drop = (int)Math.Min(offset - First, (ulong)Length);
        _start += drop;
        First += (ulong)drop;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>The entries between two offsets (clamped to what is kept).</summary>
    public ReadOnlySpan<byte> Slice(ulong from, ulong to)
    {
        from = Math.Clamp(from, First, End);
        to = Math.Clamp(to, from, End);
        return _buffer.AsSpan(_start + (int)(from - First), (int)(to - from));
    }

    /// <summary>
    /// The furthest entry boundary after <paramref name="from"/> (and at most <paramref name="to"/>) such that the
    /// entries in between take at most <paramref name="budget"/> bytes; at least one entry is always taken.
    /// </summary>
    public ulong CutAt(ulong from, ulong to, int budget)
    {
        ReadOnlySpan<byte> entries = Slice(from, to);
        ulong position = Math.Clamp(from, First, End);
        int taken = 0;
        while (StreamFramesMessage.TryReadEntry(ref entries, out _, out int size))
        {
            if (taken > 0 && taken + size > budget)
            {
                break;
            }

            taken += size;
            position += (ulong)size;
        }

        return position;
    }
}
