using System.Buffers;
using Mosh.Protobufs;

namespace Mosh.StateSync;

/// <summary>
/// Client side: stream frames received from the server's log (field 43), shared by every copy of the remote state.
/// Whichever state's diff brings an entry first delivers it; an entry the inbox already passed is ignored, so
/// retransmissions and diffs applied to older states never deliver twice. The session drains <see cref="Pending"/>
/// into its stream multiplexer after every receive.
/// </summary>
internal sealed class StreamInbox
{
    /// <summary>Undelivered bytes kept at most: the server's flow control keeps far below it; beyond, entries are dropped.</summary>
    public const int MaxPending = 16 * 1024 * 1024;

    private readonly ArrayBufferWriter<byte> _pending = new(4096);

    /// <summary>Log offset after the newest entry taken in.</summary>
    public ulong End { get; private set; }

    /// <summary>Log bytes skipped (a gap in what arrived, or an overflow); a well-behaved server never causes one.</summary>
    public ulong Missed { get; private set; }

    /// <summary>Entries taken in and not yet drained, in log order.</summary>
    public ReadOnlySpan<byte> Pending => _pending.WrittenSpan;

    public void Clear() => _pending.ResetWrittenCount();

    /// <summary>The log's entries from <paramref name="start"/> arrived; the new ones are kept.</summary>
    public void Offer(ulong start, ReadOnlySpan<byte> entries)
    {
        ReadOnlySpan<byte> all = entries;
        int position = 0;
        ulong offset = start;
        while (StreamFramesMessage.TryReadEntry(ref entries, out _, out int size))
        {
            ulong entryEnd = offset + (ulong)size;
            if (offset >= End)
            {
                Missed += offset - End;
                End = entryEnd;
                if (_pending.WrittenCount + size <= MaxPending)
                {
                    _pending.Write(all.Slice(position, size));
                }
                else
                {
                    Missed += (ulong)size;
                }
            }

            position += size;
            offset = entryEnd;
        }
    }
}
