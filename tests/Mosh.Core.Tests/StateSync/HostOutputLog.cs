using System.Buffers;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>
/// A server-to-client state for tests: the host byte strings of every <c>HostBuffers.HostMessage</c> applied, in
/// order, plus the last echo ack and resize. It stands in for the client's copy of the server's terminal (another
/// engineer's work), which is all a transport test against upstream's server needs.
/// </summary>
internal sealed class HostOutputLog : ISyncState<HostOutputLog>
{
    private readonly List<byte> _output = [];

    public ulong EchoAck { get; private set; }

    public (int Width, int Height)? LastResize { get; private set; }

    public string Text => System.Text.Encoding.UTF8.GetString(_output.ToArray());

    /// <summary>The "server" side writes output (a test's stand-in for its terminal changing).</summary>
    public void Append(ReadOnlySpan<byte> hostBytes) => _output.AddRange(hostBytes);

    public HostOutputLog Clone()
    {
        var copy = new HostOutputLog { EchoAck = EchoAck, LastResize = LastResize };
        copy._output.AddRange(_output);
        return copy;
    }

    public void DiffFrom(HostOutputLog existing, IBufferWriter<byte> output)
    {
        if (EchoAck != existing.EchoAck)
        {
            _ = HostInstruction.ForEchoAck(EchoAck).WriteTo(output);
        }

        if (_output.Count > existing._output.Count)
        {
            _ = HostInstruction.ForHostBytes(_output.ToArray().AsSpan(existing._output.Count)).WriteTo(output);
        }
    }

    public void InitDiff(IBufferWriter<byte> output) => DiffFrom(new HostOutputLog(), output);

    public bool TryApply(ReadOnlySpan<byte> diff)
    {
        if (!HostMessage.TryParse(diff, out HostMessage message))
        {
            return false;
        }

        foreach (HostInstruction instruction in message)
        {
            if (instruction.HasHostBytes)
            {
                _output.AddRange(instruction.HostString);
            }

            if (instruction.HasResize)
            {
                LastResize = (instruction.Resize.Width, instruction.Resize.Height);
            }

            if (instruction.HasEchoAck)
            {
                EchoAck = instruction.EchoAckNum;
            }
        }

        return true;
    }

    /// <summary>A screen has no history to cut.</summary>
    public void Subtract(HostOutputLog prefix)
    {
    }

    public bool Equals(HostOutputLog? other) =>
        other is not null && EchoAck == other.EchoAck && LastResize == other.LastResize
        && System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_output).SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(other._output));

    public override bool Equals(object? obj) => obj is HostOutputLog other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(EchoAck, _output.Count);
}
