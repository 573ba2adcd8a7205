namespace Mosh.Protobufs;

/// <summary>
/// The shape shared by upstream's <c>HostBuffers.HostMessage</c> and <c>ClientBuffers.UserMessage</c>: a repeated
/// Instruction in field 1. <see cref="TryParse"/> checks the whole message once, so enumerating it afterwards
/// cannot fail; nothing is copied or allocated.
/// </summary>
internal readonly ref struct RepeatedInstructions<TInstruction>
    where TInstruction : IWireInstruction<TInstruction>, allows ref struct
{
    /// <summary>Field number of <c>repeated Instruction instruction</c> in both messages.</summary>
    public const int InstructionField = 1;

    private readonly ReadOnlySpan<byte> _data;

    private RepeatedInstructions(ReadOnlySpan<byte> data, int count)
    {
        _data = data;
        Count = count;
    }

    public int Count { get; }

    public static bool TryParse(ReadOnlySpan<byte> data, out RepeatedInstructions<TInstruction> message)
    {
        message = default;
        var reader = new ProtoReader(data);
        int count = 0;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                return false;
            }

            if (field == InstructionField && wireType == ProtoWireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out ReadOnlySpan<byte> body) || !TInstruction.TryParse(body, out _))
                {
                    return false;
                }

                count++;
            }
            else if (!reader.TrySkipField(field, wireType))
            {
                return false;
            }
        }

        message = new RepeatedInstructions<TInstruction>(data, count);
        return true;
    }

    public Enumerator GetEnumerator() => new(_data);

    internal ref struct Enumerator
    {
        private ProtoReader _reader;
        private TInstruction _current;

        internal Enumerator(ReadOnlySpan<byte> validated)
        {
            _reader = new ProtoReader(validated);
            _current = default!;
        }

        public readonly TInstruction Current => _current;

        public bool MoveNext()
        {
            // The message was validated by TryParse, so every read below succeeds.
            while (!_reader.IsAtEnd && _reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                if (field == InstructionField && wireType == ProtoWireType.LengthDelimited)
                {
                    return _reader.TryReadLengthDelimited(out ReadOnlySpan<byte> body) && TInstruction.TryParse(body, out _current);
                }

                _ = _reader.TrySkipField(field, wireType);
            }

            return false;
        }
    }
}
