using System.Buffers;

namespace Mosh.Protobufs;

/// <summary>
/// One element of upstream's <c>HostBuffers.HostMessage</c>: host output (field 2, <c>HostBytes { bytes hoststring
/// = 4 }</c>), a resize (field 3) and/or an echo acknowledgement (field 7, <c>EchoAck { uint64 echo_ack_num = 8 }</c>).
/// A parsed value borrows <see cref="HostString"/> from the input. A <c>HostMessage</c> on the wire is just these
/// instructions encoded one after another.
/// </summary>
internal ref struct HostInstruction : IWireInstruction<HostInstruction>
{
    internal const int InstructionField = 1;
    private const int HostBytesField = 2;
    private const int ResizeField = 3;
    private const int HostStringField = 4;
    private const int EchoAckField = 7;
    private const int EchoAckNumField = 8;

    private ReadOnlySpan<byte> _hostString;
    private ResizeMessage _resize;
    private ulong _echoAckNum;

    public static HostInstruction ForHostBytes(ReadOnlySpan<byte> hostString) => new() { HostString = hostString };

    public static HostInstruction ForResize(int width, int height) => new() { Resize = new ResizeMessage(width, height) };

    public static HostInstruction ForEchoAck(ulong echoAckNum) => new() { EchoAckNum = echoAckNum };

    public bool HasHostBytes { readonly get; set; }

    /// <summary>Terminal output bytes; setting them also marks the host-bytes member present.</summary>
    public ReadOnlySpan<byte> HostString
    {
        readonly get => _hostString;
        set { _hostString = value; HasHostString = true; HasHostBytes = true; }
    }

    public bool HasHostString { readonly get; private set; }

    public bool HasResize { readonly get; set; }

    public ResizeMessage Resize
    {
        readonly get => _resize;
        set { _resize = value; HasResize = true; }
    }

    public bool HasEchoAck { readonly get; set; }

    /// <summary>The echo acknowledgement's frame number; setting it also marks the echo-ack member present.</summary>
    public ulong EchoAckNum
    {
        readonly get => _echoAckNum;
        set { _echoAckNum = value; HasEchoAckNum = true; HasEchoAck = true; }
    }

    public bool HasEchoAckNum { readonly get; private set; }

    /// <summary>An instruction carrying one of our extensions (a length-delimited body in field 40-59).</summary>
    public static HostInstruction ForExtension(int field, ReadOnlySpan<byte> body) => new() { ExtensionField = field, ExtensionBody = body };

    /// <summary>
    /// The extension this instruction carries (<see cref="ExtensionFields"/>), 0 for none. Only the first extension
    /// member of an instruction is kept, as upstream reads an instruction as its first known member.
    /// </summary>
    public int ExtensionField { readonly get; private set; }

    public readonly bool HasExtension => ExtensionField != 0;

    /// <summary>The extension's encoded sub-message (borrowed from the input when parsed).</summary>
    public ReadOnlySpan<byte> ExtensionBody { readonly get; private set; }

    /// <summary>Parses one instruction's content (the bytes inside its field-1 envelope).</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out HostInstruction instruction)
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
            if (wireType == ProtoWireType.LengthDelimited && ExtensionFields.IsExtension(field) && !instruction.HasExtension)
            {
                ok = reader.TryReadLengthDelimited(out ReadOnlySpan<byte> extension);
                instruction.ExtensionField = field;
                instruction.ExtensionBody = extension;
            }
            else if (wireType != ProtoWireType.LengthDelimited || field is not (HostBytesField or ResizeField or EchoAckField))
            {
                ok = reader.TrySkipField(field, wireType);
            }
            else if (!reader.TryReadLengthDelimited(out ReadOnlySpan<byte> body))
            {
                ok = false;
            }
            else if (field == HostBytesField)
            {
                instruction.HasHostBytes = true;
                ok = MergeHostBytes(body, ref instruction);
            }
            else if (field == ResizeField)
            {
                instruction.HasResize = true;
                ok = instruction._resize.TryMergeFrom(body);
            }
            else
            {
                instruction.HasEchoAck = true;
                ok = MergeEchoAck(body, ref instruction);
            }

            if (!ok)
            {
                instruction = default;
                return false;
            }
        }

        return true;
    }

    private static bool MergeHostBytes(ReadOnlySpan<byte> body, ref HostInstruction instruction)
    {
        var reader = new ProtoReader(body);
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                return false;
            }

            if (field == HostStringField && wireType == ProtoWireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out ReadOnlySpan<byte> value))
                {
                    return false;
                }

                instruction.HostString = value;
            }
            else if (!reader.TrySkipField(field, wireType))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MergeEchoAck(ReadOnlySpan<byte> body, ref HostInstruction instruction)
    {
        var reader = new ProtoReader(body);
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                return false;
            }

            if (field == EchoAckNumField && wireType == ProtoWireType.Varint)
            {
                if (!reader.TryReadVarint(out ulong value))
                {
                    return false;
                }

                instruction.EchoAckNum = value;
            }
            else if (!reader.TrySkipField(field, wireType))
            {
                return false;
            }
        }

        return true;
    }

    private readonly int HostBytesSize => HasHostString ? ProtoSize.LengthDelimited(HostStringField, _hostString.Length) : 0;

    private readonly int EchoAckSize => HasEchoAckNum ? ProtoSize.VarintField(EchoAckNumField, _echoAckNum) : 0;

    /// <summary>Length of the instruction's content, without its field-1 envelope.</summary>
    public readonly int ComputeContentSize() =>
        (HasHostBytes ? ProtoSize.LengthDelimited(HostBytesField, HostBytesSize) : 0)
        + (HasResize ? ProtoSize.LengthDelimited(ResizeField, _resize.ComputeSize()) : 0)
        + (HasEchoAck ? ProtoSize.LengthDelimited(EchoAckField, EchoAckSize) : 0)
        + (HasExtension ? ProtoSize.LengthDelimited(ExtensionField, ExtensionBody.Length) : 0);

    /// <summary>Length as an element of a <c>HostMessage</c> (field-1 key, length, content).</summary>
    public readonly int ComputeEncodedSize() => ProtoSize.LengthDelimited(InstructionField, ComputeContentSize());

    /// <summary>Writes the instruction as one element of a <c>HostMessage</c>, members in field-number order.</summary>
    public readonly bool TryWriteTo(Span<byte> destination, out int bytesWritten)
    {
        int contentSize = ComputeContentSize();
        if (ProtoSize.LengthDelimited(InstructionField, contentSize) > destination.Length)
        {
            bytesWritten = 0;
            return false;
        }

        var writer = new ProtoWriter(destination);
        writer.WriteLengthPrefix(InstructionField, contentSize);
        if (HasHostBytes)
        {
            writer.WriteLengthPrefix(HostBytesField, HostBytesSize);
            if (HasHostString)
            {
                writer.WriteBytesField(HostStringField, _hostString);
            }
        }

        if (HasResize)
        {
            writer.WriteLengthPrefix(ResizeField, _resize.ComputeSize());
            _resize.WriteTo(ref writer);
        }

        if (HasEchoAck)
        {
            writer.WriteLengthPrefix(EchoAckField, EchoAckSize);
            if (HasEchoAckNum)
            {
                writer.WriteVarintField(EchoAckNumField, _echoAckNum);
            }
        }

        if (HasExtension)
        {
            writer.WriteBytesField(ExtensionField, ExtensionBody);
        }

        bytesWritten = writer.Position;
        return true;
    }

    public readonly int WriteTo(IBufferWriter<byte> output)
    {
        Span<byte> span = output.GetSpan(ComputeEncodedSize());
        _ = TryWriteTo(span, out int written);
        output.Advance(written);
        return written;
    }
}
