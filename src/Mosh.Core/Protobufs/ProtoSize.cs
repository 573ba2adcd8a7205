using System.Numerics;

namespace Mosh.Protobufs;

/// <summary>Encoded sizes, so messages can be measured before they are written into a fixed buffer.</summary>
internal static class ProtoSize
{
    /// <summary>Bytes a base-128 varint of <paramref name="value"/> takes (1..10).</summary>
    public static int Varint(ulong value) => ((BitOperations.Log2(value | 1) * 9) + 73) / 64;

    /// <summary>Protobuf encodes a negative int32 sign-extended to 64 bits, hence 10 bytes.</summary>
    public static int Int32(int value) => Varint((ulong)(long)value);

    public static int Tag(int fieldNumber) => Varint((uint)fieldNumber << 3);

    public static int LengthDelimited(int fieldNumber, int contentLength) =>
        Tag(fieldNumber) + Varint((uint)contentLength) + contentLength;

    public static int VarintField(int fieldNumber, ulong value) => Tag(fieldNumber) + Varint(value);
}
