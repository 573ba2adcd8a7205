using Mosh.Protobufs;

namespace Mosh.Network;

/// <summary>
/// Receiver side of upstream's transport fragmentation. Holds one instruction in progress: a fragment with a
/// different id discards the partial assembly and starts anew. Tolerates loss (the instruction simply never
/// completes), duplicates (kept once) and reordering; the instruction is complete when fragments 0..final have all
/// arrived. Memory is bounded: at most 32768 fragment slots and <see cref="MaxAssemblyLength"/> bytes, after which
/// the assembly is abandoned. Buffers are reused, so steady-state use allocates nothing.
/// </summary>
internal sealed class FragmentAssembly
{
    /// <summary>The largest compressed instruction that could still decompress within upstream's 4 MiB limit.</summary>
    public static readonly int MaxAssemblyLength = Compressor.MaxCompressedLength(Compressor.MaxDecompressedLength);

    private const int Missing = -1;

    private readonly Compressor _compressor;
    private int[] _offsets = new int[16];
    private int[] _lengths = new int[16];
    private byte[] _arena = new byte[4096];
    private byte[] _ordered = [];
    private int _arenaUsed;
    private int _slotsInUse;
    private int _arrived;
    private int _total = Missing;
    private bool _hasCurrent;
    private ulong _currentId;

    public FragmentAssembly(Compressor compressor)
    {
        _compressor = compressor;
        _lengths.AsSpan().Fill(Missing);
    }

    /// <summary>Id of the instruction being assembled (or last assembled).</summary>
    public ulong CurrentInstructionId => _currentId;

    /// <summary>Bytes of fragment contents currently held.</summary>
    public int BufferedLength => _arenaUsed;

    /// <summary>True once every fragment 0..final of the current instruction has arrived.</summary>
    public bool IsComplete => _arrived == _total;

    /// <summary>Adds a fragment; returns true when it completes the current instruction.</summary>
    public bool Add(in Fragment fragment)
    {
        if (!_hasCurrent || fragment.InstructionId != _currentId)
        {
            Reset();
            _hasCurrent = true;
            _currentId = fragment.InstructionId;
        }

        int number = fragment.FragmentNumber;
        if (!IsConsistent(number, fragment.IsFinal))
        {
            return IsComplete;
        }

        if (number < _slotsInUse && _lengths[number] != Missing)
        {
            return IsComplete; // duplicate: the first copy is kept
        }

        ReadOnlySpan<byte> contents = fragment.Contents;
        if (_arenaUsed + contents.Length > MaxAssemblyLength)
        {
            Reset(); // larger than any instruction upstream could accept
            return false;
        }

        EnsureSlots(number + 1);
        EnsureCapacity(ref _arena, _arenaUsed + contents.Length, _arenaUsed);
        contents.CopyTo(_arena.AsSpan(_arenaUsed));
        _offsets[number] = _arenaUsed;
        _lengths[number] = contents.Length;
        _arenaUsed += contents.Length;
        _arrived++;
        if (fragment.IsFinal)
        {
            _total = number + 1;
        }

        return IsComplete;
    }

    /// <summary>
    /// Takes the completed instruction: concatenates the fragments in order, decompresses and parses them. The
    /// instruction's spans view internal buffers valid until the next call on this assembly or its compressor.
    /// False (and nothing to retry) if the assembly is incomplete or its contents are not a valid instruction.
    /// </summary>
    public bool TryTakeInstruction(out TransportInstruction instruction)
    {
        instruction = default;
        return TryTakeSerializedInstruction(out ReadOnlySpan<byte> serialized)
            && TransportInstruction.TryParse(serialized, out instruction);
    }

    /// <summary>
    /// Like <see cref="TryTakeInstruction"/> but stops at the decompressed protobuf bytes (for diagnostics and
    /// byte-exact comparisons). The span is valid until the next call on this assembly or its compressor.
    /// </summary>
    public bool TryTakeSerializedInstruction(out ReadOnlySpan<byte> serialized)
    {
        serialized = default;
        if (!IsComplete)
        {
            return false;
        }

        ReadOnlySpan<byte> compressed = ConcatenateInOrder();
        Reset();
        return _compressor.TryDecompress(compressed, out serialized);
    }

    private bool IsConsistent(int number, bool isFinal)
    {
        if (_total != Missing && (number >= _total || (isFinal && number != _total - 1)))
        {
            return false; // beyond the final fragment already seen, or a second, different final
        }

        if (isFinal && _total == Missing)
        {
            // A final fragment cannot precede fragments that have already arrived after it.
            for (int i = number + 1; i < _slotsInUse; i++)
            {
                if (_lengths[i] != Missing)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private ReadOnlySpan<byte> ConcatenateInOrder()
    {
        bool inArrivalOrder = true;
        for (int i = 0, expected = 0; i < _total; expected += _lengths[i], i++)
        {
            if (_offsets[i] != expected)
            {
                inArrivalOrder = false;
                break;
            }
        }

        if (inArrivalOrder)
        {
            return _arena.AsSpan(0, _arenaUsed);
        }

        EnsureCapacity(ref _ordered, _arenaUsed, 0);
        int position = 0;
        for (int i = 0; i < _total; i++)
        {
            _arena.AsSpan(_offsets[i], _lengths[i]).CopyTo(_ordered.AsSpan(position));
            position += _lengths[i];
        }

        return _ordered.AsSpan(0, position);
    }

    /// <summary>Forgets the fragments but keeps the id, as upstream does after an assembly.</summary>
    private void Reset()
    {
        _lengths.AsSpan(0, _slotsInUse).Fill(Missing);
        _slotsInUse = 0;
        _arenaUsed = 0;
        _arrived = 0;
        _total = Missing;
    }

    private void EnsureSlots(int count)
    {
        if (count > _lengths.Length)
        {
            int newLength = Math.Min(Math.Max(count, _lengths.Length * 2), NetworkConstants.MAX_FRAGMENTS);
            int oldLength = _lengths.Length;
            Array.Resize(ref _offsets, newLength);
            Array.Resize(ref _lengths, newLength);
            _lengths.AsSpan(oldLength).Fill(Missing);
        }

        _slotsInUse = Math.Max(_slotsInUse, count);
    }

    private static void EnsureCapacity(ref byte[] buffer, int length, int preserve)
    {
        if (buffer.Length < length)
        {
            byte[] larger = new byte[Math.Min(Math.Max(length, buffer.Length * 2), MaxAssemblyLength)];
            buffer.AsSpan(0, preserve).CopyTo(larger);
            buffer = larger;
        }
    }
}
