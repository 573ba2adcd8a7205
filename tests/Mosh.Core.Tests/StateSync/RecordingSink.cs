using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>Keeps every instruction sent, stamped with the fake time it was sent at.</summary>
internal sealed class RecordingSink(FakeClock clock) : IInstructionSink
{
    public List<SentInstruction> Sent { get; } = [];

    public SentInstruction Last => Sent[^1];

    public void Send(in TransportInstruction instruction) => Sent.Add(SentInstruction.Capture(clock.Now, instruction));
}
