using System.Diagnostics.CodeAnalysis;

namespace Mosh.Crypto;

/// <summary>Throws on behalf of the hot paths, keeping the exception construction out of their code.</summary>
internal static class CryptoThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgument(string message, string paramName) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowCrypto(string message, bool fatal) => throw new CryptoException(message, fatal);
}
