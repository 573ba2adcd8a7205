using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>
/// The kernel's CSPRNG through getrandom(2). .NET's RandomNumberGenerator goes through OpenSSL on Linux, which would
/// make libssl a run-time dependency of the executables for the sake of 16 key bytes.
/// </summary>
internal static class OsRandom
{
    /// <summary>Fills <paramref name="destination"/> with cryptographically secure random bytes.</summary>
    public static unsafe void Fill(Span<byte> destination)
    {
        fixed (byte* start = destination)
        {
            int filled = 0;
            while (filled < destination.Length)
            {
                nint got = LibC.GetRandom(start + filled, (nuint)(destination.Length - filled), 0);
                if (got < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                    {
                        continue;
                    }

                    throw LibC.Error("getrandom", errno);
                }

                filled += (int)got;
            }
        }
    }
}
