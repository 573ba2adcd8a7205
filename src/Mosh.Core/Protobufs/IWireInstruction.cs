namespace Mosh.Protobufs;

/// <summary>An instruction type that <see cref="RepeatedInstructions{TInstruction}"/> can validate and yield.</summary>
internal interface IWireInstruction<TSelf>
    where TSelf : IWireInstruction<TSelf>, allows ref struct
{
    static abstract bool TryParse(ReadOnlySpan<byte> data, out TSelf instruction);
}
