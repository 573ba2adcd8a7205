using Mosh.Protobufs;

namespace Mosh.StateSync;

/// <summary>
/// Where the sender's instructions go: in the product, serialisation, zlib, fragmentation and the connection; in
/// tests, a simulated network. The instruction's spans are only valid during the call.
/// </summary>
internal interface IInstructionSink
{
    void Send(in TransportInstruction instruction);
}
