using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Mosh.Crypto;

/// <summary>
/// AES-128 for processors without AES instructions but with a byte-shuffle instruction (x86 SSSE3
/// <c>pshufb</c>, ARM64 <c>tbl</c>). The S-box is looked up as sixteen 16-byte shuffles, one per high nibble,
/// each masked by whether the byte's high nibble selects it; no memory address depends on secret data, so
/// unlike the table-driven <see cref="Aes128Portable"/> this is constant-time. Four blocks move in lockstep
/// to share the table loads.
/// </summary>
internal readonly struct Aes128Shuffle : IAes128Engine
{
    private const int Rounds = 10;

    private static readonly Vector128<byte>[] SBoxRows = Rows(AesTables.SBox);
    private static readonly Vector128<byte>[] InverseSBoxRows = Rows(AesTables.InverseSBox);

    // State byte 4c + r is row r of column c. ShiftRows moves row r left by r columns.
    private static readonly Vector128<byte> ShiftRowsIndices = Vector128.Create((byte)0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
    private static readonly Vector128<byte> InverseShiftRowsIndices = Vector128.Create((byte)0, 13, 10, 7, 4, 1, 14, 11, 8, 5, 2, 15, 12, 9, 6, 3);

    // Rotations within each column: rotate-by-k puts row r + k of a column at row r.
    private static readonly Vector128<byte> RotateColumn1 = Vector128.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
    private static readonly Vector128<byte> RotateColumn2 = Vector128.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
    private static readonly Vector128<byte> RotateColumn3 = Vector128.Create((byte)3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14);

    private readonly Vector128<byte>[] _roundKeys;

    /// <summary>True where the shuffle is a single constant-time instruction.</summary>
    public static bool IsSupported => Ssse3.IsSupported || AdvSimd.Arm64.IsSupported;

    public Aes128Shuffle(ReadOnlySpan<byte> key)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("This processor has no byte-shuffle instruction.");
        }

        if (key.Length != 16)
        {
            throw new ArgumentException("An AES-128 key is 16 bytes.", nameof(key));
        }

        _roundKeys = new Vector128<byte>[Rounds + 1];
        Span<uint> w = stackalloc uint[4 * (Rounds + 1)];
        for (int i = 0; i < 4; i++)
        {
            w[i] = BinaryPrimitives.ReadUInt32BigEndian(key[(4 * i)..]);
        }

        uint roundConstant = 1;
        for (int i = 4; i < w.Length; i++)
        {
            uint t = w[i - 1];
            if (i % 4 == 0)
            {
                t = SubWord((t << 8) | (t >> 24)) ^ (roundConstant << 24);
                roundConstant = AesTables.Multiply((byte)roundConstant, 2);
            }

            w[i] = w[i - 4] ^ t;
        }

        Span<byte> roundKey = stackalloc byte[16];
        for (int r = 0; r <= Rounds; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(roundKey[(4 * c)..], w[(4 * r) + c]);
            }

            _roundKeys[r] = Block128.Load(roundKey);
        }

        w.Clear();
        roundKey.Clear();
    }

    private static Vector128<byte>[] Rows(byte[] box)
    {
        var rows = new Vector128<byte>[16];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = Vector128.Create(box.AsSpan(16 * i, 16));
        }

        return rows;
    }

    /// <summary>SubBytes on the bytes of one word, through the same constant-time lookup.</summary>
    private static uint SubWord(uint word) =>
        Substitute(Vector128.CreateScalar(word).AsByte(), ref MemoryMarshal.GetArrayDataReference(SBoxRows)).AsUInt32().ToScalar();

    /// <summary>
    /// <c>table[indices[i]]</c> for indices 0..15 in one instruction. Named intrinsics rather than
    /// <c>Vector128.ShuffleNative</c>: Native AOT compiles that for its baseline instruction set, where it
    /// becomes a slow, table-indexed (so not constant-time) software loop even on processors with SSSE3.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lookup(Vector128<byte> table, Vector128<byte> indices)
    {
        if (Ssse3.IsSupported)
        {
            return Ssse3.Shuffle(table, indices);
        }

        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.VectorTableLookup(table, indices);
        }

        throw new PlatformNotSupportedException(); // unreachable: the constructor checks IsSupported
    }

    /// <summary>Each byte's high nibble; a 16-bit shift because x86 has no byte shift.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> HighNibbles(Vector128<byte> x) =>
        Vector128.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & Vector128.Create((byte)0x0F);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Substitute(Vector128<byte> x, ref Vector128<byte> rows)
    {
        Vector128<byte> low = x & Vector128.Create((byte)0x0F);
        Vector128<byte> high = HighNibbles(x);
        Vector128<byte> result = Vector128<byte>.Zero;
        Vector128<byte> row = Vector128<byte>.Zero;
        for (int i = 0; i < 16; i++)
        {
            result |= Lookup(Unsafe.Add(ref rows, i), low) & Vector128.Equals(high, row);
            row += Vector128<byte>.One;
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Substitute4(ref Vector128<byte> a, ref Vector128<byte> b, ref Vector128<byte> c, ref Vector128<byte> d, ref Vector128<byte> rows)
    {
        Vector128<byte> nibble = Vector128.Create((byte)0x0F);
        Vector128<byte> lowA = a & nibble, lowB = b & nibble, lowC = c & nibble, lowD = d & nibble;
        Vector128<byte> highA = HighNibbles(a), highB = HighNibbles(b), highC = HighNibbles(c), highD = HighNibbles(d);
        Vector128<byte> outA = Vector128<byte>.Zero, outB = Vector128<byte>.Zero, outC = Vector128<byte>.Zero, outD = Vector128<byte>.Zero;
        Vector128<byte> row = Vector128<byte>.Zero;
        for (int i = 0; i < 16; i++)
        {
            Vector128<byte> table = Unsafe.Add(ref rows, i);
            outA |= Lookup(table, lowA) & Vector128.Equals(highA, row);
            outB |= Lookup(table, lowB) & Vector128.Equals(highB, row);
            outC |= Lookup(table, lowC) & Vector128.Equals(highC, row);
            outD |= Lookup(table, lowD) & Vector128.Equals(highD, row);
            row += Vector128<byte>.One;
        }

        a = outA;
        b = outB;
        c = outC;
        d = outD;
    }

    /// <summary>Multiplication by x in GF(2^8), bytewise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> XTime(Vector128<byte> x) =>
        (x + x) ^ (Vector128.LessThan(x.AsSByte(), Vector128<sbyte>.Zero).AsByte() & Vector128.Create((byte)0x1B));

    /// <summary>Each column becomes (2 3 1 1; 1 2 3 1; 1 1 2 3; 3 1 1 2) times itself: 2(a0^a1) ^ a1 ^ a2 ^ a3 for row 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> MixColumns(Vector128<byte> x)
    {
        Vector128<byte> r1 = Lookup(x, RotateColumn1);
        Vector128<byte> r2 = Lookup(x, RotateColumn2);
        Vector128<byte> r3 = Lookup(x, RotateColumn3);
        return XTime(x ^ r1) ^ r1 ^ r2 ^ r3;
    }

    /// <summary>InvMixColumns factored as MixColumns after multiplying by (5 0 4 0): add 4(a_r ^ a_(r+2)) to each row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> InverseMixColumns(Vector128<byte> x) =>
        MixColumns(x ^ XTime(XTime(x ^ Lookup(x, RotateColumn2))));

    public Vector128<byte> Encrypt(Vector128<byte> block)
    {
        ref Vector128<byte> k = ref MemoryMarshal.GetArrayDataReference(_roundKeys);
        ref Vector128<byte> sbox = ref MemoryMarshal.GetArrayDataReference(SBoxRows);
        Vector128<byte> s = block ^ k;
        for (int r = 1; r < Rounds; r++)
        {
            s = MixColumns(Substitute(Lookup(s, ShiftRowsIndices), ref sbox)) ^ Unsafe.Add(ref k, r);
        }

        return Substitute(Lookup(s, ShiftRowsIndices), ref sbox) ^ Unsafe.Add(ref k, Rounds);
    }

    public Vector128<byte> Decrypt(Vector128<byte> block)
    {
        ref Vector128<byte> k = ref MemoryMarshal.GetArrayDataReference(_roundKeys);
        ref Vector128<byte> inverse = ref MemoryMarshal.GetArrayDataReference(InverseSBoxRows);
        Vector128<byte> s = block ^ Unsafe.Add(ref k, Rounds);
        for (int r = Rounds - 1; r > 0; r--)
        {
            s = InverseMixColumns(Substitute(Lookup(s, InverseShiftRowsIndices), ref inverse) ^ Unsafe.Add(ref k, r));
        }

        return Substitute(Lookup(s, InverseShiftRowsIndices), ref inverse) ^ k;
    }

    public void Encrypt4(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3)
    {
        ref Vector128<byte> k = ref MemoryMarshal.GetArrayDataReference(_roundKeys);
        ref Vector128<byte> sbox = ref MemoryMarshal.GetArrayDataReference(SBoxRows);
        Vector128<byte> shift = ShiftRowsIndices;
        Vector128<byte> s0 = Lookup(b0 ^ k, shift), s1 = Lookup(b1 ^ k, shift);
        Vector128<byte> s2 = Lookup(b2 ^ k, shift), s3 = Lookup(b3 ^ k, shift);
        for (int r = 1; r < Rounds; r++)
        {
            Substitute4(ref s0, ref s1, ref s2, ref s3, ref sbox);
            Vector128<byte> key = Unsafe.Add(ref k, r);
            s0 = Lookup(MixColumns(s0) ^ key, shift);
            s1 = Lookup(MixColumns(s1) ^ key, shift);
            s2 = Lookup(MixColumns(s2) ^ key, shift);
            s3 = Lookup(MixColumns(s3) ^ key, shift);
        }

        Substitute4(ref s0, ref s1, ref s2, ref s3, ref sbox);
        Vector128<byte> last = Unsafe.Add(ref k, Rounds);
        b0 = s0 ^ last;
        b1 = s1 ^ last;
        b2 = s2 ^ last;
        b3 = s3 ^ last;
    }

    public void Decrypt4(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3)
    {
        ref Vector128<byte> k = ref MemoryMarshal.GetArrayDataReference(_roundKeys);
        ref Vector128<byte> inverse = ref MemoryMarshal.GetArrayDataReference(InverseSBoxRows);
        Vector128<byte> shift = InverseShiftRowsIndices;
        Vector128<byte> first = Unsafe.Add(ref k, Rounds);
        Vector128<byte> s0 = Lookup(b0 ^ first, shift), s1 = Lookup(b1 ^ first, shift);
        Vector128<byte> s2 = Lookup(b2 ^ first, shift), s3 = Lookup(b3 ^ first, shift);
        for (int r = Rounds - 1; r > 0; r--)
        {
            Substitute4(ref s0, ref s1, ref s2, ref s3, ref inverse);
            Vector128<byte> key = Unsafe.Add(ref k, r);
            s0 = Lookup(InverseMixColumns(s0 ^ key), shift);
            s1 = Lookup(InverseMixColumns(s1 ^ key), shift);
            s2 = Lookup(InverseMixColumns(s2 ^ key), shift);
            s3 = Lookup(InverseMixColumns(s3 ^ key), shift);
        }

        Substitute4(ref s0, ref s1, ref s2, ref s3, ref inverse);
        b0 = s0 ^ k;
        b1 = s1 ^ k;
        b2 = s2 ^ k;
        b3 = s3 ^ k;
    }

    public void Encrypt8(
        ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3,
        ref Vector128<byte> b4, ref Vector128<byte> b5, ref Vector128<byte> b6, ref Vector128<byte> b7)
    {
        Encrypt4(ref b0, ref b1, ref b2, ref b3);
        Encrypt4(ref b4, ref b5, ref b6, ref b7);
    }

    public void Decrypt8(
        ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3,
        ref Vector128<byte> b4, ref Vector128<byte> b5, ref Vector128<byte> b6, ref Vector128<byte> b7)
    {
        Decrypt4(ref b0, ref b1, ref b2, ref b3);
        Decrypt4(ref b4, ref b5, ref b6, ref b7);
    }

    public void Clear() => Array.Clear(_roundKeys);
}
