namespace Mosh.Protobufs;

/// <summary>
/// The body of the clipboard extension (field 44, server to client, capability bit 8): one piece of an OSC 52
/// clipboard too large for upstream's framing.
/// <c>Clipboard { optional uint64 serial = 1; optional uint64 offset = 2; optional uint64 total = 3; optional bytes data = 4; }</c>:
/// bytes <c>offset</c>.. of the UTF-8 contents (the OSC 52 text after <c>52;c;</c>) of the server's clipboard
/// number <c>serial</c>, which is <c>total</c> bytes long.
/// </summary>
internal readonly ref struct ClipboardMessage
{
    private const int SerialField = 1;
    private const int OffsetField = 2;
    private const int TotalField = 3;
    private const int DataField = 4;

    public ClipboardMessage(ulong serial, ulong offset, ulong total, ReadOnlySpan<byte> data)
    {
        Serial = serial;
        Offset = offset;
        Total = total;
        Data = data;
    }

    public ulong Serial { get; }

    public ulong Offset { get; }

    public ulong Total { get; }

    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Encoded size: three varint fields (at most 11 bytes each) and the data field.</summary>
    public int Size => 33 + ProtoSize.LengthDelimited(DataField, Data.Length);

    public int WriteTo(Span<byte> destination)
    {
        var writer = new ProtoWriter(destination);
        writer.WriteVarintField(SerialField, Serial);
        writer.WriteVarintField(OffsetField, Offset);
        writer.WriteVarintField(TotalField, Total);
        writer.WriteBytesField(DataField, Data);
        return writer.Position;
    }

    /// <summary>False for a body that is not a well-formed Clipboard message (the piece is then ignored).</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out ClipboardMessage message)
    {
        message = default;
        ulong serial = 0, offset = 0, total = 0;
        ReadOnlySpan<byte> data = default;
        var reader = new ProtoReader(body);
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                return false;
            }

            bool ok = (field, wireType) switch
            {
                (SerialField, ProtoWireType.Varint) => reader.TryReadVarint(out serial),
                (OffsetField, ProtoWireType.Varint) => reader.TryReadVarint(out offset),
                (TotalField, ProtoWireType.Varint) => reader.TryReadVarint(out total),
                (DataField, ProtoWireType.LengthDelimited) => reader.TryReadLengthDelimited(out data),
                _ => reader.TrySkipField(field, wireType),
            };
            if (!ok)
            {
                return false;
            }
        }

        message = new ClipboardMessage(serial, offset, total, data);
        return true;
    }
}
