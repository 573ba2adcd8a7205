using Mosh.Protobufs;

namespace Mosh.Network;

/// <summary>
/// Sender side of upstream's transport fragmentation: serializes an instruction, zlib-compresses it and cuts the
/// result into fragments that fit one datagram. The instruction id starts at 1 and is bumped whenever the
/// instruction's numbers, chaff, protocol version or the MTU differ from the previous call (as upstream does), so
/// a plain retransmission of the same instruction reuses its id. Buffers are reused across calls.
/// </summary>
internal sealed class Fragmenter
{
    private readonly Compressor _compressor;
    private byte[] _serialized = new byte[1024];
    private byte[] _compressed = new byte[Compressor.MaxCompressedLength(1024)];
    private byte[] _lastChaff = new byte[32];

    private bool _hasLast;
    private uint _lastVersion;
    private ulong _lastOldNum;
    private ulong _lastNewNum;
    private ulong _lastAckNum;
    private ulong _lastThrowawayNum;
    private int _lastChaffLength;
    private int _lastMtu;

    public Fragmenter(Compressor compressor) => _compressor = compressor;

    /// <summary>Id of the most recent instruction; 0 before the first.</summary>
    public ulong LastInstructionId { get; private set; }

    /// <summary>ack_num of the last instruction fragmented (upstream's <c>last_ack_sent()</c>).</summary>
    public ulong LastAckNum => _lastAckNum;

    /// <summary>
    /// Prepares the fragments of <paramref name="instruction"/>. <paramref name="fragmenterMtu"/> is what upstream
    /// passes to make_fragments: header plus contents per datagram, i.e.
    /// <see cref="NetworkConstants.FragmenterMtu"/> of the connection's MTU. The batch views this fragmenter's buffer
    /// and is valid until the next call.
    /// </summary>
    public FragmentBatch MakeFragments(scoped in TransportInstruction instruction, int fragmenterMtu)
    {
        int budget = fragmenterMtu - Fragment.HeaderLength;
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1, nameof(fragmenterMtu));

        if (!_hasLast
            || instruction.OldNum != _lastOldNum
            || instruction.NewNum != _lastNewNum
            || instruction.AckNum != _lastAckNum
            || instruction.ThrowawayNum != _lastThrowawayNum
            || !instruction.Chaff.SequenceEqual(_lastChaff.AsSpan(0, _lastChaffLength))
            || instruction.ProtocolVersion != _lastVersion
            || fragmenterMtu != _lastMtu)
        {
            LastInstructionId++;
        }

        Remember(instruction, fragmenterMtu);

        int size = instruction.ComputeSize();
        EnsureLength(ref _serialized, size);
        _ = instruction.TryWriteTo(_serialized, out int serializedLength);

        EnsureLength(ref _compressed, Compressor.MaxCompressedLength(serializedLength));
        if (!_compressor.TryCompress(_serialized.AsSpan(0, serializedLength), _compressed, out int compressedLength))
        {
            throw new InvalidOperationException("compression into a compressBound()-sized buffer failed");
        }

        int count = (compressedLength + budget - 1) / budget;
        if (count > NetworkConstants.MAX_FRAGMENTS)
        {
            // Upstream aborts here too ("effective limit on size of a terminal screen change or buffered user input").
            throw new InvalidOperationException("instruction needs more than 32768 fragments");
        }

        return new FragmentBatch(LastInstructionId, _compressed.AsSpan(0, compressedLength), budget, count);
    }

    private void Remember(in TransportInstruction instruction, int fragmenterMtu)
    {
        _hasLast = true;
        _lastVersion = instruction.ProtocolVersion;
        _lastOldNum = instruction.OldNum;
        _lastNewNum = instruction.NewNum;
        _lastAckNum = instruction.AckNum;
        _lastThrowawayNum = instruction.ThrowawayNum;
        EnsureLength(ref _lastChaff, instruction.Chaff.Length);
        instruction.Chaff.CopyTo(_lastChaff);
        _lastChaffLength = instruction.Chaff.Length;
        _lastMtu = fragmenterMtu;
    }

    private static void EnsureLength(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }
    }
}

/// <summary>The fragments of one instruction; views the fragmenter's buffer until its next call.</summary>
internal readonly ref struct FragmentBatch
{
    private readonly ReadOnlySpan<byte> _compressed;
    private readonly int _budget;

    internal FragmentBatch(ulong instructionId, ReadOnlySpan<byte> compressed, int budget, int count)
    {
        InstructionId = instructionId;
        _compressed = compressed;
        _budget = budget;
        Count = count;
    }

    public ulong InstructionId { get; }

    public int Count { get; }

    /// <summary>The zlib-compressed instruction the fragments carry.</summary>
    public ReadOnlySpan<byte> CompressedInstruction => _compressed;

    public Fragment this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            int start = index * _budget;
            int length = Math.Min(_budget, _compressed.Length - start);
            return new Fragment(InstructionId, (ushort)index, index == Count - 1, _compressed.Slice(start, length));
        }
    }
}
