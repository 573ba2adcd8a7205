namespace Mosh.Crypto;

/// <summary>Which AES block implementation an OCB instance runs on.</summary>
internal enum AesImplementation
{
    /// <summary>AES-NI when the processor has it, otherwise the portable tables.</summary>
    Automatic,

    /// <summary>x86 AES instructions; unavailable elsewhere.</summary>
    AesNi,

    /// <summary>Table-driven AES in plain C#, for processors without AES instructions (not constant-time).</summary>
    Portable,
}
