namespace Mosh.Network;

/// <summary>
/// The 16-bit millisecond timestamps carried in every datagram: the clock mod 65536, with 0xFFFF reserved to mean
/// "no timestamp" (a clock reading of 0xFFFF is sent as 0).
/// </summary>
internal static class Timestamp16
{
    public const ushort None = 0xFFFF;

    public static ushort From(long milliseconds)
    {
        ushort timestamp = unchecked((ushort)milliseconds);
        return timestamp == None ? (ushort)0 : timestamp;
    }

    /// <summary>Elapsed milliseconds from <paramref name="older"/> to <paramref name="newer"/>, modulo 65536.</summary>
    public static ushort Difference(ushort newer, ushort older) => unchecked((ushort)(newer - older));
}
