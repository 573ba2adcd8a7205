using Mosh.Network;

namespace Mosh.Server;

/// <summary>mosh-server's <c>-p PORT[:PORT2]</c> argument, read into the <see cref="PortRange"/> the network binds.</summary>
internal static class PortRangeSyntax
{
    /// <summary>
    /// Reads <c>PORT</c> or <c>LOW:HIGH</c> with the C library's number rules, as upstream does; on failure
    /// <paramref name="complaint"/> is the line upstream prints before its "Bad UDP port range" message.
    /// </summary>
    public static bool TryParse(string text, out PortRange range, out string? complaint)
    {
        range = default;
        complaint = null;
        if (!CNumber.TryParseLong(text, 0, out long low, out int end) || (end < text.Length && text[end] != ':'))
        {
            complaint = $"Invalid (low) port number ({text})";
            return false;
        }
        if (low is < 0 or > 65535)
        {
            complaint = $"(Low) port number {low} outside valid range [0..65535]";
            return false;
        }
        if (end == text.Length)
        {
            range = new PortRange((int)low, (int)low);
            return true;
        }

        string highText = text[(end + 1)..];
        if (!CNumber.TryParseLong(highText, 0, out long high, out int highEnd) || highEnd != highText.Length)
        {
            complaint = $"Invalid high port number ({highText})";
            return false;
        }
        if (high is < 0 or > 65535)
        {
            complaint = $"High port number {high} outside valid range [0..65535]";
            return false;
        }
        if (low > high)
        {
            complaint = $"Low port {low} greater than high port {high}";
            return false;
        }
        if (low == 0)
        {
            complaint = "Low port 0 incompatible with port ranges";
            return false;
        }
        range = new PortRange((int)low, (int)high);
        return true;
    }
}
