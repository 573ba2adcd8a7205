using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace Mosh.Crypto;

/// <summary>
/// AES-128 on the x86 AES instructions. The key schedule (11 encryption and 11 decryption round keys) is
/// expanded once; each block then costs ten round instructions.
/// </summary>
internal readonly struct Aes128Ni : IAes128Engine
{
    private const int Rounds = 10;
    private const int DecryptionKeysStart = Rounds + 1;

    // [0..10] encryption round keys, [11..21] decryption round keys (the "equivalent inverse cipher" order).
    private readonly Vector128<byte>[] _keys;

    public static bool IsSupported => X86Aes.IsSupported && Sse2.IsSupported;

    public Aes128Ni(ReadOnlySpan<byte> key)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("This processor has no AES-NI instructions.");
        }

        if (key.Length != 16)
        {
            throw new ArgumentException("An AES-128 key is 16 bytes.", nameof(key));
        }

        _keys = new Vector128<byte>[2 * (Rounds + 1)];
        Span<Vector128<byte>> k = _keys;
        k[0] = Block128.Load(key);
        // KeygenAssist needs its round constant as an immediate, hence the unrolled schedule.
        k[1] = ExpandStep(k[0], X86Aes.KeygenAssist(k[0], 0x01));
        k[2] = ExpandStep(k[1], X86Aes.KeygenAssist(k[1], 0x02));
        k[3] = ExpandStep(k[2], X86Aes.KeygenAssist(k[2], 0x04));
        k[4] = ExpandStep(k[3], X86Aes.KeygenAssist(k[3], 0x08));
        k[5] = ExpandStep(k[4], X86Aes.KeygenAssist(k[4], 0x10));
        k[6] = ExpandStep(k[5], X86Aes.KeygenAssist(k[5], 0x20));
        k[7] = ExpandStep(k[6], X86Aes.KeygenAssist(k[6], 0x40));
        k[8] = ExpandStep(k[7], X86Aes.KeygenAssist(k[7], 0x80));
        k[9] = ExpandStep(k[8], X86Aes.KeygenAssist(k[8], 0x1B));
        k[10] = ExpandStep(k[9], X86Aes.KeygenAssist(k[9], 0x36));

        k[DecryptionKeysStart] = k[Rounds];
        for (int r = 1; r < Rounds; r++)
        {
            k[DecryptionKeysStart + r] = X86Aes.InverseMixColumns(k[Rounds - r]);
        }

        k[DecryptionKeysStart + Rounds] = k[0];
    }

    private static Vector128<byte> ExpandStep(Vector128<byte> previous, Vector128<byte> assist)
    {
        assist = Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();
        previous ^= Sse2.ShiftLeftLogical128BitLane(previous, 4);
        previous ^= Sse2.ShiftLeftLogical128BitLane(previous, 4);
        previous ^= Sse2.ShiftLeftLogical128BitLane(previous, 4);
        return previous ^ assist;
    }

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
    public Vector128<byte> Encrypt(Vector128<byte> block)
    {
        ref Vector128<byte> k = ref EncryptionKeys;
        block ^= k;
        for (int r = 1; r < Rounds; r++)
        {
            block = X86Aes.Encrypt(block, Unsafe.Add(ref k, r));
        }

        return X86Aes.EncryptLast(block, Unsafe.Add(ref k, Rounds));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<byte> Decrypt(Vector128<byte> block)
    {
        ref Vector128<byte> k = ref DecryptionKeys;
        block ^= k;
        for (int r = 1; r < Rounds; r++)
        {
            block = X86Aes.Decrypt(block, Unsafe.Add(ref k, r));
        }

        return X86Aes.DecryptLast(block, Unsafe.Add(ref k, Rounds));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Encrypt4(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3)
    {
        ref Vector128<byte> k = ref EncryptionKeys;
        Vector128<byte> key = k;
        Vector128<byte> x0 = b0 ^ key, x1 = b1 ^ key, x2 = b2 ^ key, x3 = b3 ^ key;
        for (int r = 1; r < Rounds; r++)
        {
            key = Unsafe.Add(ref k, r);
            x0 = X86Aes.Encrypt(x0, key);
            x1 = X86Aes.Encrypt(x1, key);
            x2 = X86Aes.Encrypt(x2, key);
            x3 = X86Aes.Encrypt(x3, key);
        }

        key = Unsafe.Add(ref k, Rounds);
        b0 = X86Aes.EncryptLast(x0, key);
        b1 = X86Aes.EncryptLast(x1, key);
        b2 = X86Aes.EncryptLast(x2, key);
        b3 = X86Aes.EncryptLast(x3, key);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Decrypt4(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3)
    {
        ref Vector128<byte> k = ref DecryptionKeys;
        Vector128<byte> key = k;
        Vector128<byte> x0 = b0 ^ key, x1 = b1 ^ key, x2 = b2 ^ key, x3 = b3 ^ key;
        for (int r = 1; r < Rounds; r++)
        {
            key = Unsafe.Add(ref k, r);
            x0 = X86Aes.Decrypt(x0, key);
            x1 = X86Aes.Decrypt(x1, key);
            x2 = X86Aes.Decrypt(x2, key);
            x3 = X86Aes.Decrypt(x3, key);
        }

        key = Unsafe.Add(ref k, Rounds);
        b0 = X86Aes.DecryptLast(x0, key);
        b1 = X86Aes.DecryptLast(x1, key);
        b2 = X86Aes.DecryptLast(x2, key);
        b3 = X86Aes.DecryptLast(x3, key);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Encrypt8(
        ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3,
        ref Vector128<byte> b4, ref Vector128<byte> b5, ref Vector128<byte> b6, ref Vector128<byte> b7)
    {
        ref Vector128<byte> k = ref EncryptionKeys;
        Vector128<byte> key = k;
        Vector128<byte> x0 = b0 ^ key, x1 = b1 ^ key, x2 = b2 ^ key, x3 = b3 ^ key;
        Vector128<byte> x4 = b4 ^ key, x5 = b5 ^ key, x6 = b6 ^ key, x7 = b7 ^ key;
        for (int r = 1; r < Rounds; r++)
        {
            key = Unsafe.Add(ref k, r);
            x0 = X86Aes.Encrypt(x0, key);
            x1 = X86Aes.Encrypt(x1, key);
            x2 = X86Aes.Encrypt(x2, key);
            x3 = X86Aes.Encrypt(x3, key);
            x4 = X86Aes.Encrypt(x4, key);
            x5 = X86Aes.Encrypt(x5, key);
            x6 = X86Aes.Encrypt(x6, key);
            x7 = X86Aes.Encrypt(x7, key);
        }

        key = Unsafe.Add(ref k, Rounds);
        b0 = X86Aes.EncryptLast(x0, key);
        b1 = X86Aes.EncryptLast(x1, key);
        b2 = X86Aes.EncryptLast(x2, key);
        b3 = X86Aes.EncryptLast(x3, key);
        b4 = X86Aes.EncryptLast(x4, key);
        b5 = X86Aes.EncryptLast(x5, key);
        b6 = X86Aes.EncryptLast(x6, key);
        b7 = X86Aes.EncryptLast(x7, key);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Decrypt8(
        ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3,
        ref Vector128<byte> b4, ref Vector128<byte> b5, ref Vector128<byte> b6, ref Vector128<byte> b7)
    {
        ref Vector128<byte> k = ref DecryptionKeys;
        Vector128<byte> key = k;
        Vector128<byte> x0 = b0 ^ key, x1 = b1 ^ key, x2 = b2 ^ key, x3 = b3 ^ key;
        Vector128<byte> x4 = b4 ^ key, x5 = b5 ^ key, x6 = b6 ^ key, x7 = b7 ^ key;
        for (int r = 1; r < Rounds; r++)
        {
            key = Unsafe.Add(ref k, r);
            x0 = X86Aes.Decrypt(x0, key);
            x1 = X86Aes.Decrypt(x1, key);
            x2 = X86Aes.Decrypt(x2, key);
            x3 = X86Aes.Decrypt(x3, key);
            x4 = X86Aes.Decrypt(x4, key);
            x5 = X86Aes.Decrypt(x5, key);
            x6 = X86Aes.Decrypt(x6, key);
            x7 = X86Aes.Decrypt(x7, key);
        }

        key = Unsafe.Add(ref k, Rounds);
        b0 = X86Aes.DecryptLast(x0, key);
        b1 = X86Aes.DecryptLast(x1, key);
        b2 = X86Aes.DecryptLast(x2, key);
        b3 = X86Aes.DecryptLast(x3, key);
        b4 = X86Aes.DecryptLast(x4, key);
        b5 = X86Aes.DecryptLast(x5, key);
        b6 = X86Aes.DecryptLast(x6, key);
        b7 = X86Aes.DecryptLast(x7, key);
    }

    public void Clear() => Array.Clear(_keys);
}
