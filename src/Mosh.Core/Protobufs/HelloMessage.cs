namespace Mosh.Protobufs;

/// <summary>
/// The body of the hello extension (field 40 both ways): <c>Hello { optional uint64 capabilities = 1; }</c>, a set of
/// <see cref="WireCapabilities"/> bits. Bits a reader does not know are kept (a later peer may add them) and ignored.
/// </summary>
internal static class HelloMessage
{
    private const int CapabilitiesField = 1;

    /// <summary>Encoded length is at most this (tag plus a ten-byte varint).</summary>
    public const int MaxSize = 11;

    public static int Write(WireCapabilities capabilities, Span<byte> destination)
    {
        var writer = new ProtoWriter(destination);
        writer.WriteVarintField(CapabilitiesField, (uint)capabilities);
        return writer.Position;
    }

    /// <summary>Reads a hello body; a missing capabilities field reads as none.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out WireCapabilities capabilities)
    {
        capabilities = WireCapabilities.None;
        var reader = new ProtoReader(body);
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                return false;
            }

            if (field == CapabilitiesField && wireType == ProtoWireType.Varint)
            {
                if (!reader.TryReadVarint(out ulong value))
                {
                    return false;
                }

                capabilities = (WireCapabilities)(uint)value;
            }
            else if (!reader.TrySkipField(field, wireType))
            {
                return false;
            }
        }

        return true;
    }
}
