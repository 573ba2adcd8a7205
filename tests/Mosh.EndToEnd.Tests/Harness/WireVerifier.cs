using System.Collections.Concurrent;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.EndToEnd.Harness;

/// <summary>
/// A <see cref="UdpRelay"/> inspector that checks every datagram of a live session against OUR wire code, with
/// the session key from MOSH CONNECT: it opens the datagram (CryptoSession), seals the plaintext again under the
/// same nonce and requires the identical datagram; it reassembles the fragments (our FragmentAssembly, which
/// also decompresses and parses the TransportBuffers.Instruction) and requires our encoding of that instruction
/// to equal the decompressed bytes; it parses the diff as a UserMessage (toward the server) or HostMessage
/// (toward the client) and requires our encoding of it to equal the diff. Any difference is a mismatch. It also
/// counts, per direction and field number, the instructions carrying one of our protocol extensions (fields 40-59,
/// doc/protocol-extensions.md), so a test can prove an upstream peer never receives one. Stream frames (field 43)
/// are opened further: the body must parse, every entry must be a frame our encoder writes byte for byte, and the
/// frames are counted per kind.
/// </summary>
internal sealed class WireVerifier : IDisposable
{
    private const int MaxRecordedMismatches = 20;

    private readonly CryptoSession opener;
    private readonly CryptoSession sealer;
    private readonly DirectionState[] directions = [new(), new()];
    private readonly ConcurrentQueue<string> mismatches = new();
    private readonly byte[] plaintext = new byte[NetworkConstants.RECEIVE_MTU];
    private readonly byte[] resealed = new byte[NetworkConstants.RECEIVE_MTU + CryptoSession.Overhead];
    private long mismatchCount;

    public WireVerifier(string key)
    {
        SessionKey sessionKey = SessionKey.Parse(key);
        opener = new CryptoSession(sessionKey);
        sealer = new CryptoSession(sessionKey);
    }

    /// <summary>Datagrams that opened and resealed byte for byte, per direction.</summary>
    public long DatagramsChecked(RelayDirection direction) => Interlocked.Read(ref directions[(int)direction].Datagrams);

    /// <summary>Instructions reassembled, decompressed, parsed and re-encoded identically (diff included).</summary>
    public long InstructionsChecked(RelayDirection direction) => Interlocked.Read(ref directions[(int)direction].Instructions);

    /// <summary>Checked instructions that came in more than one fragment.</summary>
    public long MultiFragmentInstructions(RelayDirection direction) => Interlocked.Read(ref directions[(int)direction].MultiFragment);

    /// <summary>Non-empty diffs checked (keystrokes, resizes, host bytes, echo acks).</summary>
    public long DiffsChecked(RelayDirection direction) => Interlocked.Read(ref directions[(int)direction].Diffs);

    /// <summary>Instructions (inside diffs) that carried an extension field (40-59) in this direction.</summary>
    public long ExtensionInstructions(RelayDirection direction) => Interlocked.Read(ref directions[(int)direction].Extensions);

    /// <summary>Of those, how many carried field <paramref name="field"/>.</summary>
    public long ExtensionInstructions(RelayDirection direction, int field)
    {
        lock (directions[(int)direction].ExtensionFields)
        {
            return directions[(int)direction].ExtensionFields.GetValueOrDefault(field);
        }
    }

    /// <summary>Stream frames of <paramref name="kind"/> seen in field 43 bodies (retransmissions count again).</summary>
    public long StreamFrames(RelayDirection direction, StreamFrameKind kind)
    {
        lock (directions[(int)direction].StreamFrameKinds)
        {
            return directions[(int)direction].StreamFrameKinds.GetValueOrDefault(kind);
        }
    }

    public long MismatchCount => Interlocked.Read(ref mismatchCount);

    /// <summary>The first mismatches, described.</summary>
    public IReadOnlyCollection<string> Mismatches => mismatches;

