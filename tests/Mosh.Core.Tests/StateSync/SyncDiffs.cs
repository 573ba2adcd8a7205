using System.Buffers;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>What the state-sync tests look at in a diff: its bytes, and which extension fields a host diff carries.</summary>
internal static class SyncDiffs
{
    public static byte[] Diff<T>(T current, T existing)
        where T : class, ISyncState<T>
    {
        var output = new ArrayBufferWriter<byte>();
        current.DiffFrom(existing, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The extension field numbers of a host diff's instructions, in order.</summary>
    public static List<int> HostExtensionFields(byte[] diff)
    {
        Assert.That(HostMessage.TryParse(diff, out HostMessage message), Is.True);
        var fields = new List<int>();
        foreach (HostInstruction instruction in message)
        {
            if (instruction.HasExtension)
            {
                fields.Add(instruction.ExtensionField);
            }
        }

        return fields;
    }
}
