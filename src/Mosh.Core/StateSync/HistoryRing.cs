using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mosh.Terminal;

namespace Mosh.StateSync;

/// <summary>
/// The server's scrollback: the newest <see cref="Capacity"/> lines that scrolled off the top of the screen,
/// numbered absolutely from 0 for the session's first, each stored in the compact <see cref="HistoryLine"/> form
/// (text plus packed renditions, not cells; read back in the wire form, with SGR) in 64 KiB chunks that are recycled as lines age out. Memory is bounded by both the line
/// count and <see cref="MaxBytes"/> (whichever drops lines first). Append-only, so snapshots of the terminal state
/// share it and name how far it went by a line number.
/// </summary>
internal sealed class HistoryRing : IScrollbackSink
{
    /// <summary>Default number of lines kept (the mosh-server option and MOSH_SERVER_HISTORY change it).</summary>
    public const int DefaultCapacity = 10000;

    /// <summary>Most lines a server keeps whatever it is asked.</summary>
    public const int MaxCapacity = 1_000_000;

    /// <summary>Bytes allowed per line of capacity on average (a 200-column line of plain text takes about 200).</summary>
    public const int BytesPerLine = 512;

    private const int ChunkSize = 64 * 1024;

    // The chunks, oldest first, in a ring; a line names its chunk by serial number, so the line index holds no
    // references and appending or dropping a line (millions in a flood) writes no GC reference.
    private Chunk?[] _chunks = new Chunk?[8];
    private int _chunkStart;
    private int _chunkCount;
    private long _firstChunkSerial;
    private readonly Stack<byte[]> _spareChunks = new();
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);
    private readonly ArrayBufferWriter<byte> _wire = new(1024);
    private readonly VerbatimLineEncoder _encoder = new();

    // A kept row's entry: its width (2 bytes), flags (1), the fill colour (4) and the starting renditions (16) if
    // not default (as the flags say), then the bytes.
    private const int VerbatimHeaderLength = 3;
    private const int VerbatimFill = 1;
    private const int VerbatimStart = 2;
    private LineRef[] _lines = new LineRef[256];
    private int _lineStart;
    private int _lineCount;
    private long _bytes;

    public HistoryRing(int capacity)
    {
        Capacity = Math.Clamp(capacity, 1, MaxCapacity);
        MaxBytes = Math.Max((long)Capacity * BytesPerLine, 2L * ChunkSize);
    }

    /// <summary>Lines kept at most.</summary>
    public int Capacity { get; }

    /// <summary>Bytes of line data kept at most (besides one chunk being filled).</summary>
    public long MaxBytes { get; }

    /// <summary>Number of the oldest line still held.</summary>
    public ulong First => End - (ulong)_lineCount;

    /// <summary>Number the next line will get (all lines ever recorded).</summary>
    public ulong End { get; private set; }

    /// <summary>
    /// The history end the sender's last frame was cut at (<see cref="CompleteTerminal.FrameFor"/>): a frame that
    /// finds it moved knows the history is still growing.
    /// </summary>
    public ulong EndAtLastFrame { get; set; }

    /// <summary>Bytes of line data held (as stored).</summary>
    public long Bytes => _bytes;

    public void RowScrolledOff(Row row)
    {
        // A row printed left to right (bulk output) kept what the application wrote for it: stored as it is, and
        // encoded only if a frame ever carries it (most of a flood is dropped first).
        if (row.TryTakeVerbatim(out Renditions start, out TerminalColor fill, out ReadOnlySpan<byte> bytes))
        {
            AppendVerbatim(row.Width, start, fill, bytes);
            return;
        }

        // Plain ASCII text (most bulk output) is its own encoding: written straight into the chunk, no detour.
        Chunk chunk = ChunkWithRoom(row.InkEnd);
        if (HistoryLine.TryEncodePlainAscii(row, chunk.Data.AsSpan(chunk.Used, row.InkEnd), out int length))
        {
            Commit(chunk, length);
            return;
        }

        _scratch.ResetWrittenCount();
        HistoryLine.Encode(row, _scratch);
        Append(_scratch.WrittenSpan);
    }

    public void PlainLinesScrolledOff(ReadOnlySpan<byte> text, ReadOnlySpan<int> lineEnds)
    {
        // A flood's lines (millions for a seq) are their own encoding: copied into the chunk as many at once as it
        // takes, CR LF and all, each line then named by where it lies (its separator and trailing spaces left out).
        // The lines the block pushes past the capacity are dropped first, together: the same lines as dropping one
        // per line added, since the oldest go first either way.
        int start = 0;
        for (int i = 0; i < lineEnds.Length;)
        {
            Chunk chunk = ChunkWithRoom(lineEnds[i] + 2 - start);
            int room = chunk.Data.Length - chunk.Used;
            // Lines i..last-1 fit the chunk (and the capacity): all of them usually, else found by bisection.
            int last = Math.Min(lineEnds.Length, i + Capacity);
            if (lineEnds[last - 1] + 2 - start > room)
            {
                int fits = i + 1; // ChunkWithRoom made room for line i
                while (fits < last - 1)
                {
                    int middle = (fits + last) >>> 1;
                    if (lineEnds[middle - 1] + 2 - start <= room)
                    {
                        fits = middle;
                    }
                    else
                    {
                        last = middle;
                    }
                }

                last = fits;
            }

            int count = last - i;
            if (_lineCount + count > Capacity)
            {
                DropOldestLines(_lineCount + count - Capacity);
            }

            while (_lines.Length < _lineCount + count)
            {
                GrowIndex();
            }

            int blockLength = lineEnds[last - 1] + 2 - start;
            int offset = chunk.Used - start; // where text[0] would lie in the chunk
            text.Slice(start, blockLength).CopyTo(chunk.Data.AsSpan(chunk.Used, blockLength));
            chunk.Used += blockLength;
            chunk.LastLine = End + (ulong)count - 1;

            LineRef[] lines = _lines;
            int slot = _lineStart + _lineCount;
            long bytes = 0;
            for (; i < last; i++)
            {
                int stop = lineEnds[i];
                while (stop > start && text[stop - 1] == (byte)' ')
                {
                    stop--; // trailing spaces are trailing blanks: not kept (HistoryLine)
                }

                if (slot >= lines.Length)
                {
                    slot -= lines.Length;
                }

                lines[slot++] = new LineRef((uint)chunk.Serial, start + offset, stop - start);
                bytes += stop - start;
                start = lineEnds[i] + 2;
            }

            _lineCount += count;
            _bytes += bytes;
            End += (ulong)count;
            while (_bytes > MaxBytes && _lineCount > 1)
            {
                DropOldestLines(1);
            }
        }
    }

    /// <summary>
    /// Appends the line of a row <paramref name="width"/> columns wide, blanked in <paramref name="fill"/>, as the
    /// application wrote it from <paramref name="start"/> (<see cref="VerbatimLine"/>): plain text is its own
    /// encoding; anything else is kept as it is until it is read.
    /// </summary>
    public void AppendVerbatim(int width, in Renditions start, TerminalColor fill, ReadOnlySpan<byte> bytes)
    {
        // The start's hyperlink is not kept: a history line has none (HistoryLine), so it cannot change the encoding.
        bool plainFill = fill.IsDefault, plainStart = HistoryLine.SameDrawing(start, default);
        if (plainFill && plainStart && !bytes.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
        {
            Append(bytes.TrimEnd((byte)' ')); // printable ASCII in default renditions: trailing blanks are not kept
            return;
        }

        // Header: the width, then a flags byte, then the fill colour and the starting renditions where not default
        // (most rows start plain on a plain background: 3 bytes).
        int header = VerbatimHeaderLength + (plainFill ? 0 : sizeof(uint)) + (plainStart ? 0 : Unsafe.SizeOf<Renditions>());
        int length = header + bytes.Length;
        Chunk chunk = ChunkWithRoom(length);
        Span<byte> entry = chunk.Data.AsSpan(chunk.Used, length);
        BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)width);
        entry[2] = (byte)((plainFill ? 0 : VerbatimFill) | (plainStart ? 0 : VerbatimStart));
        int at = VerbatimHeaderLength;
        if (!plainFill)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(entry[at..], fill.Raw);
            at += sizeof(uint);
        }

        if (!plainStart)
        {
            MemoryMarshal.Write(entry[at..], in start);
            at += Unsafe.SizeOf<Renditions>();
        }

        bytes.CopyTo(entry[at..]);
        Commit(chunk, length, verbatim: true);
    }

    /// <summary>Appends one line already in the <see cref="HistoryLine"/> form the ring stores (<see cref="HistoryLine.Encode"/>'s).</summary>
    public void Append(ReadOnlySpan<byte> line)
    {
        Chunk chunk = ChunkWithRoom(line.Length);
        line.CopyTo(chunk.Data.AsSpan(chunk.Used));
        Commit(chunk, line.Length);
    }

    /// <summary>The next <paramref name="length"/> bytes of <paramref name="chunk"/> (written already) are the newest line.</summary>
    private void Commit(Chunk chunk, int length, bool verbatim = false)
    {
        int offset = chunk.Used;
        chunk.Used += length;
        chunk.LastLine = End;
        AddLine(chunk.Serial, offset, length, verbatim);
    }

    /// <summary>Names the newest line (its bytes are in place, its chunk's last line set) and drops what no longer fits.</summary>
    private void AddLine(long chunkSerial, int offset, int length, bool verbatim = false)
    {
        if (_lineCount == _lines.Length)
        {
            GrowIndex();
        }

        int slot = _lineStart + _lineCount;
        _lines[slot >= _lines.Length ? slot - _lines.Length : slot] = new LineRef((uint)chunkSerial, offset, length, verbatim);
        _lineCount++;
        _bytes += length;
        End++;

        while (_lineCount > Capacity || (_bytes > MaxBytes && _lineCount > 1))
        {
            DropOldestLines(1);
        }
    }

    /// <summary>
    /// Line <paramref name="number"/> (between <see cref="First"/> and <see cref="End"/>) in the wire form; valid until
    /// the next read or append.
    /// </summary>
    public ReadOnlySpan<byte> this[ulong number]
    {
        get
        {
            ReadOnlySpan<byte> stored = Stored(number);
            if (stored.IndexOf(PackedRenditions.Marker) < 0)
            {
                return stored; // no renditions: the same in both forms
            }

            _wire.ResetWrittenCount();
            HistoryLine.ToWire(stored, _wire);
            return _wire.WrittenSpan;
        }
    }

    /// <summary>
    /// The length of line <paramref name="number"/> in the wire form (what <c>this[number]</c> returns), counted the
    /// first time it is asked for (each frame's budget asks for the lines it may carry) and kept with the line.
    /// </summary>
    public int WireLength(ulong number)
    {
        ref LineRef line = ref Encoded(number);
        if (line.Length == 0)
        {
            return 0;
        }

        if (line.WireLength == 0) // not counted yet: a line that is not empty is never empty on the wire
        {
            line.WireLength = HistoryLine.WireLength(ChunkAt(line.Chunk).Data.AsSpan(line.Offset, line.Length));
        }

        return line.WireLength;
    }

    /// <summary>Line <paramref name="number"/> as stored (renditions packed); valid until the next append.</summary>
    public ReadOnlySpan<byte> Stored(ulong number)
    {
        ref LineRef line = ref Encoded(number);
        return ChunkAt(line.Chunk).Data.AsSpan(line.Offset, line.Length);
    }

    /// <summary>Lines kept as the application wrote them and encoded since (for tests and measurements).</summary>
    internal long VerbatimLinesEncoded { get; private set; }

    /// <summary>Line <paramref name="number"/>, encoded in the stored form now if it was kept as the application wrote it.</summary>
    private ref LineRef Encoded(ulong number)
    {
        ref LineRef line = ref LineAt(number);
        if (line.Verbatim)
        {
            EncodeVerbatim(ref line, number);
        }

        return ref line;
    }

    /// <summary>
    /// Replaces a line kept as the application wrote it by its stored form: in its place when that is no longer
    /// (usual: packed renditions are shorter than SGR), else in the newest chunk, which lives at least as long.
    /// </summary>
    private void EncodeVerbatim(ref LineRef line, ulong number)
    {
        ReadOnlySpan<byte> entry = ChunkAt(line.Chunk).Data.AsSpan(line.Offset, line.Length);
        int width = BinaryPrimitives.ReadUInt16LittleEndian(entry);
        int flags = entry[2];
        int at = VerbatimHeaderLength;
        TerminalColor fill = default;
        if ((flags & VerbatimFill) != 0)
        {
            fill = TerminalColor.FromRaw(BinaryPrimitives.ReadUInt32LittleEndian(entry[at..]));
            at += sizeof(uint);
        }

        Renditions start = default;
        if ((flags & VerbatimStart) != 0)
        {
            start = MemoryMarshal.Read<Renditions>(entry[at..]);
            at += Unsafe.SizeOf<Renditions>();
        }

        _scratch.ResetWrittenCount();
        _encoder.Encode(width, start, fill, entry[at..], _scratch);
        ReadOnlySpan<byte> encoded = _scratch.WrittenSpan;
        VerbatimLinesEncoded++;
        if (encoded.Length <= line.Length)
        {
            encoded.CopyTo(ChunkAt(line.Chunk).Data.AsSpan(line.Offset));
            _bytes -= line.Length - encoded.Length;
            line = new LineRef(line.Chunk, line.Offset, encoded.Length);
            return;
        }

        Chunk chunk = ChunkWithRoom(encoded.Length);
        encoded.CopyTo(chunk.Data.AsSpan(chunk.Used));
        _bytes += encoded.Length - line.Length;
        line = new LineRef((uint)chunk.Serial, chunk.Used, encoded.Length);
        chunk.Used += encoded.Length;
        chunk.LastLine = Math.Max(chunk.LastLine, number);
    }

    private ref LineRef LineAt(ulong number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, First);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(number, End);
        return ref _lines[(int)((ulong)_lineStart + (number - First)) % _lines.Length];
    }

    private Chunk ChunkWithRoom(int length)
    {
        if (_chunkCount > 0 && ChunkAt(_firstChunkSerial + _chunkCount - 1) is { } newest && newest.Data.Length - newest.Used >= length)
        {
            return newest;
        }

        // Chunks live as long as their lines (up to megabytes of them): allocated on the pinned heap, which the GC
        // never compacts, instead of being copied through gen0 and gen1 as they survive.
        byte[] data = length <= ChunkSize && _spareChunks.Count > 0
            ? _spareChunks.Pop()
            : GC.AllocateUninitializedArray<byte>(Math.Max(ChunkSize, length), pinned: true);
        if (_chunkCount == _chunks.Length)
        {
            var grown = new Chunk?[_chunks.Length * 2];
            for (int i = 0; i < _chunkCount; i++)
            {
                grown[i] = _chunks[(_chunkStart + i) % _chunks.Length];
            }

            _chunks = grown;
            _chunkStart = 0;
        }

        var chunk = new Chunk(data, _firstChunkSerial + _chunkCount);
        _chunks[(_chunkStart + _chunkCount) % _chunks.Length] = chunk;
        _chunkCount++;
        return chunk;
    }

    private Chunk ChunkAt(long serial) => ChunkAt((uint)serial);

    /// <summary>The chunk a line names by the low 32 bits of its serial (fewer than 2^32 chunks are ever held at once).</summary>
    private Chunk ChunkAt(uint serial)
    {
        int slot = _chunkStart + (int)(serial - (uint)_firstChunkSerial);
        return _chunks[slot >= _chunks.Length ? slot - _chunks.Length : slot]!;
    }

    /// <summary>Drops the <paramref name="count"/> oldest lines, and the chunks that no longer hold any.</summary>
    private void DropOldestLines(int count)
    {
        LineRef[] lines = _lines;
        int slot = _lineStart;
        long bytes = 0;
        for (int k = 0; k < count; k++)
        {
            bytes += lines[slot].Length;
            slot = slot + 1 == lines.Length ? 0 : slot + 1;
        }

        _lineStart = slot;
        _lineCount -= count;
        _bytes -= bytes;
        if (_chunkCount > 1 && _chunks[_chunkStart]!.LastLine < First)
        {
            ReleaseOldestChunks();
        }
    }

    private void ReleaseOldestChunks()
    {
        ulong first = First;
        while (_chunkCount > 1 && _chunks[_chunkStart]!.LastLine < first)
        {
            byte[] data = _chunks[_chunkStart]!.Data;
            _chunks[_chunkStart] = null;
            _chunkStart = _chunkStart + 1 == _chunks.Length ? 0 : _chunkStart + 1;
            _chunkCount--;
            _firstChunkSerial++;
            if (data.Length == ChunkSize && _spareChunks.Count < 2)
            {
                _spareChunks.Push(data);
            }
        }
    }

    private void GrowIndex()
    {
        var grown = new LineRef[Math.Min(Math.Max(_lines.Length * 2, 256), Capacity + 1)];
        for (int i = 0; i < _lineCount; i++)
        {
            grown[i] = _lines[(_lineStart + i) % _lines.Length];
        }

        _lines = grown;
        _lineStart = 0;
    }

    /// <summary>Where a line lies: its chunk's serial (low 32 bits), offset and stored length, and its length on the wire once counted (0 until then).</summary>
    private struct LineRef
    {
        public readonly uint Chunk;
        public readonly int Offset;
        public readonly int Length;

        /// <summary>0 until counted; -1 for a line kept as the application wrote it (<see cref="AppendVerbatim"/>), encoded when first read.</summary>
        public int WireLength;

        public LineRef(uint chunk, int offset, int length)
        {
            Chunk = chunk;
            Offset = offset;
            Length = length;
        }

        public LineRef(uint chunk, int offset, int length, bool verbatim)
        {
            Chunk = chunk;
            Offset = offset;
            Length = length;
            WireLength = verbatim ? -1 : 0;
        }

        public readonly bool Verbatim => WireLength < 0;
    }

    private sealed class Chunk(byte[] data, long serial)
    {
        public byte[] Data { get; } = data;

        /// <summary>Position in the order of chunks ever made (what a <see cref="LineRef"/> names).</summary>
        public long Serial { get; } = serial;

        public int Used { get; set; }

        /// <summary>Number of the newest line stored in this chunk.</summary>
        public ulong LastLine { get; set; }
    }
}
