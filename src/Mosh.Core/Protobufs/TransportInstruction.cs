using System.Buffers;

namespace Mosh.Protobufs;

/// <summary>
/// Upstream's <c>TransportBuffers.Instruction</c> (transportinstruction.proto): one state-sync step. A parsed value
/// borrows <see cref="Diff"/> and <see cref="Chaff"/> from the input span, so parsing copies nothing. Encoding writes
/// the present fields in field-number order, exactly as upstream's protobuf-lite does.
/// </summary>
internal ref struct TransportInstruction
{
    private const int ProtocolVersionField = 1;
    private const int OldNumField = 2;
    private const int NewNumField = 3;
    private const int AckNumField = 4;
    private const int ThrowawayNumField = 5;
    private const int DiffField = 6;
    private const int ChaffField = 7;

    [Flags]
    private enum Presence : byte
    {
        None = 0,
        ProtocolVersion = 1 << 0,
        OldNum = 1 << 1,
        NewNum = 1 << 2,
        AckNum = 1 << 3,
        ThrowawayNum = 1 << 4,
        Diff = 1 << 5,
        Chaff = 1 << 6,
    }

    private Presence _present;
    private uint _protocolVersion;
    private ulong _oldNum;
    private ulong _newNum;
    private ulong _ackNum;
    private ulong _throwawayNum;
    private ReadOnlySpan<byte> _diff;
    private ReadOnlySpan<byte> _chaff;

    public uint ProtocolVersion
    {
        readonly get => _protocolVersion;
        set { _protocolVersion = value; _present |= Presence.ProtocolVersion; }
    }

    public ulong OldNum
    {
        readonly get => _oldNum;
        set { _oldNum = value; _present |= Presence.OldNum; }
    }

    public ulong NewNum
    {
        readonly get => _newNum;
        set { _newNum = value; _present |= Presence.NewNum; }
    }

    public ulong AckNum
    {
        readonly get => _ackNum;
        set { _ackNum = value; _present |= Presence.AckNum; }
    }

    public ulong ThrowawayNum
    {
        readonly get => _throwawayNum;
        set { _throwawayNum = value; _present |= Presence.ThrowawayNum; }
    }

    public ReadOnlySpan<byte> Diff
    {
        readonly get => _diff;
        set { _diff = value; _present |= Presence.Diff; }
    }

    public ReadOnlySpan<byte> Chaff
    {
        readonly get => _chaff;
        set { _chaff = value; _present |= Presence.Chaff; }
    }

    public readonly bool HasProtocolVersion => (_present & Presence.ProtocolVersion) != 0;
    public readonly bool HasOldNum => (_present & Presence.OldNum) != 0;
    public readonly bool HasNewNum => (_present & Presence.NewNum) != 0;
    public readonly bool HasAckNum => (_present & Presence.AckNum) != 0;
    public readonly bool HasThrowawayNum => (_present & Presence.ThrowawayNum) != 0;
    public readonly bool HasDiff => (_present & Presence.Diff) != 0;
    public readonly bool HasChaff => (_present & Presence.Chaff) != 0;

    /// <summary>
    /// Parses an encoded instruction. Unknown fields (any wire type) and known fields with an unexpected wire type
    /// are skipped as protobuf does; a repeated scalar keeps its last value. Returns false on malformed input.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out TransportInstruction instruction)
    {
        instruction = default;
        var reader = new ProtoReader(data);
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                return false;
            }

            bool ok;
            if (wireType == ProtoWireType.Varint && field is >= ProtocolVersionField and <= ThrowawayNumField)
            {
                ok = reader.TryReadVarint(out ulong value);
                switch (field)
                {
                    case ProtocolVersionField: instruction.ProtocolVersion = (uint)value; break; // uint32 keeps the low bits
                    case OldNumField: instruction.OldNum = value; break;
                    case NewNumField: instruction.NewNum = value; break;
                    case AckNumField: instruction.AckNum = value; break;
                    default: instruction.ThrowawayNum = value; break;
                }
            }
            else if (wireType == ProtoWireType.LengthDelimited && field is DiffField or ChaffField)
            {
                ok = reader.TryReadLengthDelimited(out ReadOnlySpan<byte> value);
                if (field == DiffField)
                {
                    instruction.Diff = value;
                }
                else
                {
                    instruction.Chaff = value;
                }
            }
            else
            {
                ok = reader.TrySkipField(field, wireType);
            }

            if (!ok)
            {
                instruction = default;
                return false;
            }
        }

        return true;
    }

    /// <summary>Exact encoded length of the present fields.</summary>
    public readonly int ComputeSize()
    {
        int size = 0;
        if (HasProtocolVersion) size += ProtoSize.VarintField(ProtocolVersionField, _protocolVersion);
        if (HasOldNum) size += ProtoSize.VarintField(OldNumField, _oldNum);
        if (HasNewNum) size += ProtoSize.VarintField(NewNumField, _newNum);
        if (HasAckNum) size += ProtoSize.VarintField(AckNumField, _ackNum);
        if (HasThrowawayNum) size += ProtoSize.VarintField(ThrowawayNumField, _throwawayNum);
        if (HasDiff) size += ProtoSize.LengthDelimited(DiffField, _diff.Length);
        if (HasChaff) size += ProtoSize.LengthDelimited(ChaffField, _chaff.Length);
        return size;
    }

    /// <summary>Encodes into <paramref name="destination"/>; false (nothing promised written) if it is too small.</summary>
    public readonly bool TryWriteTo(Span<byte> destination, out int bytesWritten)
    {
        int size = ComputeSize();
        if (size > destination.Length)
        {
            bytesWritten = 0;
            return false;
        }

        var writer = new ProtoWriter(destination);
        if (HasProtocolVersion) writer.WriteVarintField(ProtocolVersionField, _protocolVersion);
        if (HasOldNum) writer.WriteVarintField(OldNumField, _oldNum);
        if (HasNewNum) writer.WriteVarintField(NewNumField, _newNum);
        if (HasAckNum) writer.WriteVarintField(AckNumField, _ackNum);
        if (HasThrowawayNum) writer.WriteVarintField(ThrowawayNumField, _throwawayNum);
        if (HasDiff) writer.WriteBytesField(DiffField, _diff);
        if (HasChaff) writer.WriteBytesField(ChaffField, _chaff);
        bytesWritten = writer.Position;
        return true;
    }

    /// <summary>Encodes into a buffer writer and returns the number of bytes written.</summary>
    public readonly int WriteTo(IBufferWriter<byte> output)
    {
        int size = ComputeSize();
        Span<byte> span = output.GetSpan(size);
        _ = TryWriteTo(span, out int written);
        output.Advance(written);
        return written;
    }
}
