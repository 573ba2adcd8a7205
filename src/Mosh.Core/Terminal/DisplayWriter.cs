using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Mosh.Terminal;

/// <summary>
/// Appends a display diff's bytes to an <see cref="IBufferWriter{T}"/>, asking it for a chunk at a time so the
/// many one- and two-byte writes of a frame stay plain span stores (Kestrel's BufferWriter pattern). Call
/// <see cref="Commit"/> once at the end.
/// </summary>
internal ref struct DisplayWriter
{
    private const int ChunkSize = 512;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _used;

    public DisplayWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = default;
        _used = 0;
    }

    public void Write(byte value)
    {
        if (_used == _span.Length)
        {
            Grow(1);
        }

        _span[_used++] = value;
    }

    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        if (_span.Length - _used < bytes.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_span[_used..]);
        _used += bytes.Length;
    }

    /// <summary>Room for at least <paramref name="count"/> bytes, to be filled and then claimed with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int count)
    {
        if (_span.Length - _used < count)
        {
            Grow(count);
        }

        return _span[_used..];
    }

    /// <summary>Claims <paramref name="count"/> bytes written into the span <see cref="GetSpan"/> returned.</summary>
    public void Advance(int count) => _used += count;

    public void WriteRepeated(byte value, int count)
    {
        if (count <= 0)
        {
            return;
        }

        if (_span.Length - _used < count)
        {
            Grow(count);
        }

        _span.Slice(_used, count).Fill(value);
        _used += count;
    }

    /// <summary>The SGR sequence that selects <paramref name="renditions"/> (<see cref="Renditions.FormatSgr"/>).</summary>
    public void WriteSgr(in Renditions renditions)
    {
        if (_span.Length - _used < Renditions.MaxSgrLength)
        {
            Grow(Renditions.MaxSgrLength);
        }

        _used += renditions.FormatSgr(_span[_used..]);
    }

    /// <summary>A non-negative decimal number.</summary>
    public void WriteNumber(int value)
    {
        if (_span.Length - _used < 11)
        {
            Grow(11);
        }

        Utf8Formatter.TryFormat(value, _span[_used..], out int written);
        _used += written;
    }

    /// <summary>UTF-16 text as UTF-8 (lone surrogates become U+FFFD, as they would in a terminal).</summary>
    public void WriteUtf8(scoped ReadOnlySpan<char> text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_span.Length - _used < max)
        {
            Grow(max);
        }

        _used += Encoding.UTF8.GetBytes(text, _span[_used..]);
    }

    /// <summary>Hands the bytes written so far to the output.</summary>
    public void Commit()
    {
        if (_used > 0)
        {
            _output.Advance(_used);
        }

        _used = 0;
        _span = default;
    }

    private void Grow(int needed)
    {
        Commit();
        _span = _output.GetSpan(Math.Max(needed, ChunkSize));
    }
}
