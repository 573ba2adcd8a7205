using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>
/// The system zlib (libz.so.1, the library upstream mosh links), used through a long-lived z_stream that is reset
/// between messages. .NET's ZLibStream would need a new stream object (and native state) per message; this keeps the
/// per-datagram path free of managed allocations and produces exactly the bytes upstream's compress() does.
/// </summary>
internal static unsafe partial class ZLib
{
    private const string Library = "libz.so.1";

    /// <summary>zlib checks only the major version digit of this string against its own.</summary>
    private static ReadOnlySpan<byte> Version => "1.2.13\0"u8;

    public const int Z_NO_FLUSH = 0;
    public const int Z_FINISH = 4;
    public const int Z_OK = 0;
    public const int Z_STREAM_END = 1;
    public const int Z_NEED_DICT = 2;
    public const int Z_BUF_ERROR = -5;
    public const int Z_DEFAULT_COMPRESSION = -1;

    /// <summary>zlib's z_stream on LP64, x86-64 and aarch64 alike (112 bytes). zlib keeps a pointer to it, so it lives in native memory.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public nuint TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public nuint TotalOut;
        public byte* Msg;
        public void* State;
        public void* ZAlloc;
        public void* ZFree;
        public void* Opaque;
        public int DataType;
        public nuint Adler;
        public nuint Reserved;
    }

    public static int DeflateInit(ZStream* stream, int level)
    {
        fixed (byte* version = Version)
        {
            return deflateInit_(stream, level, version, sizeof(ZStream));
        }
    }

    public static int InflateInit(ZStream* stream)
    {
        fixed (byte* version = Version)
        {
            return inflateInit_(stream, version, sizeof(ZStream));
        }
    }

    [LibraryImport(Library)]
    private static partial int deflateInit_(ZStream* strm, int level, byte* version, int streamSize);

    [LibraryImport(Library)]
    private static partial int inflateInit_(ZStream* strm, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "deflate")]
    public static partial int Deflate(ZStream* strm, int flush);

    [LibraryImport(Library, EntryPoint = "deflateReset")]
    public static partial int DeflateReset(ZStream* strm);

    [LibraryImport(Library, EntryPoint = "deflateEnd")]
    public static partial int DeflateEnd(ZStream* strm);

    [LibraryImport(Library, EntryPoint = "inflate")]
    public static partial int Inflate(ZStream* strm, int flush);

    [LibraryImport(Library, EntryPoint = "inflateReset")]
    public static partial int InflateReset(ZStream* strm);

    [LibraryImport(Library, EntryPoint = "inflateEnd")]
    public static partial int InflateEnd(ZStream* strm);
}
