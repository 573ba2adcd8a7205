using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mosh.Crypto;

/// <summary>
/// Helpers for 128-bit blocks held as <see cref="Vector128{T}"/> of bytes in memory order (byte 0 first),
/// the representation every AES and OCB routine here shares.
/// </summary>
internal static class Block128
{
    public const int Size = 16;

    /// <summary>The block whose big-endian reading is <paramref name="high"/> followed by <paramref name="low"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FromBigEndian(ulong high, ulong low) =>
        BitConverter.IsLittleEndian
            ? Vector128.Create(BinaryPrimitives.ReverseEndianness(high), BinaryPrimitives.ReverseEndianness(low)).AsByte()
            : Vector128.Create(high, low).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong HighBigEndian(Vector128<byte> block)
    {
        ulong v = block.AsUInt64().GetElement(0);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LowBigEndian(Vector128<byte> block)
    {
        ulong v = block.AsUInt64().GetElement(1);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
    }

    /// <summary>Doubling in GF(2^128) as RFC 7253 section 2 defines it (shift left, reduce by x^128 + x^7 + x^2 + x + 1).</summary>
    public static Vector128<byte> Double(Vector128<byte> block)
    {
        ulong high = HighBigEndian(block);
        ulong low = LowBigEndian(block);
        ulong carry = (ulong)((long)high >> 63) & 0x87;
        return FromBigEndian((high << 1) | (low >> 63), (low << 1) ^ carry);
    }

    /// <summary>
    /// Compares two blocks in time independent of where they differ (for tags). Folding the difference into
    /// one word is branch-free on every platform, unlike a bytewise loop, and far cheaper than
    /// <c>CryptographicOperations.FixedTimeEquals</c>, which runs unoptimised by design.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool FixedTimeEquals(Vector128<byte> a, Vector128<byte> b)
    {
        Vector128<ulong> difference = (a ^ b).AsUInt64();
        return (difference.GetElement(0) | difference.GetElement(1)) == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Load(ReadOnlySpan<byte> source) =>
        Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(source));

    /// <summary>Loads fewer than 16 bytes, zero-padding the rest of the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> LoadPartial(ReadOnlySpan<byte> source)
    {
        Vector128<byte> block = Vector128<byte>.Zero;
        source.CopyTo(AsSpan(ref block));
        return block;
    }

    /// <summary>Stores the first <c>destination.Length</c> (at most 16) bytes of a block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(Vector128<byte> block, Span<byte> destination) =>
        AsSpan(ref block)[..destination.Length].CopyTo(destination);

    /// <summary>A block's bytes as a span over the local that holds it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<byte> AsSpan(ref Vector128<byte> block) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<Vector128<byte>, byte>(ref block), Size);
}
