using System.Buffers.Binary;

namespace Mosh.Network;

/// <summary>
/// One transport fragment: <c>[u64 BE instruction id][u16 BE: bit 15 final, bits 0..14 number][contents]</c>.
/// A parsed fragment borrows its contents from the datagram.
/// </summary>
internal readonly ref struct Fragment
{
    public const int HeaderLength = NetworkConstants.FRAG_HEADER_LEN;
    private const ushort FinalFlag = 0x8000;

    public Fragment(ulong instructionId, ushort fragmentNumber, bool isFinal, ReadOnlySpan<byte> contents)
    {
        InstructionId = instructionId;
        FragmentNumber = fragmentNumber;
        IsFinal = isFinal;
        Contents = contents;
    }

    public ulong InstructionId { get; }

    /// <summary>0..0x7FFF.</summary>
    public ushort FragmentNumber { get; }

    public bool IsFinal { get; }

    public ReadOnlySpan<byte> Contents { get; }

    public int EncodedLength => HeaderLength + Contents.Length;

    /// <summary>False if the payload is shorter than the header (upstream would abort on it).</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out Fragment fragment)
    {
        if (payload.Length < HeaderLength)
        {
            fragment = default;
            return false;
        }

        ushort combined = BinaryPrimitives.ReadUInt16BigEndian(payload[8..]);
        fragment = new Fragment(
            BinaryPrimitives.ReadUInt64BigEndian(payload),
            (ushort)(combined & ~FinalFlag),
            (combined & FinalFlag) != 0,
            payload[HeaderLength..]);
        return true;
    }

    public static void WriteHeader(Span<byte> destination, ulong instructionId, ushort fragmentNumber, bool isFinal)
    {
        if (fragmentNumber >= NetworkConstants.MAX_FRAGMENTS)
        {
            throw new ArgumentOutOfRangeException(nameof(fragmentNumber), "fragment numbers are 15 bits");
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, instructionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], (ushort)(fragmentNumber | (isFinal ? FinalFlag : 0)));
    }

    /// <summary>Writes header and contents; returns the bytes written.</summary>
    public int WriteTo(Span<byte> destination)
    {
        WriteHeader(destination, InstructionId, FragmentNumber, IsFinal);
        Contents.CopyTo(destination[HeaderLength..]);
        return EncodedLength;
    }
}
