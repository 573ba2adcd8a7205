namespace Mosh.Protobufs;

/// <summary>
/// A validated, encoded <c>HostBuffers.HostMessage</c> (repeated Instruction = 1). <see cref="TryParse"/> checks
/// the whole message once, so enumerating it afterwards cannot fail; nothing is copied or allocated.
/// </summary>
internal readonly ref struct HostMessage
{
    private readonly ReadOnlySpan<byte> _data;

    private HostMessage(ReadOnlySpan<byte> data, int count)
    {
        _data = data;
        Count = count;
    }

    public int Count { get; }

    public static bool TryParse(ReadOnlySpan<byte> data, out HostMessage message)
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

            if (field == HostInstruction.InstructionField && wireType == ProtoWireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out ReadOnlySpan<byte> body) || !HostInstruction.TryParse(body, out _))
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

        message = new HostMessage(data, count);
        return true;
    }

    public Enumerator GetEnumerator() => new(_data);

    internal ref struct Enumerator
    {
        private ProtoReader _reader;
        private HostInstruction _current;

        internal Enumerator(ReadOnlySpan<byte> validated)
        {
            _reader = new ProtoReader(validated);
            _current = default;
        }

        public readonly HostInstruction Current => _current;

        public bool MoveNext()
        {
            // The message was validated by TryParse, so every read below succeeds.
            while (!_reader.IsAtEnd && _reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                if (field == HostInstruction.InstructionField && wireType == ProtoWireType.LengthDelimited)
                {
                    return _reader.TryReadLengthDelimited(out ReadOnlySpan<byte> body) && HostInstruction.TryParse(body, out _current);
                }

                _ = _reader.TrySkipField(field, wireType);
            }

            return false;
        }
    }
}
