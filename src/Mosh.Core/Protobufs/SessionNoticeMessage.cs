namespace Mosh.Protobufs;

/// <summary>What a session tells its client beyond the screen (field 42, capability bit 2).</summary>
internal enum SessionNoticeKind : uint
{
    None = 0,

    /// <summary>Another client attached to the session (<c>mosh-server attach</c>); this one is being shut down.</summary>
    TakenOver = 1,
}

/// <summary>
/// The body of the session-notice extension (field 42, server to client): <c>SessionNotice { optional uint32 kind = 1; }</c>.
/// A kind the reader does not know is kept as a number and shown as nothing.
/// </summary>
internal static class SessionNoticeMessage
{
    private const int KindField = 1;

    /// <summary>Encoded length is at most this (tag plus a five-byte varint).</summary>
    public const int MaxSize = 6;

    public static int Write(SessionNoticeKind kind, Span<byte> destination)
    {
        var writer = new ProtoWriter(destination);
        writer.WriteVarintField(KindField, (uint)kind);
        return writer.Position;
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out SessionNoticeKind kind)
    {
        kind = SessionNoticeKind.None;
        var reader = new ProtoReader(body);
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                return false;
            }

            if (field == KindField && wireType == ProtoWireType.Varint)
            {
                if (!reader.TryReadVarint(out ulong value))
                {
                    return false;
                }

                kind = (SessionNoticeKind)(uint)value;
            }
            else if (!reader.TrySkipField(field, wireType))
            {
                return false;
            }
        }

        return true;
    }
}
