using System.Buffers;

namespace Mosh.Protobufs;

/// <summary>What a <see cref="StreamFrame"/> does to its stream.</summary>
internal enum StreamFrameKind : uint
{
    /// <summary>
    /// Opens a stream. From the client: the data is the target ("host:port", UTF-8) the server connects to. From the
    /// server: the value is the number of the client's listener (<see cref="Listen"/>) the connection came in on; the
    /// client connects where its own request for that number says, never where the server says.
    /// </summary>
    Open = 1,

    /// <summary>The next bytes of the stream, in order.</summary>
    Data = 2,

    /// <summary>The sender will send no more data (TCP half-close).</summary>
    Close = 3,

    /// <summary>The stream is gone in both directions; the data is a human-readable reason (may be empty).</summary>
    Reset = 4,

    /// <summary>Flow control: the value is how many data bytes the sender of the frame has consumed so far.</summary>
    Window = 5,

    /// <summary>
    /// A listener, not a stream: the id is a listener number the client chose. Client to server: listen on the data
    /// ("bind_address:port", <c>-R</c>) or serve the session's agent socket (data "agent", <c>-A</c>); the server's
    /// Opens for that listener carry the number as their value. Server to client: the answer, the data empty when
    /// listening, otherwise why not.
    /// </summary>
    Listen = 6,

    /// <summary>
    /// Client to server, once per client: its Listen requests are all sent (the id is 1 and means nothing). A
    /// server holds connections to the agent socket until it knows whether this client asks for them.
    /// </summary>
    ListenEnd = 7,
}

/// <summary>
/// One frame of the streams extension (field 43): <c>StreamFrame { uint32 id = 1; uint32 kind = 2; bytes data = 3;
/// uint64 value = 4; }</c>. Inside a StreamFrames body every frame is one <c>bytes frame = 2</c> entry, so a
/// run of entries can be copied, cut and concatenated without re-encoding (doc/protocol-extensions.md).
/// </summary>
internal readonly ref struct StreamFrame
{
    /// <summary>The field of a frame entry inside a StreamFrames body.</summary>
    public const int EntryField = 2;

    private const int IdField = 1;
    private const int KindField = 2;
    private const int DataField = 3;
    private const int ValueField = 4;

    public StreamFrame(uint id, StreamFrameKind kind, ReadOnlySpan<byte> data = default, ulong value = 0)
    {
        Id = id;
        Kind = kind;
        Data = data;
        Value = value;
    }

    public uint Id { get; }

    public StreamFrameKind Kind { get; }

    public ReadOnlySpan<byte> Data { get; }

    public ulong Value { get; }

    private int ContentSize =>
        ProtoSize.VarintField(IdField, Id) + ProtoSize.VarintField(KindField, (uint)Kind)
        + (Data.IsEmpty ? 0 : ProtoSize.LengthDelimited(DataField, Data.Length))
        + (Value == 0 ? 0 : ProtoSize.VarintField(ValueField, Value));

    /// <summary>Size of the frame as an entry of a StreamFrames body.</summary>
    public int EntrySize => ProtoSize.LengthDelimited(EntryField, ContentSize);

    /// <summary>Writes the frame as one <c>frame = 2</c> entry.</summary>
    public void WriteEntry(IBufferWriter<byte> output)
    {
        int size = EntrySize;
        var writer = new ProtoWriter(output.GetSpan(size));
        writer.WriteLengthPrefix(EntryField, ContentSize);
        writer.WriteVarintField(IdField, Id);
        writer.WriteVarintField(KindField, (uint)Kind);
        if (!Data.IsEmpty)
        {
            writer.WriteBytesField(DataField, Data);
        }

        if (Value != 0)
        {
            writer.WriteVarintField(ValueField, Value);
        }

        output.Advance(writer.Position);
    }

    /// <summary>Parses a frame's content (inside its entry); false for malformed input or an unknown kind.</summary>
    public static bool TryParse(ReadOnlySpan<byte> content, out StreamFrame frame)
    {
        frame = default;
        var reader = new ProtoReader(content);
        ulong id = 0, kind = 0, value = 0;
        ReadOnlySpan<byte> data = default;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                return false;
            }

            bool ok = (field, wireType) switch
            {
                (IdField, ProtoWireType.Varint) => reader.TryReadVarint(out id),
                (KindField, ProtoWireType.Varint) => reader.TryReadVarint(out kind),
                (ValueField, ProtoWireType.Varint) => reader.TryReadVarint(out value),
                (DataField, ProtoWireType.LengthDelimited) => reader.TryReadLengthDelimited(out data),
                _ => reader.TrySkipField(field, wireType),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (id is 0 or > uint.MaxValue || kind is < (ulong)StreamFrameKind.Open or > (ulong)StreamFrameKind.ListenEnd)
        {
            return false;
        }

        frame = new StreamFrame((uint)id, (StreamFrameKind)kind, data, value);
        return true;
    }
}
