using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ArmAes = System.Runtime.Intrinsics.Arm.Aes;

namespace Mosh.Crypto;

/// <summary>
/// AES-128 on the ARMv8 Cryptography Extensions (AESE/AESMC, AESD/AESIMC). ARM's round instruction adds the round
/// key first and mixes columns separately, so a round is AESE then AESMC, and the last round ends with a plain XOR
/// of the final key. Blocks are interleaved four or eight at a time, as on AES-NI, because OCB's blocks are
/// independent and each round instruction's latency is several cycles. Hardware AES, so constant-time.
/// </summary>
internal readonly struct Aes128Arm : IAes128Engine
{
    private const int Rounds = 10;
    private const int DecryptionKeysStart = Rounds + 1;

    // [0..10] encryption round keys, [11..21] decryption round keys (the "equivalent inverse cipher" order).
    private readonly Vector128<byte>[] _keys;

    public static bool IsSupported => ArmAes.IsSupported;

    public Aes128Arm(ReadOnlySpan<byte> key)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("This processor has no ARMv8 AES instructions.");
        }

        if (key.Length != 16)
        {
            throw new ArgumentException("An AES-128 key is 16 bytes.", nameof(key));
        }

        // FIPS-197 key expansion over little-endian words (byte 0 of the key is the low byte of w[0]), so each
        // group of four words is a round key's bytes in memory order.
        Span<uint> w = stackalloc uint[4 * (Rounds + 1)];
        for (int i = 0; i < 4; i++)
        {
            w[i] = BinaryPrimitives.ReadUInt32LittleEndian(key[(4 * i)..]);
        }

        uint roundConstant = 1;
        for (int i = 4; i < w.Length; i++)
        {
            uint t = w[i - 1];
            if (i % 4 == 0)
            {
                // RotWord moves byte 1 to byte 0; SubWord commutes with it.
                t = SubWord((t >> 8) | (t << 24)) ^ roundConstant;
                roundConstant = AesTables.Multiply((byte)roundConstant, 2);
            }

            w[i] = w[i - 4] ^ t;
        }

        _keys = new Vector128<byte>[2 * (Rounds + 1)];
        Span<Vector128<byte>> k = _keys;
        for (int r = 0; r <= Rounds; r++)
        {
            k[r] = Vector128.Create(w[4 * r], w[(4 * r) + 1], w[(4 * r) + 2], w[(4 * r) + 3]).AsByte();
        }

        w.Clear();
        k[DecryptionKeysStart] = k[Rounds];
        for (int r = 1; r < Rounds; r++)
        {
            k[DecryptionKeysStart + r] = ArmAes.InverseMixColumns(k[Rounds - r]);
        }

        k[DecryptionKeysStart + Rounds] = k[0];
    }

    /// <summary>
    /// The S-box on each byte of a word, in hardware: with the word in all four columns every row holds one byte
    /// value, so AESE's ShiftRows changes nothing and only SubBytes (with a zero round key) remains.
    /// </summary>
    private static uint SubWord(uint word) =>
        ArmAes.Encrypt(Vector128.Create(word).AsByte(), Vector128<byte>.Zero).AsUInt32().ToScalar();

    private ref Vector128<byte> EncryptionKeys
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref MemoryMarshal.GetArrayDataReference(_keys);
    }

    private ref Vector128<byte> DecryptionKeys
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_keys), DecryptionKeysStart);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Round(Vector128<byte> block, Vector128<byte> key) =>
        ArmAes.MixColumns(ArmAes.Encrypt(block, key));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> InverseRound(Vector128<byte> block, Vector128<byte> key) =>
        ArmAes.InverseMixColumns(ArmAes.Decrypt(block, key));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<byte> Encrypt(Vector128<byte> block)
    {
        ref Vector128<byte> k = ref EncryptionKeys;
        for (int r = 0; r < Rounds - 1; r++)
        {
            block = Round(block, Unsafe.Add(ref k, r));
        }

        return ArmAes.Encrypt(block, Unsafe.Add(ref k, Rounds - 1)) ^ Unsafe.Add(ref k, Rounds);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<byte> Decrypt(Vector128<byte> block)
    {
        ref Vector128<byte> k = ref DecryptionKeys;
        for (int r = 0; r < Rounds - 1; r++)
        {
            block = InverseRound(block, Unsafe.Add(ref k, r));
        }

        return ArmAes.Decrypt(block, Unsafe.Add(ref k, Rounds - 1)) ^ Unsafe.Add(ref k, Rounds);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Encrypt4(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3)
    {
        ref Vector128<byte> k = ref EncryptionKeys;
        Vector128<byte> x0 = b0, x1 = b1, x2 = b2, x3 = b3, key;
        for (int r = 0; r < Rounds - 1; r++)
        {
            key = Unsafe.Add(ref k, r);
            x0 = Round(x0, key);
            x1 = Round(x1, key);
            x2 = Round(x2, key);
            x3 = Round(x3, key);
        }

        key = Unsafe.Add(ref k, Rounds - 1);
        Vector128<byte> last = Unsafe.Add(ref k, Rounds);
        b0 = ArmAes.Encrypt(x0, key) ^ last;
        b1 = ArmAes.Encrypt(x1, key) ^ last;
        b2 = ArmAes.Encrypt(x2, key) ^ last;
        b3 = ArmAes.Encrypt(x3, key) ^ last;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Decrypt4(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3)
    {
        ref Vector128<byte> k = ref DecryptionKeys;
        Vector128<byte> x0 = b0, x1 = b1, x2 = b2, x3 = b3, key;
        for (int r = 0; r < Rounds - 1; r++)
        {
            key = Unsafe.Add(ref k, r);
            x0 = InverseRound(x0, key);
            x1 = InverseRound(x1, key);
            x2 = InverseRound(x2, key);
            x3 = InverseRound(x3, key);
        }

        key = Unsafe.Add(ref k, Rounds - 1);
        Vector128<byte> last = Unsafe.Add(ref k, Rounds);
        b0 = ArmAes.Decrypt(x0, key) ^ last;
        b1 = ArmAes.Decrypt(x1, key) ^ last;
        b2 = ArmAes.Decrypt(x2, key) ^ last;
        b3 = ArmAes.Decrypt(x3, key) ^ last;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Encrypt8(
        ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3,
        ref Vector128<byte> b4, ref Vector128<byte> b5, ref Vector128<byte> b6, ref Vector128<byte> b7)
    {
        ref Vector128<byte> k = ref EncryptionKeys;
        Vector128<byte> x0 = b0, x1 = b1, x2 = b2, x3 = b3, x4 = b4, x5 = b5, x6 = b6, x7 = b7, key;
        for (int r = 0; r < Rounds - 1; r++)
        {
            key = Unsafe.Add(ref k, r);
            x0 = Round(x0, key);
            x1 = Round(x1, key);
            x2 = Round(x2, key);
            x3 = Round(x3, key);
            x4 = Round(x4, key);
            x5 = Round(x5, key);
            x6 = Round(x6, key);
            x7 = Round(x7, key);
        }

        key = Unsafe.Add(ref k, Rounds - 1);
        Vector128<byte> last = Unsafe.Add(ref k, Rounds);
        b0 = ArmAes.Encrypt(x0, key) ^ last;
        b1 = ArmAes.Encrypt(x1, key) ^ last;
        b2 = ArmAes.Encrypt(x2, key) ^ last;
        b3 = ArmAes.Encrypt(x3, key) ^ last;
        b4 = ArmAes.Encrypt(x4, key) ^ last;
        b5 = ArmAes.Encrypt(x5, key) ^ last;
        b6 = ArmAes.Encrypt(x6, key) ^ last;
        b7 = ArmAes.Encrypt(x7, key) ^ last;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Decrypt8(
        ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3,
        ref Vector128<byte> b4, ref Vector128<byte> b5, ref Vector128<byte> b6, ref Vector128<byte> b7)
    {
        ref Vector128<byte> k = ref DecryptionKeys;
        Vector128<byte> x0 = b0, x1 = b1, x2 = b2, x3 = b3, x4 = b4, x5 = b5, x6 = b6, x7 = b7, key;
        for (int r = 0; r < Rounds - 1; r++)
        {
            key = Unsafe.Add(ref k, r);
            x0 = InverseRound(x0, key);
            x1 = InverseRound(x1, key);
            x2 = InverseRound(x2, key);
            x3 = InverseRound(x3, key);
            x4 = InverseRound(x4, key);
            x5 = InverseRound(x5, key);
            x6 = InverseRound(x6, key);
            x7 = InverseRound(x7, key);
        }

        key = Unsafe.Add(ref k, Rounds - 1);
        Vector128<byte> last = Unsafe.Add(ref k, Rounds);
        b0 = ArmAes.Decrypt(x0, key) ^ last;
        b1 = ArmAes.Decrypt(x1, key) ^ last;
        b2 = ArmAes.Decrypt(x2, key) ^ last;
        b3 = ArmAes.Decrypt(x3, key) ^ last;
        b4 = ArmAes.Decrypt(x4, key) ^ last;
        b5 = ArmAes.Decrypt(x5, key) ^ last;
        b6 = ArmAes.Decrypt(x6, key) ^ last;
        b7 = ArmAes.Decrypt(x7, key) ^ last;
    }

    public void Clear() => Array.Clear(_keys);
}
