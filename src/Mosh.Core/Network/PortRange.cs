using System.Globalization;

namespace Mosh.Network;

/// <summary>
/// The server's UDP port choice: <c>PORT</c> or <c>LOW:HIGH</c> as given to <c>mosh-server -p</c>, defaulting to
/// upstream's 60001..60999. A single port 0 asks the kernel for any free port.
/// </summary>
internal readonly record struct PortRange(int Low, int High)
{
    public const int PORT_RANGE_LOW = 60001;
    public const int PORT_RANGE_HIGH = 60999;

    public static PortRange Default => new(PORT_RANGE_LOW, PORT_RANGE_HIGH);

    /// <summary>Parses <c>PORT</c> or <c>LOW:HIGH</c>; on failure <paramref name="error"/> is upstream's message.</summary>
    public static bool TryParse(string text, out PortRange range, out string? error)
    {
        range = default;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string lowText = colon < 0 ? text : text[..colon];
        if (!TryParsePort(lowText, out int low))
        {
            error = IsNumber(lowText)
                ? $"(Low) port number {lowText} outside valid range [0..65535]"
                : $"Invalid (low) port number ({text})";
            return false;
        }

        if (colon < 0)
        {
            range = new PortRange(low, low);
            error = null;
            return true;
        }

        string highText = text[(colon + 1)..];
        if (!TryParsePort(highText, out int high))
        {
            error = IsNumber(highText)
                ? $"High port number {highText} outside valid range [0..65535]"
                : $"Invalid high port number ({highText})";
            return false;
        }

        if (low > high)
        {
            error = $"Low port {low} greater than high port {high}";
            return false;
        }

        if (low == 0)
        {
            error = "Low port 0 incompatible with port ranges";
            return false;
        }

        range = new PortRange(low, high);
        error = null;
        return true;
    }

    private static bool IsNumber(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
}
