namespace Mosh.EndToEnd.Harness;

/// <summary>Which way a datagram travels through the <see cref="UdpRelay"/>.</summary>
internal enum RelayDirection
{
    ToServer,
    ToClient,
}
