namespace Mosh.Tests.Protobufs;

/// <summary>A deliberately naive, independent walk over protobuf wire data for test diagnostics.</summary>
internal static class WireScan
{
    /// <summary>
    /// True if some field key (at any group depth, or inside any length-delimited value read as a message) is a
    /// varint whose value needs more than 32 bits.
    /// </summary>
    public static bool HasOverlongKey(ReadOnlySpan<byte> data)
    {
        int pos = 0;
        while (pos < data.Length)
        {
            ulong key = ReadVarint(data, ref pos, out bool ok);
            if (!ok)
            {
                return false;
            }

            if (key > uint.MaxValue)
            {
                return true;
            }

            switch ((int)(key & 7))
            {
                case 0: ReadVarint(data, ref pos, out ok); break;
                case 1: pos += 8; break;
                case 5: pos += 4; break;
                case 2:
                    int length = (int)Math.Min(ReadVarint(data, ref pos, out ok), int.MaxValue / 2);
                    if (ok && length <= data.Length - pos && HasOverlongKey(data.Slice(pos, length)))
                    {
                        return true;
                    }

                    pos += length;
                    break;
                case 3 or 4: break; // group keys: the scan continues with the group's contents
                default: return false;
            }

            if (!ok)
            {
                return false;
            }
        }

        return false;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos, out bool ok)
    {
        ulong result = 0;
        for (int shift = 0; shift < 70 && pos < data.Length; shift += 7)
        {
            byte b = data[pos++];
            result |= shift < 64 ? (ulong)(b & 0x7F) << shift : 0;
            if (b < 0x80)
            {
                ok = true;
                return result;
            }
        }

        ok = false;
        return result;
    }
}
