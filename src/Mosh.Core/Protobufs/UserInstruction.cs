using System.Buffers;

namespace Mosh.Protobufs;

/// <summary>
/// One element of upstream's <c>ClientBuffers.UserMessage</c>: an instruction carrying a keystroke (field 2,
/// <c>Keystroke { bytes keys = 4 }</c>) and/or a resize (field 3). A parsed value borrows <see cref="Keys"/> from the
/// input. A <c>UserMessage</c> on the wire is just these instructions encoded one after another.
/// </summary>
internal ref struct UserInstruction : IWireInstruction<UserInstruction>
{
    internal const int InstructionField = 1;
    private const int KeystrokeField = 2;
    private const int ResizeField = 3;
    private const int KeysField = 4;

    private ReadOnlySpan<byte> _keys;
    private ResizeMessage _resize;

    public static UserInstruction ForKeystroke(ReadOnlySpan<byte> keys) => new() { Keys = keys };

    public static UserInstruction ForResize(int width, int height) => new() { Resize = new ResizeMessage(width, height) };

    public bool HasKeystroke { readonly get; set; }

    /// <summary>The keystroke's bytes; setting them also marks the keystroke present.</summary>
    public ReadOnlySpan<byte> Keys
    {
        readonly get => _keys;
        set { _keys = value; HasKeys = true; HasKeystroke = true; }
    }

    public bool HasKeys { readonly get; private set; }

    public bool HasResize { readonly get; set; }

    public ResizeMessage Resize
    {
        readonly get => _resize;
        set { _resize = value; HasResize = true; }
    }

    /// <summary>An instruction carrying one of our extensions (a length-delimited body in field 40-59).</summary>
    public static UserInstruction ForExtension(int field, ReadOnlySpan<byte> body) => new() { ExtensionField = field, ExtensionBody = body };

    /// <summary>
    /// The extension this instruction carries (<see cref="ExtensionFields"/>), 0 for none. Only the first extension
    /// member of an instruction is kept, as upstream reads an instruction as its first known member.
    /// </summary>
    public int ExtensionField { readonly get; private set; }

    public readonly bool HasExtension => ExtensionField != 0;

    /// <summary>The extension's encoded sub-message (borrowed from the input when parsed).</summary>
    public ReadOnlySpan<byte> ExtensionBody { readonly get; private set; }

    /// <summary>Parses one instruction's content (the bytes inside its field-1 envelope).</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out UserInstruction instruction)
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
            else if (wireType != ProtoWireType.LengthDelimited || field is not (KeystrokeField or ResizeField))
            {
                ok = reader.TrySkipField(field, wireType);
            }
            else if (!reader.TryReadLengthDelimited(out ReadOnlySpan<byte> body))
            {
                ok = false;
            }
            else if (field == KeystrokeField)
            {
                instruction.HasKeystroke = true;
                ok = MergeKeystroke(body, ref instruction);
            }
            else
            {
                instruction.HasResize = true;
                ok = instruction._resize.TryMergeFrom(body);
            }

            if (!ok)
            {
                instruction = default;
                return false;
            }
        }

        return true;
    }

    private static bool MergeKeystroke(ReadOnlySpan<byte> body, ref UserInstruction instruction)
    {
        var reader = new ProtoReader(body);
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                return false;
            }

            if (field == KeysField && wireType == ProtoWireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out ReadOnlySpan<byte> keys))
                {
                    return false;
                }

                instruction.Keys = keys;
            }
            else if (!reader.TrySkipField(field, wireType))
            {
                return false;
            }
        }

        return true;
    }

    private readonly int KeystrokeSize => HasKeys ? ProtoSize.LengthDelimited(KeysField, _keys.Length) : 0;

    /// <summary>Length of the instruction's content, without its field-1 envelope.</summary>
    public readonly int ComputeContentSize() =>
        (HasKeystroke ? ProtoSize.LengthDelimited(KeystrokeField, KeystrokeSize) : 0)
        + (HasResize ? ProtoSize.LengthDelimited(ResizeField, _resize.ComputeSize()) : 0)
        + (HasExtension ? ProtoSize.LengthDelimited(ExtensionField, ExtensionBody.Length) : 0);

    /// <summary>Length as an element of a <c>UserMessage</c> (field-1 key, length, content).</summary>
    public readonly int ComputeEncodedSize() => ProtoSize.LengthDelimited(InstructionField, ComputeContentSize());

    /// <summary>Writes the instruction as one element of a <c>UserMessage</c>.</summary>
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
        if (HasKeystroke)
        {
            writer.WriteLengthPrefix(KeystrokeField, KeystrokeSize);
            if (HasKeys)
            {
                writer.WriteBytesField(KeysField, _keys);
            }
        }

        if (HasResize)
        {
            writer.WriteLengthPrefix(ResizeField, _resize.ComputeSize());
            _resize.WriteTo(ref writer);
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
