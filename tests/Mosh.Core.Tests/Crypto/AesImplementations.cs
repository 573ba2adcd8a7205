using Mosh.Crypto;

namespace Mosh.Tests.Crypto;

/// <summary>Lets fixtures run once per AES implementation (fixture arguments are strings because the enum is internal).</summary>
internal static class AesImplementations
{
    public const string AesNi = nameof(AesImplementation.AesNi);
    public const string ArmAes = nameof(AesImplementation.ArmAes);
    public const string Shuffle = nameof(AesImplementation.Shuffle);
    public const string Portable = nameof(AesImplementation.Portable);

    /// <summary>Parses the fixture argument and skips the test (with the reason) when the processor lacks it.</summary>
    public static AesImplementation Require(string name)
    {
        var implementation = Enum.Parse<AesImplementation>(name);
        if (implementation == AesImplementation.AesNi)
        {
            if (!Aes128Ni.IsSupported)
            {
                Assert.Ignore("this processor has no AES-NI");
            }
        }

        if (implementation == AesImplementation.ArmAes)
        {
            if (!Aes128Arm.IsSupported)
            {
                Assert.Ignore("this processor has no ARMv8 AES instructions");
            }
        }

        if (implementation == AesImplementation.Shuffle)
        {
            if (!Aes128Shuffle.IsSupported)
            {
                Assert.Ignore("this processor has no SSSE3 or ARM64 byte shuffle");
            }
        }

        return implementation;
    }
}
