using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mosh.Crypto;

/// <summary>
/// AES-128 in plain C# with 32-bit round tables, for processors without AES instructions. Unlike
/// <c>System.Security.Cryptography.Aes</c> it allocates nothing per block. Table lookups depend on secret
/// data, so this path is not constant-time; it is only chosen when the hardware path is unavailable.
/// </summary>
internal readonly struct Aes128Portable : IAes128Engine
{
    private const int Rounds = 10;
    private const int ScheduleWords = 4 * (Rounds + 1);

    private static readonly uint[] RoundConstants = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36];

    // [0..43] encryption schedule, [44..87] decryption schedule (equivalent inverse cipher).
    private readonly uint[] _keys;

    public Aes128Portable(ReadOnlySpan<byte> key)
    {
        if (key.Length != 16)
        {
            throw new ArgumentException("An AES-128 key is 16 bytes.", nameof(key));
        }

        _keys = new uint[2 * ScheduleWords];
        Span<uint> w = _keys.AsSpan(0, ScheduleWords);
        for (int i = 0; i < 4; i++)
        {
            w[i] = BinaryPrimitives.ReadUInt32BigEndian(key[(4 * i)..]);
        }

        byte[] sbox = AesTables.SBox;
        for (int i = 4; i < ScheduleWords; i++)
        {
            uint t = w[i - 1];
            if (i % 4 == 0)
            {
                t = (t << 8) | (t >> 24); // RotWord
                t = ((uint)sbox[t >> 24] << 24) | ((uint)sbox[(t >> 16) & 0xFF] << 16)
                    | ((uint)sbox[(t >> 8) & 0xFF] << 8) | sbox[t & 0xFF];
                t ^= RoundConstants[(i / 4) - 1] << 24;
            }

            w[i] = w[i - 4] ^ t;
        }

        // Decryption runs the round keys backwards, with InvMixColumns applied to the inner ones.
        Span<uint> d = _keys.AsSpan(ScheduleWords, ScheduleWords);
        for (int r = 0; r <= Rounds; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                uint word = w[(4 * (Rounds - r)) + c];
                d[(4 * r) + c] = r == 0 || r == Rounds ? word : InverseMixColumn(word);
            }
        }
    }

    private static uint InverseMixColumn(uint w)
    {
        byte[] s = AesTables.SBox;
        // Decrypt tables include InvSubBytes, so feed them SubBytes of the word to cancel it.
        return AesTables.Decrypt0[s[w >> 24]] ^ AesTables.Decrypt1[s[(w >> 16) & 0xFF]]
            ^ AesTables.Decrypt2[s[(w >> 8) & 0xFF]] ^ AesTables.Decrypt3[s[w & 0xFF]];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Column(Vector128<byte> block, int index)
    {
        uint v = block.AsUInt32().GetElement(index);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> FromColumns(uint c0, uint c1, uint c2, uint c3) =>
        BitConverter.IsLittleEndian
            ? Vector128.Create(
                BinaryPrimitives.ReverseEndianness(c0), BinaryPrimitives.ReverseEndianness(c1),
                BinaryPrimitives.ReverseEndianness(c2), BinaryPrimitives.ReverseEndianness(c3)).AsByte()
            : Vector128.Create(c0, c1, c2, c3).AsByte();

    public Vector128<byte> Encrypt(Vector128<byte> block)
    {
        ref uint k = ref MemoryMarshal.GetArrayDataReference(_keys);
        ref uint t0 = ref MemoryMarshal.GetArrayDataReference(AesTables.Encrypt0);
        ref uint t1 = ref MemoryMarshal.GetArrayDataReference(AesTables.Encrypt1);
        ref uint t2 = ref MemoryMarshal.GetArrayDataReference(AesTables.Encrypt2);
        ref uint t3 = ref MemoryMarshal.GetArrayDataReference(AesTables.Encrypt3);

        uint s0 = Column(block, 0) ^ k;
        uint s1 = Column(block, 1) ^ Unsafe.Add(ref k, 1);
        uint s2 = Column(block, 2) ^ Unsafe.Add(ref k, 2);
        uint s3 = Column(block, 3) ^ Unsafe.Add(ref k, 3);

        for (int r = 1; r < Rounds; r++)
        {
            k = ref Unsafe.Add(ref k, 4);
            uint n0 = Unsafe.Add(ref t0, s0 >> 24) ^ Unsafe.Add(ref t1, (s1 >> 16) & 0xFF)
                ^ Unsafe.Add(ref t2, (s2 >> 8) & 0xFF) ^ Unsafe.Add(ref t3, s3 & 0xFF) ^ k;
            uint n1 = Unsafe.Add(ref t0, s1 >> 24) ^ Unsafe.Add(ref t1, (s2 >> 16) & 0xFF)
                ^ Unsafe.Add(ref t2, (s3 >> 8) & 0xFF) ^ Unsafe.Add(ref t3, s0 & 0xFF) ^ Unsafe.Add(ref k, 1);
            uint n2 = Unsafe.Add(ref t0, s2 >> 24) ^ Unsafe.Add(ref t1, (s3 >> 16) & 0xFF)
                ^ Unsafe.Add(ref t2, (s0 >> 8) & 0xFF) ^ Unsafe.Add(ref t3, s1 & 0xFF) ^ Unsafe.Add(ref k, 2);
            uint n3 = Unsafe.Add(ref t0, s3 >> 24) ^ Unsafe.Add(ref t1, (s0 >> 16) & 0xFF)
                ^ Unsafe.Add(ref t2, (s1 >> 8) & 0xFF) ^ Unsafe.Add(ref t3, s2 & 0xFF) ^ Unsafe.Add(ref k, 3);
            s0 = n0;
            s1 = n1;
            s2 = n2;
            s3 = n3;
        }

        k = ref Unsafe.Add(ref k, 4);
        ref byte sb = ref MemoryMarshal.GetArrayDataReference(AesTables.SBox);
        return FromColumns(
            LastRound(ref sb, s0, s1, s2, s3) ^ k,
            LastRound(ref sb, s1, s2, s3, s0) ^ Unsafe.Add(ref k, 1),
            LastRound(ref sb, s2, s3, s0, s1) ^ Unsafe.Add(ref k, 2),
            LastRound(ref sb, s3, s0, s1, s2) ^ Unsafe.Add(ref k, 3));
    }

    public Vector128<byte> Decrypt(Vector128<byte> block)
    {
        ref uint k = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_keys), ScheduleWords);
        ref uint t0 = ref MemoryMarshal.GetArrayDataReference(AesTables.Decrypt0);
        ref uint t1 = ref MemoryMarshal.GetArrayDataReference(AesTables.Decrypt1);
        ref uint t2 = ref MemoryMarshal.GetArrayDataReference(AesTables.Decrypt2);
        ref uint t3 = ref MemoryMarshal.GetArrayDataReference(AesTables.Decrypt3);

        uint s0 = Column(block, 0) ^ k;
        uint s1 = Column(block, 1) ^ Unsafe.Add(ref k, 1);
        uint s2 = Column(block, 2) ^ Unsafe.Add(ref k, 2);
        uint s3 = Column(block, 3) ^ Unsafe.Add(ref k, 3);

        for (int r = 1; r < Rounds; r++)
        {
            k = ref Unsafe.Add(ref k, 4);
            // InvShiftRows takes row i from column (c - i), the mirror of encryption.
            uint n0 = Unsafe.Add(ref t0, s0 >> 24) ^ Unsafe.Add(ref t1, (s3 >> 16) & 0xFF)
                ^ Unsafe.Add(ref t2, (s2 >> 8) & 0xFF) ^ Unsafe.Add(ref t3, s1 & 0xFF) ^ k;
            uint n1 = Unsafe.Add(ref t0, s1 >> 24) ^ Unsafe.Add(ref t1, (s0 >> 16) & 0xFF)
                ^ Unsafe.Add(ref t2, (s3 >> 8) & 0xFF) ^ Unsafe.Add(ref t3, s2 & 0xFF) ^ Unsafe.Add(ref k, 1);
            uint n2 = Unsafe.Add(ref t0, s2 >> 24) ^ Unsafe.Add(ref t1, (s1 >> 16) & 0xFF)
                ^ Unsafe.Add(ref t2, (s0 >> 8) & 0xFF) ^ Unsafe.Add(ref t3, s3 & 0xFF) ^ Unsafe.Add(ref k, 2);
            uint n3 = Unsafe.Add(ref t0, s3 >> 24) ^ Unsafe.Add(ref t1, (s2 >> 16) & 0xFF)
                ^ Unsafe.Add(ref t2, (s1 >> 8) & 0xFF) ^ Unsafe.Add(ref t3, s0 & 0xFF) ^ Unsafe.Add(ref k, 3);
            s0 = n0;
            s1 = n1;
            s2 = n2;
            s3 = n3;
        }

        k = ref Unsafe.Add(ref k, 4);
        ref byte isb = ref MemoryMarshal.GetArrayDataReference(AesTables.InverseSBox);
        return FromColumns(
            LastRound(ref isb, s0, s3, s2, s1) ^ k,
            LastRound(ref isb, s1, s0, s3, s2) ^ Unsafe.Add(ref k, 1),
            LastRound(ref isb, s2, s1, s0, s3) ^ Unsafe.Add(ref k, 2),
            LastRound(ref isb, s3, s2, s1, s0) ^ Unsafe.Add(ref k, 3));
    }

    /// <summary>The final round has no column mixing: substitute one byte from each shifted column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint LastRound(ref byte box, uint a, uint b, uint c, uint d) =>
        ((uint)Unsafe.Add(ref box, a >> 24) << 24) | ((uint)Unsafe.Add(ref box, (b >> 16) & 0xFF) << 16)
        | ((uint)Unsafe.Add(ref box, (c >> 8) & 0xFF) << 8) | Unsafe.Add(ref box, d & 0xFF);

    public void Encrypt4(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3)
    {
        b0 = Encrypt(b0);
        b1 = Encrypt(b1);
        b2 = Encrypt(b2);
        b3 = Encrypt(b3);
    }

    public void Decrypt4(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3)
    {
        b0 = Decrypt(b0);
        b1 = Decrypt(b1);
        b2 = Decrypt(b2);
        b3 = Decrypt(b3);
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

    public void Clear() => Array.Clear(_keys);
}
