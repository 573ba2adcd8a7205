using System.Net;
using System.Net.Sockets;

namespace Mosh.Wrapper;

/// <summary>Turns a host name into the addresses to try, honouring <c>--family</c> as upstream's wrapper does.</summary>
internal static class AddressResolver
{
    /// <summary>Thrown with the message to print when a host cannot be used.</summary>
    internal sealed class ResolveException(string message) : Exception(message);

    public static List<IPAddress> Resolve(string host, AddressFamilyChoice family, string programName)
    {
        List<IPAddress> addresses;
        if (IPAddress.TryParse(host, out IPAddress? numeric))
        {
            addresses = [numeric];
        }
        else
        {
            try
            {
                addresses = [.. Dns.GetHostAddresses(host)];
            }
            catch (SocketException e)
            {
                throw new ResolveException($"{programName}: could not get canonical name for {host}: {e.Message}");
            }
        }
        return Order(addresses, family, programName);
    }

    /// <summary>Filters (inet, inet6), reorders (prefer-*) or checks (auto) a resolved address list.</summary>
    internal static List<IPAddress> Order(List<IPAddress> addresses, AddressFamilyChoice family, string programName)
    {
        switch (family)
        {
            case AddressFamilyChoice.Inet:
                return addresses.FindAll(a => a.AddressFamily == AddressFamily.InterNetwork);
            case AddressFamilyChoice.Inet6:
                return addresses.FindAll(a => a.AddressFamily == AddressFamily.InterNetworkV6);
            case AddressFamilyChoice.PreferInet:
            case AddressFamilyChoice.PreferInet6:
                AddressFamily preferred = family == AddressFamilyChoice.PreferInet ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                var ordered = addresses.FindAll(a => a.AddressFamily == preferred);
                ordered.AddRange(addresses.FindAll(a => a.AddressFamily != preferred));
                return ordered;
            case AddressFamilyChoice.Auto:
                if (addresses.Exists(a => a.AddressFamily != addresses[0].AddressFamily))
                {
                    throw new ResolveException($"{programName}: host has both IPv4 and IPv6 addresses, use --family to specify behavior");
                }
                return addresses;
            default:
                return addresses;
        }
    }
}
