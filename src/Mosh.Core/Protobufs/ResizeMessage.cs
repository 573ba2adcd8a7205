namespace Mosh.Protobufs;

/// <summary>
/// Upstream's <c>ResizeMessage { optional int32 width = 5; optional int32 height = 6; }</c>, identical in
/// <c>ClientBuffers</c> and <c>HostBuffers</c>. Absent fields read as 0, as protobuf's getters do.
/// </summary>
internal struct ResizeMessage
{
    private const int WidthField = 5;
    private const int HeightField = 6;

    private int _width;
    private int _height;

    public ResizeMessage(int width, int height)
    {
        Width = width;
        Height = height;
    }

    public int Width
    {
        readonly get => _width;
        set { _width = value; HasWidth = true; }
    }

    public int Height
    {
        readonly get => _height;
        set { _height = value; HasHeight = true; }
    }

    public bool HasWidth { readonly get; private set; }

    public bool HasHeight { readonly get; private set; }

    /// <summary>Merges an encoded message into this one (a repeated embedded message merges, as in protobuf).</summary>
    public bool TryMergeFrom(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                return false;
            }

            if (wireType == ProtoWireType.Varint && field is WidthField or HeightField)
            {
                if (!reader.TryReadVarint(out ulong value))
                {
                    return false;
                }

                // int32 takes the low 32 bits of the (possibly sign-extended) varint.
                if (field == WidthField)
                {
                    Width = (int)value;
                }
                else
                {
                    Height = (int)value;
                }
            }
            else if (!reader.TrySkipField(field, wireType))
            {
                return false;
            }
        }

        return true;
    }

    public readonly int ComputeSize() =>
        (HasWidth ? ProtoSize.Tag(WidthField) + ProtoSize.Int32(_width) : 0)
        + (HasHeight ? ProtoSize.Tag(HeightField) + ProtoSize.Int32(_height) : 0);

    public readonly void WriteTo(ref ProtoWriter writer)
    {
        if (HasWidth)
        {
            writer.WriteInt32Field(WidthField, _width);
        }

        if (HasHeight)
        {
            writer.WriteInt32Field(HeightField, _height);
        }
    }
}
