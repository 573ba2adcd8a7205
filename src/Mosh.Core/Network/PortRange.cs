namespace Mosh.Network;

/// <summary>
/// The server's UDP port choice, defaulting to upstream's 60001..60999 (mosh-server reads <c>-p</c> into it with
/// its PortRangeSyntax). A single port 0 asks the kernel for any free port.
/// </summary>
internal readonly record struct PortRange(int Low, int High)
{
    public const int PORT_RANGE_LOW = 60001;
    public const int PORT_RANGE_HIGH = 60999;

    public static PortRange Default => new(PORT_RANGE_LOW, PORT_RANGE_HIGH);
}
