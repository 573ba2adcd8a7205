namespace Mosh.Protobufs;

/// <summary>A validated, encoded <c>HostBuffers.HostMessage</c> (repeated Instruction = 1); see <see cref="RepeatedInstructions{TInstruction}"/>.</summary>
internal readonly ref struct HostMessage
{
    private readonly RepeatedInstructions<HostInstruction> _instructions;

    private HostMessage(RepeatedInstructions<HostInstruction> instructions) => _instructions = instructions;

    public int Count => _instructions.Count;

    public static bool TryParse(ReadOnlySpan<byte> data, out HostMessage message)
    {
        bool valid = RepeatedInstructions<HostInstruction>.TryParse(data, out RepeatedInstructions<HostInstruction> instructions);
        message = new HostMessage(instructions);
        return valid;
    }

    public RepeatedInstructions<HostInstruction>.Enumerator GetEnumerator() => _instructions.GetEnumerator();
}
