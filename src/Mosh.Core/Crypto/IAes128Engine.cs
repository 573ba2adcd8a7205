using System.Runtime.Intrinsics;

namespace Mosh.Crypto;

/// <summary>
/// One AES-128 implementation with its key schedule already expanded. Implemented by structs so the OCB code,
/// generic over the engine, is specialised per implementation and every call is inlined.
/// The multi-block members exist because OCB blocks are independent: interleaving them hides the latency of
/// each round instruction.
/// </summary>
internal interface IAes128Engine
{
    Vector128<byte> Encrypt(Vector128<byte> block);

    Vector128<byte> Decrypt(Vector128<byte> block);

    void Encrypt4(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3);

    void Decrypt4(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3);

    void Encrypt8(
        ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3,
        ref Vector128<byte> b4, ref Vector128<byte> b5, ref Vector128<byte> b6, ref Vector128<byte> b7);

    void Decrypt8(
        ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2, ref Vector128<byte> b3,
        ref Vector128<byte> b4, ref Vector128<byte> b5, ref Vector128<byte> b6, ref Vector128<byte> b7);

    /// <summary>Overwrites the key schedule with zeros.</summary>
    void Clear();
}
