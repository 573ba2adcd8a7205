using Mosh.Protobufs;

namespace Mosh.Tests.StateSync;

/// <summary>A copy of an instruction the sender emitted, with its encoding, so it can be inspected or replayed.</summary>
internal sealed record SentInstruction(
    long Time, uint ProtocolVersion, ulong OldNum, ulong NewNum, ulong AckNum, ulong ThrowawayNum, byte[] Diff, byte[] Chaff,
    byte[] Encoded)
{
    public static SentInstruction Capture(long time, in TransportInstruction instruction)
    {
        byte[] encoded = new byte[instruction.ComputeSize()];
        _ = instruction.TryWriteTo(encoded, out _);
        return new SentInstruction(time, instruction.ProtocolVersion, instruction.OldNum, instruction.NewNum,
            instruction.AckNum, instruction.ThrowawayNum, instruction.Diff.ToArray(), instruction.Chaff.ToArray(), encoded);
    }

    public static TransportInstruction Parse(byte[] encoded)
    {
        Assert.That(TransportInstruction.TryParse(encoded, out TransportInstruction instruction), Is.True);
        return instruction;
    }

    public TransportInstruction Parse() => Parse(Encoded);

    public bool IsEmptyAck => Diff.Length == 0;
}
