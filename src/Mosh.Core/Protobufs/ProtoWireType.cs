namespace Mosh.Protobufs;

/// <summary>The low three bits of a protobuf field tag.</summary>
internal enum ProtoWireType : byte
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}
