using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mosh.Crypto;

/// <summary>The OCB3 passes of RFC 7253 section 4, generic over the AES engine so each is compiled per engine.</summary>
internal sealed partial class OcbAes128
{
    /// <summary>
    /// Ktop and the words of Stretch for the last nonce seen (section 4.2). They depend only on the nonce
    /// with its low six bits cleared, so sequential nonces share them 64 at a time and save one AES call.
    /// </summary>
    private struct StretchCache
    {
        public bool Valid;
        public Vector128<byte> NonceTop;
        public ulong Stretch0;
        public ulong Stretch1;
        public ulong Stretch2;
    }

    /// <summary>Byte 15 keeps only its top two bits: the nonce "top" that Ktop is computed from.</summary>
    private static readonly Vector128<byte> NonceTopMask =
        Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC0);

    private static readonly Vector128<byte> ByteIndices =
        Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    /// <summary>Offset_0 from the formatted nonce block: 128 bits of Stretch starting at bit "bottom".</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> InitialOffset<TEngine>(TEngine engine, ref StretchCache cache, Vector128<byte> nonceBlock)
        where TEngine : struct, IAes128Engine
    {
        Vector128<byte> top = nonceBlock & NonceTopMask;
        if (!cache.Valid || top != cache.NonceTop)
        {
            Vector128<byte> kTop = engine.Encrypt(top);
            ulong k0 = Block128.HighBigEndian(kTop);
            ulong k1 = Block128.LowBigEndian(kTop);
            cache.NonceTop = top;
            cache.Stretch0 = k0;
            cache.Stretch1 = k1;
            cache.Stretch2 = k0 ^ ((k0 << 8) | (k1 >> 56)); // Ktop[1..64] xor Ktop[9..72]
            cache.Valid = true;
        }

        int bottom = nonceBlock.GetElement(15) & 0x3F;
        if (bottom == 0)
        {
            return Block128.FromBigEndian(cache.Stretch0, cache.Stretch1);
        }

        return Block128.FromBigEndian(
            (cache.Stretch0 << bottom) | (cache.Stretch1 >> (64 - bottom)),
            (cache.Stretch1 << bottom) | (cache.Stretch2 >> (64 - bottom)));
    }

    /// <summary>P_* || 1 || 0...: the zero-padded partial block with a one bit right after its data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> PadMarker(int length) =>
        Vector128.Equals(ByteIndices, Vector128.Create((byte)length)) & Vector128.Create((byte)0x80);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> PrefixMask(int length) =>
        Vector128.LessThan(ByteIndices, Vector128.Create((byte)length));

    /// <summary>HASH(K, A) of section 4.1.</summary>
    private Vector128<byte> Hash<TEngine>(TEngine engine, ReadOnlySpan<byte> associatedData)
        where TEngine : struct, IAes128Engine
    {
        ref Vector128<byte> l = ref MemoryMarshal.GetArrayDataReference(_l);
        ref byte a = ref MemoryMarshal.GetReference(associatedData);
        Vector128<byte> sum = Vector128<byte>.Zero;
        Vector128<byte> offset = Vector128<byte>.Zero;
        nuint blocks = (nuint)associatedData.Length / Block128.Size;
        for (nuint i = 1; i <= blocks; i++)
        {
            offset ^= Unsafe.Add(ref l, 2 + BitOperations.TrailingZeroCount(i));
            sum ^= engine.Encrypt(Vector128.LoadUnsafe(ref a, (i - 1) * Block128.Size) ^ offset);
        }

        int rest = associatedData.Length % Block128.Size;
        if (rest != 0)
        {
            offset ^= l; // L_*
            Vector128<byte> last = Block128.LoadPartial(associatedData[^rest..]) | PadMarker(rest);
            sum ^= engine.Encrypt(last ^ offset);
        }

        return sum;
    }

    /// <summary>OCB-ENCRYPT of section 4.2 without the associated-data hash; returns the tag before HASH(A) is added.</summary>
    private Vector128<byte> EncryptCore<TEngine>(
        TEngine engine, ref StretchCache cache, Vector128<byte> nonceBlock, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
        where TEngine : struct, IAes128Engine
    {
        ref Vector128<byte> l = ref MemoryMarshal.GetArrayDataReference(_l);
        ref byte src = ref MemoryMarshal.GetReference(plaintext);
        ref byte dst = ref MemoryMarshal.GetReference(ciphertext);
        Vector128<byte> l0 = Unsafe.Add(ref l, 2);
        Vector128<byte> l1 = Unsafe.Add(ref l, 3);
        Vector128<byte> l2 = Unsafe.Add(ref l, 4);

        Vector128<byte> offset = InitialOffset(engine, ref cache, nonceBlock);
        Vector128<byte> checksum = Vector128<byte>.Zero;
        nuint blocks = (nuint)plaintext.Length / Block128.Size;
        nuint done = 0;

        // Eight blocks at a time: with done a multiple of 8, blocks done+1..done+7 have ntz 0,1,0,2,0,1,0.
        while (blocks - done >= 8)
        {
            nuint at = done * Block128.Size;
            Vector128<byte> p0 = Vector128.LoadUnsafe(ref src, at);
            Vector128<byte> p1 = Vector128.LoadUnsafe(ref src, at + 16);
            Vector128<byte> p2 = Vector128.LoadUnsafe(ref src, at + 32);
            Vector128<byte> p3 = Vector128.LoadUnsafe(ref src, at + 48);
            Vector128<byte> p4 = Vector128.LoadUnsafe(ref src, at + 64);
            Vector128<byte> p5 = Vector128.LoadUnsafe(ref src, at + 80);
            Vector128<byte> p6 = Vector128.LoadUnsafe(ref src, at + 96);
            Vector128<byte> p7 = Vector128.LoadUnsafe(ref src, at + 112);
            checksum ^= (p0 ^ p1) ^ (p2 ^ p3) ^ ((p4 ^ p5) ^ (p6 ^ p7));

            Vector128<byte> o0 = offset ^ l0;
            Vector128<byte> o1 = o0 ^ l1;
            Vector128<byte> o2 = o1 ^ l0;
            Vector128<byte> o3 = o2 ^ l2;
            Vector128<byte> o4 = o3 ^ l0;
            Vector128<byte> o5 = o4 ^ l1;
            Vector128<byte> o6 = o5 ^ l0;
            done += 8;
            offset = o6 ^ Unsafe.Add(ref l, 2 + BitOperations.TrailingZeroCount(done));

            Vector128<byte> x0 = p0 ^ o0, x1 = p1 ^ o1, x2 = p2 ^ o2, x3 = p3 ^ o3;
            Vector128<byte> x4 = p4 ^ o4, x5 = p5 ^ o5, x6 = p6 ^ o6, x7 = p7 ^ offset;
            engine.Encrypt8(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7);
            (x0 ^ o0).StoreUnsafe(ref dst, at);
            (x1 ^ o1).StoreUnsafe(ref dst, at + 16);
            (x2 ^ o2).StoreUnsafe(ref dst, at + 32);
            (x3 ^ o3).StoreUnsafe(ref dst, at + 48);
            (x4 ^ o4).StoreUnsafe(ref dst, at + 64);
            (x5 ^ o5).StoreUnsafe(ref dst, at + 80);
            (x6 ^ o6).StoreUnsafe(ref dst, at + 96);
            (x7 ^ offset).StoreUnsafe(ref dst, at + 112);
        }

        if (blocks - done >= 4)
        {
            nuint at = done * Block128.Size;
            Vector128<byte> p0 = Vector128.LoadUnsafe(ref src, at);
            Vector128<byte> p1 = Vector128.LoadUnsafe(ref src, at + 16);
            Vector128<byte> p2 = Vector128.LoadUnsafe(ref src, at + 32);
            Vector128<byte> p3 = Vector128.LoadUnsafe(ref src, at + 48);
            checksum ^= (p0 ^ p1) ^ (p2 ^ p3);

            Vector128<byte> o0 = offset ^ l0;
            Vector128<byte> o1 = o0 ^ l1;
            Vector128<byte> o2 = o1 ^ l0;
            done += 4;
            offset = o2 ^ Unsafe.Add(ref l, 2 + BitOperations.TrailingZeroCount(done));

            Vector128<byte> x0 = p0 ^ o0, x1 = p1 ^ o1, x2 = p2 ^ o2, x3 = p3 ^ offset;
            engine.Encrypt4(ref x0, ref x1, ref x2, ref x3);
            (x0 ^ o0).StoreUnsafe(ref dst, at);
            (x1 ^ o1).StoreUnsafe(ref dst, at + 16);
            (x2 ^ o2).StoreUnsafe(ref dst, at + 32);
            (x3 ^ offset).StoreUnsafe(ref dst, at + 48);
        }

        while (done < blocks)
        {
            nuint at = done * Block128.Size;
            done++;
            offset ^= Unsafe.Add(ref l, 2 + BitOperations.TrailingZeroCount(done));
            Vector128<byte> p = Vector128.LoadUnsafe(ref src, at);
            checksum ^= p;
            (engine.Encrypt(p ^ offset) ^ offset).StoreUnsafe(ref dst, at);
        }

        int rest = plaintext.Length % Block128.Size;
        if (rest != 0)
        {
            offset ^= l; // L_*
            Vector128<byte> pad = engine.Encrypt(offset);
            Vector128<byte> p = Block128.LoadPartial(plaintext[^rest..]);
            checksum ^= p | PadMarker(rest);
            Block128.StorePartial(p ^ pad, ciphertext[^rest..]);
        }

        return engine.Encrypt(checksum ^ offset ^ Unsafe.Add(ref l, 1)); // L_$
    }

    /// <summary>OCB-DECRYPT of section 4.3 up to the tag it recomputes (before HASH(A) is added).</summary>
    private Vector128<byte> DecryptCore<TEngine>(
        TEngine engine, ref StretchCache cache, Vector128<byte> nonceBlock, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
        where TEngine : struct, IAes128Engine
    {
        ref Vector128<byte> l = ref MemoryMarshal.GetArrayDataReference(_l);
        ref byte src = ref MemoryMarshal.GetReference(ciphertext);
        ref byte dst = ref MemoryMarshal.GetReference(plaintext);
        Vector128<byte> l0 = Unsafe.Add(ref l, 2);
        Vector128<byte> l1 = Unsafe.Add(ref l, 3);
        Vector128<byte> l2 = Unsafe.Add(ref l, 4);

        Vector128<byte> offset = InitialOffset(engine, ref cache, nonceBlock);
        Vector128<byte> checksum = Vector128<byte>.Zero;
        nuint blocks = (nuint)ciphertext.Length / Block128.Size;
        nuint done = 0;

        while (blocks - done >= 8)
        {
            // Loading the blocks before computing the offsets steers the JIT to give the AES states the low
            // registers (xmm0-15), which the VEX-encoded AES instructions need; the other order costs a copy
            // per round per block on processors with AVX-512.
            nuint at = done * Block128.Size;
            Vector128<byte> x0 = Vector128.LoadUnsafe(ref src, at);
            Vector128<byte> x1 = Vector128.LoadUnsafe(ref src, at + 16);
            Vector128<byte> x2 = Vector128.LoadUnsafe(ref src, at + 32);
            Vector128<byte> x3 = Vector128.LoadUnsafe(ref src, at + 48);
            Vector128<byte> x4 = Vector128.LoadUnsafe(ref src, at + 64);
            Vector128<byte> x5 = Vector128.LoadUnsafe(ref src, at + 80);
            Vector128<byte> x6 = Vector128.LoadUnsafe(ref src, at + 96);
            Vector128<byte> x7 = Vector128.LoadUnsafe(ref src, at + 112);

            Vector128<byte> o0 = offset ^ l0;
            Vector128<byte> o1 = o0 ^ l1;
            Vector128<byte> o2 = o1 ^ l0;
            Vector128<byte> o3 = o2 ^ l2;
            Vector128<byte> o4 = o3 ^ l0;
            Vector128<byte> o5 = o4 ^ l1;
            Vector128<byte> o6 = o5 ^ l0;
            done += 8;
            offset = o6 ^ Unsafe.Add(ref l, 2 + BitOperations.TrailingZeroCount(done));

            x0 ^= o0;
            x1 ^= o1;
            x2 ^= o2;
            x3 ^= o3;
            x4 ^= o4;
            x5 ^= o5;
            x6 ^= o6;
            x7 ^= offset;
            engine.Decrypt8(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7);
            x0 ^= o0;
            x1 ^= o1;
            x2 ^= o2;
            x3 ^= o3;
            x4 ^= o4;
            x5 ^= o5;
            x6 ^= o6;
            x7 ^= offset;
            checksum ^= (x0 ^ x1) ^ (x2 ^ x3) ^ ((x4 ^ x5) ^ (x6 ^ x7));
            x0.StoreUnsafe(ref dst, at);
            x1.StoreUnsafe(ref dst, at + 16);
            x2.StoreUnsafe(ref dst, at + 32);
            x3.StoreUnsafe(ref dst, at + 48);
            x4.StoreUnsafe(ref dst, at + 64);
            x5.StoreUnsafe(ref dst, at + 80);
            x6.StoreUnsafe(ref dst, at + 96);
            x7.StoreUnsafe(ref dst, at + 112);
        }

        if (blocks - done >= 4)
        {
            nuint at = done * Block128.Size;
            Vector128<byte> x0 = Vector128.LoadUnsafe(ref src, at);
            Vector128<byte> x1 = Vector128.LoadUnsafe(ref src, at + 16);
            Vector128<byte> x2 = Vector128.LoadUnsafe(ref src, at + 32);
            Vector128<byte> x3 = Vector128.LoadUnsafe(ref src, at + 48);

            Vector128<byte> o0 = offset ^ l0;
            Vector128<byte> o1 = o0 ^ l1;
            Vector128<byte> o2 = o1 ^ l0;
            done += 4;
            offset = o2 ^ Unsafe.Add(ref l, 2 + BitOperations.TrailingZeroCount(done));

            x0 ^= o0;
            x1 ^= o1;
            x2 ^= o2;
            x3 ^= offset;
            engine.Decrypt4(ref x0, ref x1, ref x2, ref x3);
            x0 ^= o0;
            x1 ^= o1;
            x2 ^= o2;
            x3 ^= offset;
            checksum ^= (x0 ^ x1) ^ (x2 ^ x3);
            x0.StoreUnsafe(ref dst, at);
            x1.StoreUnsafe(ref dst, at + 16);
            x2.StoreUnsafe(ref dst, at + 32);
            x3.StoreUnsafe(ref dst, at + 48);
        }

        while (done < blocks)
        {
            nuint at = done * Block128.Size;
            done++;
            offset ^= Unsafe.Add(ref l, 2 + BitOperations.TrailingZeroCount(done));
            Vector128<byte> p = engine.Decrypt(Vector128.LoadUnsafe(ref src, at) ^ offset) ^ offset;
            checksum ^= p;
            p.StoreUnsafe(ref dst, at);
        }

        int rest = ciphertext.Length % Block128.Size;
        if (rest != 0)
        {
            offset ^= l; // L_*
            Vector128<byte> pad = engine.Encrypt(offset);
            Vector128<byte> p = (Block128.LoadPartial(ciphertext[^rest..]) ^ pad) & PrefixMask(rest);
            checksum ^= p | PadMarker(rest);
            Block128.StorePartial(p, plaintext[^rest..]);
        }

        return engine.Encrypt(checksum ^ offset ^ Unsafe.Add(ref l, 1)); // L_$
    }
}
