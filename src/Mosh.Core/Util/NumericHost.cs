using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>
/// An address as getnameinfo(NI_NUMERICHOST) writes it, which is what upstream shows of a client: inet_ntop's text,
/// and for an IPv6 address with a scope, "%" and the interface's name (link-local and link-local multicast) or the
/// scope number (.NET's own ToString always writes the number).
/// </summary>
internal static unsafe class NumericHost
{
    public static string Format(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.ScopeId == 0)
        {
            return address.ToString();
        }

        string unscoped = new IPAddress(address.GetAddressBytes()).ToString();
        uint scope = (uint)address.ScopeId;
        if (address.IsIPv6LinkLocal || IsLinkLocalMulticast(address))
        {
            byte* name = stackalloc byte[LibC.IF_NAMESIZE];
            if (LibC.IfIndexToName(scope, name) is not null)
            {
                return unscoped + "%" + Marshal.PtrToStringUTF8((nint)name);
            }
        }

        return unscoped + "%" + scope.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool IsLinkLocalMulticast(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        return address.TryWriteBytes(bytes, out _) && bytes[0] == 0xff && (bytes[1] & 0x0f) == 0x02;
    }
}
