namespace Mosh.Protobufs;

/// <summary>
/// Protobuf wire writer into a span the caller has sized with the message's <c>ComputeSize</c>; running out of room
/// is a programming error and throws.
/// </summary>
internal ref struct ProtoWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public ProtoWriter(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteVarint(ulong value)
    {
        Span<byte> destination = _destination;
        int position = _position;
        while (value >= 0x80)
        {
            destination[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[position++] = (byte)value;
        _position = position;
    }

    public void WriteTag(int fieldNumber, ProtoWireType wireType) => WriteVarint(((uint)fieldNumber << 3) | (uint)wireType);

    public void WriteVarintField(int fieldNumber, ulong value)
    {
        WriteTag(fieldNumber, ProtoWireType.Varint);
        WriteVarint(value);
    }

    /// <summary>int32 goes out sign-extended, so negative values take ten bytes as in every protobuf runtime.</summary>
    public void WriteInt32Field(int fieldNumber, int value) => WriteVarintField(fieldNumber, (ulong)(long)value);

    public void WriteBytesField(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteLengthPrefix(fieldNumber, value.Length);
        value.CopyTo(_destination[_position..]);
        _position += value.Length;
    }

    /// <summary>Starts an embedded message whose encoded length is already known.</summary>
    public void WriteLengthPrefix(int fieldNumber, int length)
    {
        WriteTag(fieldNumber, ProtoWireType.LengthDelimited);
        WriteVarint((uint)length);
    }
}
