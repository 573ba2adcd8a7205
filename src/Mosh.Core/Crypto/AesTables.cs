using System.Numerics;

namespace Mosh.Crypto;

/// <summary>
/// The S-boxes and round tables of the portable AES, derived at start-up from the field arithmetic of
/// FIPS-197 rather than typed in. Each round table folds SubBytes (or InvSubBytes) and one column of
/// MixColumns (or InvMixColumns) into a 32-bit lookup; tables 1..3 are byte rotations of table 0.
/// </summary>
internal static class AesTables
{
    public static readonly byte[] SBox = new byte[256];
    public static readonly byte[] InverseSBox = new byte[256];
    public static readonly uint[] Encrypt0 = new uint[256];
    public static readonly uint[] Encrypt1 = new uint[256];
    public static readonly uint[] Encrypt2 = new uint[256];
    public static readonly uint[] Encrypt3 = new uint[256];
    public static readonly uint[] Decrypt0 = new uint[256];
    public static readonly uint[] Decrypt1 = new uint[256];
    public static readonly uint[] Decrypt2 = new uint[256];
    public static readonly uint[] Decrypt3 = new uint[256];

    static AesTables()
    {
        BuildSBoxes();
        for (int x = 0; x < 256; x++)
        {
            byte s = SBox[x];
            uint e = ((uint)Multiply(s, 2) << 24) | ((uint)s << 16) | ((uint)s << 8) | Multiply(s, 3);
            Encrypt0[x] = e;
            Encrypt1[x] = BitOperations.RotateRight(e, 8);
            Encrypt2[x] = BitOperations.RotateRight(e, 16);
            Encrypt3[x] = BitOperations.RotateRight(e, 24);

            byte i = InverseSBox[x];
            uint d = ((uint)Multiply(i, 14) << 24) | ((uint)Multiply(i, 9) << 16) | ((uint)Multiply(i, 13) << 8) | Multiply(i, 11);
            Decrypt0[x] = d;
            Decrypt1[x] = BitOperations.RotateRight(d, 8);
            Decrypt2[x] = BitOperations.RotateRight(d, 16);
            Decrypt3[x] = BitOperations.RotateRight(d, 24);
        }
    }

    /// <summary>SubBytes is inversion in GF(2^8) followed by an affine map; walk the field with generator 3.</summary>
    private static void BuildSBoxes()
    {
        byte p = 1, q = 1;
        do
        {
            p = (byte)(p ^ (p << 1) ^ ((p & 0x80) != 0 ? 0x1B : 0)); // p *= 3
            q ^= (byte)(q << 1); // q /= 3, so q stays p's inverse
            q ^= (byte)(q << 2);
            q ^= (byte)(q << 4);
            if ((q & 0x80) != 0)
            {
                q ^= 0x09;
            }

            byte affine = (byte)(q ^ RotateLeft(q, 1) ^ RotateLeft(q, 2) ^ RotateLeft(q, 3) ^ RotateLeft(q, 4) ^ 0x63);
            SBox[p] = affine;
        }
        while (p != 1);

        SBox[0] = 0x63; // zero has no inverse; the affine map of 0
        for (int x = 0; x < 256; x++)
        {
            InverseSBox[SBox[x]] = (byte)x;
        }
    }

    private static byte RotateLeft(byte value, int count) => (byte)((value << count) | (value >> (8 - count)));

    /// <summary>Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.</summary>
    public static byte Multiply(byte a, byte b)
    {
        int product = 0;
        int x = a;
        for (int y = b; y != 0; y >>= 1)
        {
            if ((y & 1) != 0)
            {
                product ^= x;
            }

            x <<= 1;
            if ((x & 0x100) != 0)
            {
                x ^= 0x11B;
            }
        }

        return (byte)product;
    }
}
