namespace Mosh.Crypto;

/// <summary>Which AES block implementation an OCB instance runs on.</summary>
internal enum AesImplementation
{
    /// <summary>
    /// The best the processor offers: its AES instructions (AES-NI or ARMv8), else the shuffle-based AES, else the
    /// portable tables.
    /// </summary>
    Automatic,

    /// <summary>x86 AES instructions (<see cref="Aes128Ni"/>).</summary>
    AesNi,

    /// <summary>ARMv8 Cryptography Extensions (<see cref="Aes128Arm"/>).</summary>
    ArmAes,

    /// <summary>Constant-time AES on byte-shuffle instructions, SSSE3 or ARM64 (<see cref="Aes128Shuffle"/>).</summary>
    Shuffle,

    /// <summary>Table-driven AES in plain C#, for any processor; not constant-time (<see cref="Aes128Portable"/>).</summary>
    Portable,
}
