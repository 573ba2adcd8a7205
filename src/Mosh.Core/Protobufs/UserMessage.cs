namespace Mosh.Protobufs;

/// <summary>A validated, encoded <c>ClientBuffers.UserMessage</c> (repeated Instruction = 1); see <see cref="RepeatedInstructions{TInstruction}"/>.</summary>
internal readonly ref struct UserMessage
{
    private readonly RepeatedInstructions<UserInstruction> _instructions;

    private UserMessage(RepeatedInstructions<UserInstruction> instructions) => _instructions = instructions;

    public int Count => _instructions.Count;

    public static bool TryParse(ReadOnlySpan<byte> data, out UserMessage message)
    {
        bool valid = RepeatedInstructions<UserInstruction>.TryParse(data, out RepeatedInstructions<UserInstruction> instructions);
        message = new UserMessage(instructions);
        return valid;
    }

    public RepeatedInstructions<UserInstruction>.Enumerator GetEnumerator() => _instructions.GetEnumerator();
}