    /// <summary>The <see cref="RelayInspector"/>: runs on the relay thread.</summary>
    public void Inspect(RelayDirection direction, ReadOnlySpan<byte> datagram)
    {
        DirectionState state = directions[(int)direction];
        if (!opener.TryOpen(datagram, plaintext, out ulong nonce, out int length))
        {
            Mismatch(direction, $"a {datagram.Length}-byte datagram did not open with the session key");
            return;
        }
        if (NonceLayout.IsTowardClient(nonce) != (direction == RelayDirection.ToClient))
        {
            Mismatch(direction, $"nonce {nonce:x16} has the wrong direction bit");
        }
        int sealedLength = sealer.Seal(nonce, plaintext.AsSpan(0, length), resealed);
        if (!resealed.AsSpan(0, sealedLength).SequenceEqual(datagram))
        {
            Mismatch(direction, $"resealing seq {NonceLayout.Sequence(nonce)} gave different bytes");
            return;
        }
        Interlocked.Increment(ref state.Datagrams);

        // [u16 timestamp][u16 timestamp reply][fragment]
        if (length < 4 || !Fragment.TryParse(plaintext.AsSpan(4, length - 4), out Fragment fragment))
        {
            Mismatch(direction, "plaintext too short for timestamps and a fragment header");
            return;
        }
        bool ourComplete = state.Assembly.Add(fragment);
        byte[]? compressed = state.AddRaw(fragment);
        if (ourComplete != (compressed is not null))
        {
            Mismatch(direction, $"our FragmentAssembly says complete={ourComplete} for instruction {fragment.InstructionId} fragment {fragment.FragmentNumber}, a plain reassembly disagrees");
            return;
        }
        if (compressed is not null)
        {
            CheckInstruction(direction, state, compressed);
        }
    }

    private void CheckInstruction(RelayDirection direction, DirectionState state, byte[] compressed)
    {
        // Ours: FragmentAssembly concatenates and decompresses. Beside it, a plain concatenation through a
        // separate zlib stream must give the same bytes.
        if (!state.Assembly.TryTakeSerializedInstruction(out ReadOnlySpan<byte> serialized))
        {
            Mismatch(direction, "our FragmentAssembly could not decompress a complete instruction");
            return;
        }
        byte[] decompressed = serialized.ToArray();
        if (!state.RawCompressor.TryDecompress(compressed, out ReadOnlySpan<byte> plain) || !plain.SequenceEqual(decompressed))
        {
            Mismatch(direction, "our reassembled, decompressed instruction differs from a plain reassembly");
            return;
        }
        if (!TransportInstruction.TryParse(decompressed, out TransportInstruction instruction))
        {
            Mismatch(direction, "the instruction does not parse: " + Convert.ToHexString(decompressed));
            return;
        }
        if (instruction.ProtocolVersion != NetworkConstants.MOSH_PROTOCOL_VERSION)
        {
            Mismatch(direction, $"protocol version {instruction.ProtocolVersion}");
        }
        byte[] encoded = new byte[instruction.ComputeSize()];
        if (!instruction.TryWriteTo(encoded, out int written) || !encoded.AsSpan(0, written).SequenceEqual(decompressed))
        {
            Mismatch(direction, $"our encoding of instruction new_num {instruction.NewNum} differs from upstream's: {Convert.ToHexString(decompressed)} vs {Convert.ToHexString(encoded.AsSpan(0, written))}");
            return;
        }
        ReadOnlySpan<byte> diff = instruction.Diff;
        string? diffProblem = direction == RelayDirection.ToServer ? ReencodeUserMessage(diff, state) : ReencodeHostMessage(diff, state);
        if (diffProblem is not null)
        {
            Mismatch(direction, $"diff of new_num {instruction.NewNum}: {diffProblem}");
            return;
        }
        if (state.LastFragmentCount > 1)
        {
            Interlocked.Increment(ref state.MultiFragment);
        }
        if (!diff.IsEmpty)
        {
            Interlocked.Increment(ref state.Diffs);
        }
        Interlocked.Increment(ref state.Instructions);
    }

    private static string? ReencodeUserMessage(ReadOnlySpan<byte> diff, DirectionState state)
    {
        if (!UserMessage.TryParse(diff, out UserMessage message))
        {
            return "does not parse as a UserMessage: " + Convert.ToHexString(diff);
        }
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (UserInstruction instruction in message)
        {
            instruction.WriteTo(output);
            state.CountExtension(instruction.ExtensionField);
            if (instruction.ExtensionField == ExtensionFields.StreamFrames && CheckStreamFrames(instruction.ExtensionBody, state) is { } problem)
            {
                return problem;
            }
        }
        return output.WrittenSpan.SequenceEqual(diff) ? null : $"UserMessage re-encodes as {Convert.ToHexString(output.WrittenSpan)}, upstream sent {Convert.ToHexString(diff)}";
    }

    private static string? ReencodeHostMessage(ReadOnlySpan<byte> diff, DirectionState state)
    {
        if (!HostMessage.TryParse(diff, out HostMessage message))
        {
            return "does not parse as a HostMessage: " + Convert.ToHexString(diff);
        }
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (HostInstruction instruction in message)
        {
            instruction.WriteTo(output);
            state.CountExtension(instruction.ExtensionField);
            if (instruction.ExtensionField == ExtensionFields.StreamFrames && CheckStreamFrames(instruction.ExtensionBody, state) is { } problem)
            {
                return problem;
            }
        }
        return output.WrittenSpan.SequenceEqual(diff) ? null : $"HostMessage re-encodes as {Convert.ToHexString(output.WrittenSpan)}, upstream sent {Convert.ToHexString(diff)}";
    }

