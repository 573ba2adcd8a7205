namespace Mosh.Protobufs;

/// <summary>
/// Forward-only protobuf wire reader over a span. Every method reports truncated or malformed input by returning
/// false (never by throwing), so a hostile datagram can only ever be dropped.
/// </summary>
internal ref struct ProtoReader
{
    /// <summary>Same nesting limit as protobuf's default recursion limit; only unknown groups can nest here.</summary>
    private const int MaxGroupDepth = 100;

    private const int MaxVarintBytes = 10;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly bool IsAtEnd => _position >= _data.Length;

    public readonly int Position => _position;

    public bool TryReadVarint(out ulong value)
    {
        ReadOnlySpan<byte> data = _data;
        int position = _position;
        if ((uint)position < (uint)data.Length && data[position] < 0x80)
        {
            value = data[position];
            _position = position + 1;
            return true;
        }

        ulong result = 0;
        for (int i = 0; i < MaxVarintBytes; i++, position++)
        {
            if ((uint)position >= (uint)data.Length)
            {
                break;
            }

            byte b = data[position];
            result |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                _position = position + 1;
                value = result;
                return true;
            }
        }

        // Truncated, or an eleventh byte would be needed: both are malformed.
        value = 0;
        return false;
    }

    /// <summary>Reads a field key. Field number 0, numbers beyond 2^29-1 and wire types 6/7 are malformed.</summary>
    public bool TryReadTag(out int fieldNumber, out ProtoWireType wireType)
    {
        if (!TryReadVarint(out ulong key) || key > uint.MaxValue)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        fieldNumber = (int)(key >> 3);
        uint type = (uint)key & 7;
        wireType = (ProtoWireType)type;
        return fieldNumber != 0 && type <= (uint)ProtoWireType.Fixed32;
    }

    public bool TryReadLengthDelimited(out ReadOnlySpan<byte> value)
    {
        if (!TryReadVarint(out ulong length) || length > (ulong)(_data.Length - _position))
        {
            value = default;
            return false;
        }

        value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return true;
    }

    private bool TryAdvance(int count)
    {
        if (_data.Length - _position < count)
        {
            return false;
        }

        _position += count;
        return true;
    }

    /// <summary>Skips the value of a field whose key has just been read (any wire type, groups included).</summary>
    public bool TrySkipField(int fieldNumber, ProtoWireType wireType) => TrySkipField(fieldNumber, wireType, 0);

    private bool TrySkipField(int fieldNumber, ProtoWireType wireType, int depth)
    {
        switch (wireType)
        {
            case ProtoWireType.Varint:
                return TryReadVarint(out _);
            case ProtoWireType.Fixed64:
                return TryAdvance(8);
            case ProtoWireType.Fixed32:
                return TryAdvance(4);
            case ProtoWireType.LengthDelimited:
                return TryReadLengthDelimited(out _);
            case ProtoWireType.StartGroup:
                if (depth >= MaxGroupDepth)
                {
                    return false;
                }

                while (TryReadTag(out int innerField, out ProtoWireType innerType))
                {
                    if (innerType == ProtoWireType.EndGroup)
                    {
                        return innerField == fieldNumber;
                    }

                    if (!TrySkipField(innerField, innerType, depth + 1))
                    {
                        return false;
                    }
                }

                return false;
            default:
                // An end-group key without its start group.
                return false;
        }
    }
}
