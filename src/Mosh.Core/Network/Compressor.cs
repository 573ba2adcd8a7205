using System.Runtime.InteropServices;
using Mosh.Util;

namespace Mosh.Network;

/// <summary>
/// zlib-format compression of serialized instructions, as upstream's <c>Compressor</c> (compress()/uncompress() at
/// the default level). Decompressed output is capped at <see cref="MaxDecompressedLength"/>, upstream's 2048*2048
/// buffer ("effective limit on terminal size"), so a decompression bomb is refused without unbounded allocation.
/// One instance per connection; not thread-safe. Buffers are reused, so steady-state calls allocate nothing.
/// </summary>
internal sealed unsafe class Compressor : IDisposable
{
    /// <summary>Upstream's Compressor::BUFFER_SIZE.</summary>
    public const int MaxDecompressedLength = 2048 * 2048;

    private const int InitialOutputLength = 16 * 1024;

    private ZLib.ZStream* _deflate;
    private ZLib.ZStream* _inflate;
    private byte[] _output = new byte[InitialOutputLength];

    public Compressor()
    {
        _deflate = (ZLib.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZLib.ZStream));
        _inflate = (ZLib.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZLib.ZStream));
        if (ZLib.DeflateInit(_deflate, ZLib.Z_DEFAULT_COMPRESSION) != ZLib.Z_OK
            || ZLib.InflateInit(_inflate) != ZLib.Z_OK)
        {
            Dispose();
            throw new InvalidOperationException("zlib initialisation failed");
        }
    }

    ~Compressor() => Release();

    /// <summary>zlib's compressBound(): the most compress() can produce from <paramref name="sourceLength"/> bytes.</summary>
    public static int MaxCompressedLength(int sourceLength) =>
        sourceLength + (sourceLength >> 12) + (sourceLength >> 14) + (sourceLength >> 25) + 13;

    /// <summary>
    /// Compresses <paramref name="source"/> into a complete zlib stream. False only if <paramref name="destination"/>
    /// is too small (size it with <see cref="MaxCompressedLength"/>).
    /// </summary>
    public bool TryCompress(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten)
    {
        ObjectDisposedException.ThrowIf(_deflate is null, this);
        ZLib.ZStream* stream = _deflate;
        _ = ZLib.DeflateReset(stream);
        fixed (byte* input = source)
        fixed (byte* output = destination)
        {
            stream->NextIn = input;
            stream->AvailIn = (uint)source.Length;
            stream->NextOut = output;
            stream->AvailOut = (uint)destination.Length;
            int status = ZLib.Deflate(stream, ZLib.Z_FINISH);
            bytesWritten = status == ZLib.Z_STREAM_END ? destination.Length - (int)stream->AvailOut : 0;
            stream->NextIn = null;
            stream->NextOut = null;
            return status == ZLib.Z_STREAM_END;
        }
    }

    /// <summary>
    /// Decompresses one zlib stream (trailing bytes after its end are ignored, as by uncompress()). On success
    /// <paramref name="result"/> views an internal buffer that stays valid until the next call. False for corrupt or
    /// truncated data, a preset dictionary, or output beyond <see cref="MaxDecompressedLength"/>.
    /// </summary>
    public bool TryDecompress(ReadOnlySpan<byte> source, out ReadOnlySpan<byte> result)
    {
        ObjectDisposedException.ThrowIf(_inflate is null, this);
        result = default;
        ZLib.ZStream* stream = _inflate;
        _ = ZLib.InflateReset(stream);
        int produced = 0;
        fixed (byte* input = source)
        {
            stream->NextIn = input;
            stream->AvailIn = (uint)source.Length;
            try
            {
                while (true)
                {
                    int status;
                    fixed (byte* output = _output)
                    {
                        stream->NextOut = output + produced;
                        stream->AvailOut = (uint)(_output.Length - produced);
                        status = ZLib.Inflate(stream, ZLib.Z_NO_FLUSH);
                        produced = _output.Length - (int)stream->AvailOut;
                    }

                    if (status == ZLib.Z_STREAM_END)
                    {
                        result = _output.AsSpan(0, produced);
                        return true;
                    }

                    bool outputFull = stream->AvailOut == 0;
                    if ((status != ZLib.Z_OK && !(status == ZLib.Z_BUF_ERROR && outputFull))
                        || (!outputFull && stream->AvailIn == 0))
                    {
                        // Corrupt, dictionary-needing, or truncated (input used up before the stream's end).
                        return false;
                    }

                    if (outputFull && !TryGrowOutput())
                    {
                        return false; // would exceed upstream's 4 MiB limit
                    }
                }
            }
            finally
            {
                stream->NextIn = null;
                stream->NextOut = null;
            }
        }
    }

    private bool TryGrowOutput()
    {
        if (_output.Length >= MaxDecompressedLength)
        {
            return false;
        }

        Array.Resize(ref _output, Math.Min(_output.Length * 2, MaxDecompressedLength));
        return true;
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        if (_deflate is not null)
        {
            _ = ZLib.DeflateEnd(_deflate);
            NativeMemory.Free(_deflate);
            _deflate = null;
        }

        if (_inflate is not null)
        {
            _ = ZLib.InflateEnd(_inflate);
            NativeMemory.Free(_inflate);
            _inflate = null;
        }
    }
}
