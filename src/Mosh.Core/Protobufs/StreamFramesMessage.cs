using System.Buffers;

namespace Mosh.Protobufs;

/// <summary>
/// The body of the streams extension (field 43, both directions): <c>StreamFrames { uint64 start = 1; repeated bytes
/// frame = 2; }</c>. Server to client, <c>start</c> is the offset of the first entry in the server's stream log (the
/// entries are a slice of that log); client to server it is absent, as each body is one event of the user stream.
/// </summary>
internal static class StreamFramesMessage
{
    private const int StartField = 1;

    /// <summary>Writes a body: <paramref name="start"/> (if any), then the already encoded entries.</summary>
    public static void Write(ulong? start, ReadOnlySpan<byte> entries, IBufferWriter<byte> output)
    {
        int size = (start is { } s ? ProtoSize.VarintField(StartField, s) : 0) + entries.Length;
        Span<byte> span = output.GetSpan(size);
        var writer = new ProtoWriter(span);
        if (start is { } value)
        {
            writer.WriteVarintField(StartField, value);
        }

        entries.CopyTo(span[writer.Position..]);
        output.Advance(writer.Position + entries.Length);
    }

    /// <summary>
    /// Splits a body into its start (0 when absent) and its entries, which must follow it and be well-formed
    /// <c>frame = 2</c> entries; anything else makes the whole body malformed (it is then ignored).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out ulong start, out ReadOnlySpan<byte> entries)
    {
        start = 0;
        entries = default;
        var reader = new ProtoReader(body);
        int entriesStart = 0;
        if (!reader.IsAtEnd && body[0] == ((StartField << 3) | (int)ProtoWireType.Varint))
        {
            if (!reader.TryReadTag(out _, out _) || !reader.TryReadVarint(out start))
            {
                return false;
            }

            entriesStart = reader.Position;
        }

        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType)
                || field != StreamFrame.EntryField || wireType != ProtoWireType.LengthDelimited
                || !reader.TryReadLengthDelimited(out _))
            {
                return false;
            }
        }

        entries = body[entriesStart..];
        return true;
    }

    /// <summary>Walks validated entries: each frame's content and the size of its whole entry.</summary>
    public static bool TryReadEntry(ref ReadOnlySpan<byte> entries, out ReadOnlySpan<byte> content, out int entrySize)
    {
        content = default;
        entrySize = 0;
        var reader = new ProtoReader(entries);
        if (reader.IsAtEnd || !reader.TryReadTag(out int field, out ProtoWireType wireType)
            || field != StreamFrame.EntryField || wireType != ProtoWireType.LengthDelimited
            || !reader.TryReadLengthDelimited(out content))
        {
            return false;
        }

        entrySize = reader.Position;
        entries = entries[entrySize..];
        return true;
    }
}
