using System.Buffers;

namespace Mosh.Protobufs;

/// <summary>
/// The body of the history extension (field 41, server to client):
/// <c>History { optional uint64 first = 1; repeated bytes line = 2; optional bool alternate_screen = 3; }</c>,
/// consecutive scrollback lines numbered absolutely from <c>first</c>, and whether the server's terminal shows its
/// alternate screen (doc/protocol-extensions.md).
/// </summary>
internal readonly ref struct HistoryMessage
{
    private const int FirstField = 1;
    private const int LineField = 2;
    private const int AlternateScreenField = 3;

    private readonly ReadOnlySpan<byte> _body;

    private HistoryMessage(ReadOnlySpan<byte> body, ulong first, int count, bool? alternateScreen)
    {
        _body = body;
        First = first;
        Count = count;
        AlternateScreen = alternateScreen;
    }

    /// <summary>Absolute number of the first line.</summary>
    public ulong First { get; }

    public int Count { get; }

    /// <summary>Whether the server shows its alternate screen; null when the body does not say (nothing changes).</summary>
    public bool? AlternateScreen { get; }

    /// <summary>Writes the start of a body (the first line's number); add lines with <see cref="WriteLine"/>.</summary>
    public static void WriteFirst(ulong first, IBufferWriter<byte> output)
    {
        Span<byte> span = output.GetSpan(ProtoSize.VarintField(FirstField, first));
        var writer = new ProtoWriter(span);
        writer.WriteVarintField(FirstField, first);
        output.Advance(writer.Position);
    }

    /// <summary>Writes which screen the server's terminal shows (our server puts it in every body, after the lines).</summary>
    public static void WriteAlternateScreen(bool alternate, IBufferWriter<byte> output)
    {
        Span<byte> span = output.GetSpan(ProtoSize.VarintField(AlternateScreenField, 1));
        var writer = new ProtoWriter(span);
        writer.WriteVarintField(AlternateScreenField, alternate ? 1UL : 0UL);
        output.Advance(writer.Position);
    }

    /// <summary>Encoded size of one line in the body.</summary>
    public static int LineSize(int length) => ProtoSize.LengthDelimited(LineField, length);

    public static void WriteLine(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
    {
        Span<byte> span = output.GetSpan(LineSize(line.Length));
        var writer = new ProtoWriter(span);
        writer.WriteBytesField(LineField, line);
        output.Advance(writer.Position);
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out HistoryMessage message)
    {
        message = default;
        var reader = new ProtoReader(body);
        ulong first = 0;
        int count = 0;
        bool? alternateScreen = null;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                return false;
            }

            if (field == FirstField && wireType == ProtoWireType.Varint)
            {
                if (!reader.TryReadVarint(out first))
                {
                    return false;
                }
            }
            else if (field == LineField && wireType == ProtoWireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out _))
                {
                    return false;
                }

                count++;
            }
            else if (field == AlternateScreenField && wireType == ProtoWireType.Varint)
            {
                if (!reader.TryReadVarint(out ulong alternate))
                {
                    return false;
                }

                alternateScreen = alternate != 0;
            }
            else if (!reader.TrySkipField(field, wireType))
            {
                return false;
            }
        }

        message = new HistoryMessage(body, first, count, alternateScreen);
        return true;
    }

    public Enumerator GetEnumerator() => new(_body);

    /// <summary>The lines in order (the body was validated by <see cref="TryParse"/>).</summary>
    internal ref struct Enumerator
    {
        private ProtoReader _reader;

        internal Enumerator(ReadOnlySpan<byte> body)
        {
            _reader = new ProtoReader(body);
            Current = default;
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public bool MoveNext()
        {
            while (!_reader.IsAtEnd && _reader.TryReadTag(out int field, out ProtoWireType wireType))
            {
                if (field == LineField && wireType == ProtoWireType.LengthDelimited)
                {
                    bool ok = _reader.TryReadLengthDelimited(out ReadOnlySpan<byte> line);
                    Current = line;
                    return ok;
                }

                _ = _reader.TrySkipField(field, wireType);
            }

            return false;
        }
    }
}