    /// <summary>A StreamFrames body: parses, and each entry is a known frame our encoder writes identically.</summary>
    private static string? CheckStreamFrames(ReadOnlySpan<byte> body, DirectionState state)
    {
        if (!StreamFramesMessage.TryParse(body, out _, out ReadOnlySpan<byte> entries))
        {
            return "a StreamFrames body does not parse: " + Convert.ToHexString(body);
        }

        var output = new System.Buffers.ArrayBufferWriter<byte>();
        while (!entries.IsEmpty)
        {
            ReadOnlySpan<byte> before = entries;
            if (!StreamFramesMessage.TryReadEntry(ref entries, out ReadOnlySpan<byte> content, out int size)
                || !StreamFrame.TryParse(content, out StreamFrame frame))
            {
                return "a stream frame entry does not parse: " + Convert.ToHexString(before[..Math.Min(before.Length, 64)]);
            }

            output.ResetWrittenCount();
            frame.WriteEntry(output);
            if (!output.WrittenSpan.SequenceEqual(before[..size]))
            {
                return $"stream frame {frame.Id} ({frame.Kind}) re-encodes differently";
            }

            lock (state.StreamFrameKinds)
            {
                state.StreamFrameKinds[frame.Kind] = state.StreamFrameKinds.GetValueOrDefault(frame.Kind) + 1;
            }
        }

        return null;
    }

    private void Mismatch(RelayDirection direction, string what)
    {
        if (Interlocked.Increment(ref mismatchCount) <= MaxRecordedMismatches)
        {
            mismatches.Enqueue($"{direction}: {what}");
        }
    }

    public override string ToString() =>
        $"to server: {DatagramsChecked(RelayDirection.ToServer)} datagrams, {InstructionsChecked(RelayDirection.ToServer)} instructions ({DiffsChecked(RelayDirection.ToServer)} with a diff, {MultiFragmentInstructions(RelayDirection.ToServer)} multi-fragment); " +
        $"to client: {DatagramsChecked(RelayDirection.ToClient)} datagrams, {InstructionsChecked(RelayDirection.ToClient)} instructions ({DiffsChecked(RelayDirection.ToClient)} with a diff, {MultiFragmentInstructions(RelayDirection.ToClient)} multi-fragment); " +
        $"extension instructions to server {ExtensionInstructions(RelayDirection.ToServer)}, to client {ExtensionInstructions(RelayDirection.ToClient)}; mismatches {MismatchCount}";

    public void Dispose()
    {
        opener.Dispose();
        sealer.Dispose();
        foreach (DirectionState state in directions)
        {
            state.Dispose();
        }
    }

    /// <summary>Per-direction reassembly: ours (under test) and a plain one kept beside it for the raw bytes.</summary>
    private sealed class DirectionState : IDisposable
    {
        public readonly Compressor AssemblyCompressor = new();
        public readonly Compressor RawCompressor = new();
        public readonly FragmentAssembly Assembly;
        public long Datagrams;
        public long Instructions;
        public long MultiFragment;
        public long Diffs;
        public long Extensions;
        public readonly Dictionary<int, long> ExtensionFields = [];
        public readonly Dictionary<StreamFrameKind, long> StreamFrameKinds = [];
        public int LastFragmentCount;
        private readonly SortedDictionary<int, byte[]> parts = [];
        private ulong currentId;
        private int total = -1;

        public DirectionState()
        {
            Assembly = new FragmentAssembly(AssemblyCompressor);
        }

        public void CountExtension(int field)
        {
            if (field == 0)
            {
                return;
            }

            Interlocked.Increment(ref Extensions);
            lock (ExtensionFields)
            {
                ExtensionFields[field] = ExtensionFields.GetValueOrDefault(field) + 1;
            }
        }

        /// <summary>Adds a fragment; returns the whole compressed instruction once every fragment is in.</summary>
        public byte[]? AddRaw(in Fragment fragment)
        {
            if (fragment.InstructionId != currentId)
            {
                parts.Clear();
                total = -1;
                currentId = fragment.InstructionId;
            }
            parts.TryAdd(fragment.FragmentNumber, fragment.Contents.ToArray());
            if (fragment.IsFinal)
            {
                total = fragment.FragmentNumber + 1;
            }
            if (total < 0 || parts.Count != total)
            {
                return null;
            }
            byte[] whole = parts.Values.SelectMany(p => p).ToArray();
            LastFragmentCount = total;
            parts.Clear();
            total = -1;
            currentId = 0;
            return whole;
        }

        public void Dispose()
        {
            AssemblyCompressor.Dispose();
            RawCompressor.Dispose();
        }
    }
}
