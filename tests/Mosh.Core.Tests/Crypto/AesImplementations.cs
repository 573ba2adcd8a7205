using Mosh.Crypto;

namespace Mosh.Tests.Crypto;

/// <summary>Lets fixtures run once per AES implementation (fixture arguments are strings because the enum is internal).</summary>
internal static class AesImplementations
{
    public const string AesNi = nameof(AesImplementation.AesNi);
    public const string Shuffle = nameof(AesImplementation.Shuffle);
    public const string Portable = nameof(AesImplementation.Portable);

    /// <summary>Parses the fixture argument and makes the test inconclusive when the processor lacks it.</summary>
    public static AesImplementation Require(string name)
    {
        var implementation = Enum.Parse<AesImplementation>(name);
        if (implementation == AesImplementation.AesNi)
        {
            Assume.That(Aes128Ni.IsSupported, Is.True, "this processor has no AES-NI");
        }

        if (implementation == AesImplementation.Shuffle)
        {
            Assume.That(Aes128Shuffle.IsSupported, Is.True, "this processor has no SSSE3 or ARM64 byte shuffle");
        }

        return implementation;
    }
}
